"""The last layer of the cascade: a blog or news page read as one article, with trafilatura."""

from __future__ import annotations

import logging
import re
from typing import Any

from core.mention import Author
from core.text import fold
from crawlers.dates import parse_date
from crawlers.spiders.extract import PageContext, PageResult

logger = logging.getLogger(__name__)

# Bylines trafilatura does not know: class names in other languages, and the wire agencies'
# closing credit "(Reporting by A; Editing by B)".
_BYLINE_XPATH = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' autor ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' auteur ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' byline ')]"
)
_CREDIT = re.compile(r"\((?:Reporting|Writing|Reportage) by ([^;,()]+?)(?:;|,| and |\))")
_LEAD = re.compile(r"^(?:by|por|par|von|di|door)\s+", re.IGNORECASE)


def _plausible(name: str) -> str | None:
    name = _LEAD.sub("", " ".join(name.split())).strip(" |-–—:")
    words = name.split()
    if 2 <= len(words) <= 5 and len(name) <= 60 and not any(c.isdigit() for c in name):
        return name
    return None


def _byline(html: str, text: str) -> str | None:
    """The author from a byline in another language or a wire credit, when trafilatura has none."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        root = None
    for node in root.xpath(_BYLINE_XPATH)[:3] if root is not None else []:
        strong = node.xpath("string(.//strong|.//a)")  # the name is often the emphasised part
        candidate = strong or node.text_content().split("|")[0]
        if name := _plausible(candidate):
            return name
    credit = _CREDIT.search(text)
    return _plausible(credit.group(1)) if credit else None


def _byline_date(html: str, ctx: PageContext):  # noqa: ANN202 - datetime | None
    """The date printed in the story's byline ("Patricio Candia | Palma | 08/01/2014"), if any.

    A byline's date is the story's own; a page also shows other dates (today's date in the
    site header, often in a <time>), which trafilatura may take instead.
    """
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    for node in root.xpath(_BYLINE_XPATH)[:3]:
        for part in node.text_content().split("|"):
            when = parse_date(part, tz=ctx.tz, now=ctx.now, language=ctx.language, slow=False)
            if part.strip() and when is not None:
                return when
    return None


def extract_article(
    html: str, page_url: str, ctx: PageContext, not_authors: frozenset[str] = frozenset()
) -> PageResult:
    """One Mention for the page's main text (its URL as id), or nothing when there is none.

    ``not_authors`` (folded names): the page's commenters. trafilatura takes the first element
    classed *author* when the byline is not marked up, often a comment's; a story credited to
    one of its commenters is a misattribution, so such a name counts as no author.
    """
    import trafilatura

    result = PageResult()
    try:
        extracted = trafilatura.bare_extraction(html, url=page_url, with_metadata=True)
        # trafilatura 2 returns a Document (its as_dict= argument is deprecated), 1.x a dict.
        if extracted is not None and hasattr(extracted, "as_dict"):
            extracted = extracted.as_dict()
        document: dict[str, Any] | None = extracted if isinstance(extracted, dict) else None
    except Exception as exc:  # trafilatura raises what its parsers raise on odd markup
        result.problems.append(f"article text unreadable: {exc}")
        return result
    if not document or not document.get("text"):
        return result
    author = document.get("author")
    if author and fold(author) in not_authors:
        author = None
    if not author:
        author = _byline(html, document["text"])
        if author and fold(author) in not_authors:
            author = None
    when = document.get("date")
    published = parse_date(str(when), tz=ctx.tz, now=ctx.now) if when else None
    printed = _byline_date(html, ctx)
    if printed is not None and (published is None or printed.date() != published.date()):
        published = printed
    if published is None:
        result.undated += 1
    result.add(
        "article",
        ctx,
        url=page_url,
        thread_url=page_url,
        title=document.get("title"),
        text=document["text"],
        author=Author(name=author),
        published_at=published,
    )
    return result
