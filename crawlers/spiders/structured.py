"""Reviews, comments and forum posts from schema.org data in a page (JSON-LD, microdata, RDFa).

Each ``Review``, ``Comment``, ``Answer`` or ``DiscussionForumPosting`` item becomes one
Mention: its ``url``/``@id`` when it has one, else the page URL with a stable
``review-<hash>`` (or ``post-<hash>``) anchor; rating from ``reviewRating``; title prefixed with the
reviewed product and its brand (a review of "VeloBox Pro (Velora)" is about Velora even when
its text only says "la box").

RDFa (``vocab="https://schema.org/" typeof="Review" property="reviewBody"``) comes out of
extruct as flat, expanded triples; ``rdfa_items`` folds them back into nested items like
JSON-LD's, so one walk reads all three syntaxes.
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from pydantic import ValidationError

from core.mention import Author, Mention, Rating, Source, SourceKind
from crawlers.dates import parse_date
from crawlers.spiders.extract import PageContext, PageResult, normalise_anchor, stable_post_url
from crawlers.text import html_to_text

logger = logging.getLogger(__name__)


def _types(item: dict[str, Any]) -> set[str]:
    value = item.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values}


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return str(value).strip() if value else None


# Items that are one person's words: a review, a comment, a forum post, an answer.
POST_TYPES = {"Review", "Comment", "Answer", "DiscussionForumPosting", "SocialMediaPosting", "UserComments"}
# Microdata placeholders some themes leave in place of the text ("comment").
_PLACEHOLDERS = {"comment", "review", "text", "reviewbody", "description", "commenttext"}


def _walk(node: Any, product: str | None = None) -> Iterator[tuple[dict[str, Any], str | None]]:
    """(post item, reviewed product label) for every post-like item nested anywhere in ``node``.

    ``@graph`` (what Yoast, Rank Math and WooCommerce emit) is walked like any other key; a
    forum post or comment is yielded and then walked too, for the replies it nests.
    """
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, product)
        return
    if not isinstance(node, dict):
        return
    types = _types(node)
    if types & {"FAQPage", "HowTo"}:
        return  # the site's own answers, not its visitors' words
    if "Review" in types:
        reviewed = _name(node.get("itemReviewed")) or product
        yield node, reviewed
        return
    if types & POST_TYPES:
        yield node, product
    if types & {"Product", "Organization", "LocalBusiness", "Service", "SoftwareApplication"}:
        name, brand = _name(node.get("name")), _name(node.get("brand"))
        product = name if not brand or (name and brand.lower() in name.lower()) else f"{name} ({brand})"
    for key, value in node.items():
        if key == "@graph" or not key.startswith("@"):
            yield from _walk(value, product)


def _rating(value: Any) -> Rating | None:
    if not isinstance(value, dict):
        return None
    try:
        raw = float(str(value.get("ratingValue")).replace(",", "."))
        best = float(value.get("bestRating") or 5)
        worst = float(value.get("worstRating") or (0 if raw == 0 else 1))
        return Rating(value=raw, best=best, worst=worst)
    except (TypeError, ValueError, ValidationError):
        return None


_SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/")


def _compact(node: dict[str, Any], nodes: dict[str, dict[str, Any]], seen: frozenset[str]) -> dict[str, Any]:
    """One expanded RDFa node as a JSON-LD-like item: short schema.org keys, references nested."""
    item: dict[str, Any] = {}
    types = [str(t) for t in node.get("@type", [])]
    if types:
        item["@type"] = [t.rsplit("/", 1)[-1] for t in types]
    node_id = str(node.get("@id", ""))
    if node_id and not node_id.startswith("_:"):
        item["@id"] = node_id  # a blank node's label says nothing about the item
    for key, values in node.items():
        if key.startswith("@") or not key.startswith(_SCHEMA_PREFIXES):
            continue
        out = []
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, dict):
                out.append(value)
            elif "@value" in value:
                out.append(value["@value"])
            elif (ref := str(value.get("@id", ""))) in nodes and ref not in seen:
                out.append(_compact(nodes[ref], nodes, seen | {ref}))
            elif ref:
                out.append(ref)
        if out:
            item[key.rsplit("/", 1)[-1]] = out[0] if len(out) == 1 else out
    return item


def rdfa_items(expanded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """extruct's RDFa output (expanded JSON-LD, one flat node per subject) as nested items."""
    nodes = {str(n["@id"]): n for n in expanded if isinstance(n, dict) and "@id" in n}
    referenced = {
        str(v["@id"])
        for n in nodes.values()
        for values in n.values()
        if isinstance(values, list)
        for v in values
        if isinstance(v, dict) and "@id" in v
    }
    roots = [n for key, n in nodes.items() if key not in referenced]
    return [_compact(n, nodes, frozenset({str(n["@id"])})) for n in roots]


def schema_items(html: str, page_url: str) -> list[dict[str, Any]]:
    import extruct

    syntaxes = ["json-ld", "microdata"]
    # The RDFa parser (rdflib) is slow on big pages: run it only where schema.org RDFa can be.
    rdfa = "typeof=" in html and "schema.org" in html
    if rdfa:
        syntaxes.append("rdfa")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # extruct's RDF dependencies warn on import and use
        data = extruct.extract(html, base_url=page_url, syntaxes=syntaxes, uniform=True)
    return [*data.get("json-ld", []), *data.get("microdata", []), *rdfa_items(data.get("rdfa", []))]


def extract_reviews(html: str, page_url: str, ctx: PageContext) -> PageResult:
    """One Mention per schema.org Review on the page."""
    result = PageResult()
    try:
        items = schema_items(html, page_url)
    except Exception as exc:  # extruct surfaces lxml/json errors of broken markup as-is
        result.problems.append(f"schema.org data unreadable: {exc}")
        return result
    for review, product in _walk(items):
        body = review.get("reviewBody") or review.get("text") or review.get("articleBody")
        text = html_to_text(str(body or review.get("description") or ""))
        if not text or text.strip().lower() in _PLACEHOLDERS:
            continue
        link = review.get("url") or review.get("@id") or ""
        link = urljoin(page_url, str(link)) if link else ""
        anchor = normalise_anchor(urlsplit(link).fragment) if link.startswith("http") else None
        if not anchor:
            digest = hashlib.sha256(f"{_name(review.get('author'))}|{text}".encode()).hexdigest()[:12]
            anchor = f"{'review' if 'Review' in _types(review) else 'post'}-{digest}"
        when = review.get("datePublished") or review.get("dateCreated") or review.get("uploadDate") or ""
        published = parse_date(str(when), tz=ctx.tz, now=ctx.now)
        if published is None:
            result.undated += 1
        headline = _name(review.get("name"))
        title = " : ".join(part for part in (product, headline) if part) or None
        try:
            result.mentions.append(
                Mention(
                    url=stable_post_url(link or None, page_url, ctx.thread_url, anchor),
                    anchor=anchor,
                    thread_url=urldefrag(ctx.thread_url or page_url)[0],
                    source=Source(kind=SourceKind(ctx.kind), name=ctx.source),
                    title=title,
                    text=text,
                    author=Author(name=_name(review.get("author"))),
                    rating=_rating(review.get("reviewRating")),
                    published_at=published,
                    first_seen_at=ctx.now,
                )
            )
        except (ValueError, ValidationError) as exc:
            result.problems.append(f"a review could not be read: {str(exc).splitlines()[0]}")
    return result
