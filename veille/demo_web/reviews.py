"""The review site "AvisClients": products with star ratings, five reviews a page.

Routes under ``/avis/``: the home page (categories), ``categorie/<slug>/`` (product cards),
``produit/<slug>/?page=N``. Product pages carry schema.org data: JSON-LD Product with
AggregateRating and Review items, except one product marked up with microdata instead.
"""

from __future__ import annotations

import json
from datetime import datetime

from veille.demo_web import catalog
from veille.demo_web.render import PARIS, Reply, esc, fr_forum_date, html, not_found, page, paragraphs
from veille.demo_web.world import Product, Review, World

SITE = "AvisClients"
PER_PAGE = 5


def _stars(rating: int) -> str:
    return f'<span class="stars" title="{rating} sur 5">{"★" * rating}{"☆" * (5 - rating)}</span>'


def _average(product: Product) -> float:
    return round(sum(r.rating for r in product.reviews) / len(product.reviews), 1)


def _review_url(product: Product, review: Review, base: str, page_no: int) -> str:
    suffix = f"?page={page_no}" if page_no > 1 else ""
    return f"{base}/avis/produit/{product.slug}/{suffix}#review-{review.id}"


def _review_html(product: Product, review: Review, base: str, page_no: int, now: datetime) -> str:
    shown = (
        fr_forum_date(review.at, now)
        if (now - review.at).days < 1
        else f"le {review.at.astimezone(PARIS):%d/%m/%Y}"
    )
    if not product.microdata:
        return (
            f'<div class="review" id="review-{review.id}" data-rating="{review.rating}">{_stars(review.rating)}'
            f'<h3 class="review-title">{esc(review.title)}</h3><p class="review-meta">par '
            f'<span class="review-author">{esc(review.author)}</span>, <span class="review-date">{shown}</span></p>'
            f'<div class="review-body">{paragraphs(review.text)}</div></div>'
        )
    iso = review.at.astimezone(PARIS).isoformat()
    return (
        f'<div class="review" id="review-{review.id}" itemprop="review" itemscope itemtype="https://schema.org/Review">'
        f'<link itemprop="url" href="{_review_url(product, review, base, page_no)}">'
        f'<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">{_stars(review.rating)}'
        f'<meta itemprop="ratingValue" content="{review.rating}"><meta itemprop="bestRating" content="5">'
        f'<meta itemprop="worstRating" content="1"></div><h3 class="review-title" itemprop="name">{esc(review.title)}'
        f'</h3><p class="review-meta">par <span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        f'<span itemprop="name" class="review-author">{esc(review.author)}</span></span>, '
        f'<meta itemprop="datePublished" content="{iso}"><span class="review-date">{shown}</span></p>'
        f'<div class="review-body" itemprop="reviewBody">{paragraphs(review.text)}</div></div>'
    )


def _json_ld(product: Product, reviews: list[Review], base: str, page_no: int) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "brand": {"@type": "Brand", "name": product.brand},
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": _average(product),
            "reviewCount": len(product.reviews),
            "bestRating": 5,
            "worstRating": 1,
        },
        "review": [
            {
                "@type": "Review",
                "@id": _review_url(product, r, base, page_no),
                "url": _review_url(product, r, base, page_no),
                "author": {"@type": "Person", "name": r.author},
                "datePublished": r.at.astimezone(PARIS).isoformat(),
                "name": r.title,
                "reviewBody": r.text,
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": r.rating,
                    "bestRating": 5,
                    "worstRating": 1,
                },
            }
            for r in reviews
        ],
    }
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{payload}</script>'


def render_product(product: Product, page_no: int, base: str, now: datetime) -> tuple[str, str]:
    """(head, body) of a product page."""
    reviews = product.reviews[(page_no - 1) * PER_PAGE : page_no * PER_PAGE]
    items = "".join(_review_html(product, r, base, page_no, now) for r in reviews)
    nav = ""
    if page_no > 1:
        nav += f'<a rel="prev" href="{base}/avis/produit/{product.slug}/?page={page_no - 1}">Page précédente</a> '
    if page_no * PER_PAGE < len(product.reviews):
        nav += (
            f'<a rel="next" href="{base}/avis/produit/{product.slug}/?page={page_no + 1}">Page suivante</a>'
        )
    summary = (
        f'<p class="aggregate">{_stars(round(_average(product)))} {_average(product)}/5 sur '
        f"{len(product.reviews)} avis</p>"
    )
    if product.microdata:
        summary = (
            f'<div itemprop="aggregateRating" itemscope itemtype="https://schema.org/AggregateRating">'
            f'<meta itemprop="ratingValue" content="{_average(product)}"><meta itemprop="reviewCount" '
            f'content="{len(product.reviews)}"><meta itemprop="bestRating" content="5">{summary}</div>'
        )
        body = (
            f'<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">{esc(product.name)}</h1>'
            f'<p class="brand" itemprop="brand" itemscope itemtype="https://schema.org/Brand">Marque : '
            f'<span itemprop="name">{esc(product.brand)}</span></p>{summary}'
            f'<div class="reviews">{items}</div></div><nav class="pager">{nav}</nav>'
        )
        return "", body
    body = (
        f'<h1 class="product-name">{esc(product.name)}</h1><p class="brand">Marque : {esc(product.brand)}</p>'
        f'{summary}<div class="reviews">{items}</div><nav class="pager">{nav}</nav>'
    )
    return _json_ld(product, reviews, base, page_no), body


def handle(world: World, path: str, query: dict[str, str], base: str, now: datetime) -> Reply:
    """Serve ``/avis/<path>``."""
    parts = [p for p in path.split("/") if p]
    with world.lock:
        if not parts:
            links = "".join(
                f'<li><a class="category-link" href="{base}/avis/categorie/{slug}/">{esc(name)}</a></li>'
                for slug, name in catalog.CATEGORIES.items()
            )
            return html(
                "Accueil", f"<h1>{SITE}</h1><p>Les avis de vrais clients.</p><ul>{links}</ul>", site=SITE
            )
        if parts[0] == "categorie" and len(parts) == 2 and parts[1] in catalog.CATEGORIES:
            cards = "".join(
                f'<div class="product-card"><a class="product-link" href="{base}/avis/produit/{p.slug}/">'
                f"{esc(p.brand)} {esc(p.name)}</a> {_stars(round(_average(p)))} ({len(p.reviews)} avis)</div>"
                for p in world.products
                if p.category == parts[1]
            )
            return html(
                catalog.CATEGORIES[parts[1]],
                f"<h1>{esc(catalog.CATEGORIES[parts[1]])}</h1>{cards}",
                site=SITE,
            )
        if parts[0] == "produit" and len(parts) == 2:
            product = next((p for p in world.products if p.slug == parts[1]), None)
            page_no = int(query["page"]) if query.get("page", "").isdigit() else 1
            if product is None or page_no < 1 or (page_no - 1) * PER_PAGE >= len(product.reviews):
                return not_found(SITE)
            head, body = render_product(product, page_no, base, now)
            return Reply(page(f"Avis {product.brand} {product.name}", body, site=SITE, head=head))
    return not_found(SITE)
