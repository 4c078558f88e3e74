"""The extraction cascade: every way Veille knows to read posts from a page.

- a Discourse topic's JSON (``/t/ID.json``, ``discourse.py``), read as is when the page is one;
- ``schema.org``: reviews, comments, forum posts and answers in JSON-LD (``@graph`` and
  nesting included) and microdata (``structured.py``);
- reviews in the page's Next.js state script (Trustpilot, Marmiton; ``nextdata.py``) and review
  widgets embedded in any engine's pages (Yotpo; ``profiles.WIDGETS``);
- the engine's preset (phpBB, XenForo, vBulletin, Discourse, WordPress...), named in
  config.yaml or detected from the page (``preset: auto``, ``detect.py``), and the comment
  blocks every blog engine marks with ``id="comment-N"`` (``comments.py``);
- the signed comments of MediaWiki talk pages (``talk.py``), where comments have no markup;
- a generic finder of repeated blocks that carry an author, a date and a text (``generic.py``),
   when the layers above found nothing;
- the page as one article (trafilatura) for blogs and news, when no layer found the page's
  own article (with ``preset: auto``; under a configured preset, when nothing else matched).

The preset and comment layers run first because they give each post its permalink anchor (a
stable id); schema.org items then add the posts the markup layers missed and fill what they
lack (a review's rating, a date). The generic finder runs only when the markup layers
found no post. Each item is labelled with the layer that produced it
(``PageResult.layers``), which the try command prints and the bench counts.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from parsel import Selector

from core.mention import Mention
from core.text import fold, fold_text
from crawlers.spiders.extract import PageContext, PageResult, extract_posts, select_nodes
from crawlers.spiders.profiles import Profile

logger = logging.getLogger(__name__)


_SHORTCODE = re.compile(r":[a-z0-9_+-]{2,30}:|[\u200b-\u200f\u2060\ufeff]")  # and zero-width marks


def _key(mention: Mention) -> str:
    # A smiley is an image in the markup and its ":shortcode:" in structured data (XenForo).
    return " ".join(_SHORTCODE.sub(" ", fold_text(mention.text[:400])).split())[:80]


def _canonical(page: Selector, page_url: str) -> str | None:
    """The page's ``<link rel=canonical>``, absolute, when it stays on the page's host."""
    href = page.xpath("//head/link[@rel='canonical']/@href").get()
    if not href:
        return None
    url = urldefrag(urljoin(page_url, href.strip()))[0]
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc == urlsplit(page_url).netloc else None


def _name_key(name: str) -> str:
    # Badges and group marks around a name ("+forster", "@Rory_A") do not make another person.
    return "".join(c for c in fold(name) if c.isalnum())


def _same_author(a: Mention, b: Mention) -> bool:
    return not a.author.name or not b.author.name or _name_key(a.author.name) == _name_key(b.author.name)


def _add(into: PageResult, found: PageResult, layer: str) -> None:
    # Only items of earlier layers are candidates: two posts of one layer with the same words
    # ("+1", "Merci !") are two posts.
    keys = {_key(m): i for i, m in enumerate(into.mentions)}
    ids = {m.id: i for i, m in enumerate(into.mentions)}
    for mention in found.mentions:
        index = keys.get(_key(mention))
        if index is not None and not _same_author(into.mentions[index], mention):
            index = None
        if index is None:
            index = ids.get(mention.id)  # the same permalink read by two layers
        if index is None:
            into.mentions.append(mention)
            into.layers[mention.id] = layer
            continue
        kept = into.mentions[index]
        updates: dict[str, Any] = {}
        if kept.rating is None and mention.rating is not None:
            updates["rating"] = mention.rating
        if kept.published_at is None and mention.published_at is not None:
            updates["published_at"] = mention.published_at
        if not kept.author.name and mention.author.name:
            updates["author"] = mention.author
        if updates:
            into.mentions[index] = kept.model_copy(update=updates)
            into.layers[kept.id] = f"{into.layers[kept.id]}+{layer}"
    into.problems.extend(found.problems)
    into.undated = sum(1 for m in into.mentions if m.published_at is None)


def extract_page(
    text: str,
    page_url: str,
    ctx: PageContext,
    profile: Profile | None = None,
    selector: Selector | None = None,
) -> PageResult:
    """All the posts of one page, each labelled with the layer that found it.

    ``profile`` is the source's preset/profile; ``None`` means ``preset: auto``.
    """
    from crawlers.spiders.comments import extract_comments
    from crawlers.spiders.detect import detect_engine
    from crawlers.spiders.discourse import extract_topic_json, topic_data
    from crawlers.spiders.generic import extract_repeated
    from crawlers.spiders.profiles import PRESETS
    from crawlers.spiders.structured import extract_reviews

    if (topic := topic_data(text)) is not None:
        # A Discourse topic's JSON (/t/ID.json): the engine's own data, no markup to guess.
        found = extract_topic_json(topic, page_url, ctx)
        found.layers = {m.id: "discourse:json" for m in found.mentions}
        return found
    page = selector if selector is not None else Selector(text=text, base_url=page_url)
    if ctx.language is None:
        # The page's own language decides how 09/08/20 reads (month first in English).
        lang = (page.xpath("/html/@lang").get() or "").strip().lower()[:2]
        if lang.isalpha() and len(lang) == 2:
            ctx = replace(ctx, language=lang)
    canonical = _canonical(page, page_url)
    if canonical and urldefrag(ctx.thread_url or page_url)[0] == urldefrag(page_url)[0]:
        # The first page of a thread, reached by a URL with session ids or sorting options:
        # its posts get the URL the site itself calls canonical, the same on every visit.
        ctx = replace(ctx, thread_url=canonical)
    result = PageResult()
    engine = None
    auto = profile is None
    if profile is None:
        engine = detect_engine(page)
        profile = PRESETS.get(engine) if engine else None
    if profile is not None and profile.rules:
        _add(result, extract_posts(page, page_url, profile, ctx), f"preset:{engine or 'configured'}")
    _add(result, extract_comments(page.root, page_url, ctx), f"comments:{engine or 'ids'}")
    if engine == "mediawiki":
        from crawlers.spiders.talk import extract_talk

        _add(result, extract_talk(page.root, page_url, ctx), "talk:mediawiki")
    if page.xpath("boolean(//div[@data-review-id])").get() == "1":
        from crawlers.spiders.profiles import WIDGETS

        _add(result, extract_posts(page, page_url, WIDGETS, ctx), "widget")
    if page.xpath("boolean(//script[@id='__NEXT_DATA__'])").get() == "1":
        from crawlers.spiders.nextdata import extract_state_reviews

        _add(result, extract_state_reviews(page, page_url, ctx), "json:state")
    markup_found = bool(result.mentions)
    _add(result, extract_reviews(text, page_url, ctx), "schema.org")
    # A listing (links to threads or articles) is not a thread: its teasers are not posts.
    listing = profile is not None and bool(select_nodes(page, profile.thread_list))
    # With preset: auto, schema.org items do not stop the generic finder: sites often mark up
    # only a few top reviews. A configured preset is trusted to know the page.
    if not markup_found and not listing and (auto or not result.mentions):
        _add(result, extract_repeated(page.root, page_url, ctx), "generic")
    # The article itself is a mention too, comments or not: a news story or blog post that
    # names the brand matters as much as its comments. Under a configured preset, only when
    # nothing else matched (the preset is trusted to know what the page holds).
    has_article = any(m.anchor is None for m in result.mentions)
    if not has_article and not listing and ctx.kind in ("blog", "news") and (auto or not result.mentions):
        from crawlers.spiders.article import extract_article

        commenters = frozenset(fold(m.author.name) for m in result.mentions if m.author.name)
        article = extract_article(text, page_url, ctx, not_authors=commenters)
        _add(result, article, "article")
    result.engine = engine
    return result
