"""The news site "Le Courrier Numérique": article pages, an RSS 2.0 feed and an Atom feed.

Routes under ``/news/``: the home page, ``article/<slug>.html``, ``rss.xml`` (every section),
``atom.xml`` (the economy section). Feeds carry ETag and Last-Modified; the server answers 304
to a matching conditional request.
"""

from __future__ import annotations

from datetime import UTC
from email.utils import format_datetime

from veille.demo_web.render import PARIS, Reply, esc, fr_long, html, not_found, rfc822
from veille.demo_web.world import NewsItem, World

SITE = "Le Courrier Numérique"
FEED_SIZE = 40

_FILLER = (
    "Contactée par notre rédaction, l'entreprise n'a pas souhaité faire de commentaire supplémentaire.",
    "Les associations de consommateurs suivent le dossier de près.",
)


def _body(item: NewsItem) -> str:
    return f"<p><strong>{esc(item.summary)}</strong></p>" + "".join(f"<p>{esc(p)}</p>" for p in _FILLER)


def render_article(item: NewsItem) -> str:
    return (
        f'<article class="news"><h1>{esc(item.title)}</h1><p class="byline">Par {esc(item.author)}, '
        f'<time datetime="{item.at.astimezone(PARIS).isoformat()}">{fr_long(item.at)}</time></p>'
        f'<div class="article-body">{_body(item)}</div></article>'
    )


def _latest(world: World, section: str | None) -> list[NewsItem]:
    items = [n for n in world.news if section is None or n.section == section]
    return sorted(items, key=lambda n: (n.at, n.id), reverse=True)[:FEED_SIZE]


def _cache_headers(world: World, items: list[NewsItem], kind: str) -> dict[str, str]:
    newest = max((n.at for n in items), default=world.started)
    return {
        "ETag": f'"{kind}-{int(world.started.timestamp())}-{world.version}-{len(items)}"',
        "Last-Modified": format_datetime(newest.astimezone(UTC), usegmt=True),
    }


def rss(world: World, base: str) -> Reply:
    items = _latest(world, None)
    entries = "".join(
        f"<item><title>{esc(n.title)}</title><link>{base}/news/article/{n.slug}.html</link>"
        f'<guid isPermaLink="false">courrier-numerique-{n.id}</guid><pubDate>{rfc822(n.at)}</pubDate>'
        f"<dc:creator>{esc(n.author)}</dc:creator><category>{n.section}</category>"
        f"<description>{esc(_body(n))}</description></item>"
        for n in items
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>{SITE}</title><link>{base}/news/</link><description>L'actualité du numérique et de la "
        f"consommation</description><language>fr-fr</language>{entries}</channel></rss>"
    )
    return Reply(
        xml, content_type="application/rss+xml; charset=utf-8", headers=_cache_headers(world, items, "rss")
    )


def atom(world: World, base: str) -> Reply:
    items = _latest(world, "eco")
    updated = max((n.at for n in items), default=world.started).isoformat()
    entries = "".join(
        f'<entry><title type="text">{esc(n.title)}</title><link rel="alternate" href="{base}/news/article/{n.slug}.html"/>'
        f"<id>tag:courrier-numerique.example,2026:{n.id}</id><published>{n.at.isoformat()}</published>"
        f"<updated>{n.at.isoformat()}</updated><author><name>{esc(n.author)}</name></author>"
        f'<summary type="text">{esc(n.summary)}</summary><content type="html">{esc(_body(n))}</content></entry>'
        for n in items
    )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">'
        f"<title>{SITE} — Économie</title><id>{base}/news/atom.xml</id><updated>{updated}</updated>"
        f'<link rel="self" href="{base}/news/atom.xml"/>{entries}</feed>'
    )
    return Reply(
        xml, content_type="application/atom+xml; charset=utf-8", headers=_cache_headers(world, items, "atom")
    )


def handle(world: World, path: str, base: str) -> Reply:
    """Serve ``/news/<path>``."""
    with world.lock:
        if path in ("", "index.html"):
            links = "".join(
                f'<li><a class="news-link" href="{base}/news/article/{n.slug}.html">{esc(n.title)}</a></li>'
                for n in _latest(world, None)
            )
            return html("À la une", f"<h1>{SITE}</h1><ul>{links}</ul>", site=SITE)
        if path == "rss.xml":
            return rss(world, base)
        if path == "atom.xml":
            return atom(world, base)
        if path.startswith("article/") and path.endswith(".html"):
            slug = path[len("article/") : -len(".html")]
            item = next((n for n in world.news if n.slug == slug), None)
            if item is not None:
                return html(item.title, render_article(item), site=SITE)
    return not_found(SITE)
