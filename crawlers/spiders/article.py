"""The last layer of the cascade: a blog or news page read as one article, with trafilatura."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from core.mention import Author, Mention, Source, SourceKind
from crawlers.dates import parse_date
from crawlers.spiders.extract import PageContext, PageResult

logger = logging.getLogger(__name__)


def extract_article(html: str, page_url: str, ctx: PageContext) -> PageResult:
    """One Mention for the page's main text (its URL as id), or nothing when there is none."""
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
    when = document.get("date")
    published = parse_date(str(when), tz=ctx.tz, now=ctx.now) if when else None
    if published is None:
        result.undated += 1
    try:
        result.mentions.append(
            Mention(
                url=page_url,
                thread_url=page_url,
                source=Source(kind=SourceKind(ctx.kind), name=ctx.source),
                title=document.get("title"),
                text=document["text"],
                author=Author(name=document.get("author")),
                published_at=published,
                first_seen_at=ctx.now,
            )
        )
    except (ValueError, ValidationError) as exc:
        result.problems.append(f"article could not be read: {str(exc).splitlines()[0]}")
    return result
