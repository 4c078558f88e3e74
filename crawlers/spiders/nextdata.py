"""Reviews kept in a page's embedded application state (Next.js ``script#__NEXT_DATA__``).

Trustpilot, and many shops built on Next.js, render their reviews from a JSON state script;
the markup around them has generated class names that change every release, while the state
keeps the same keys. This layer walks the state for lists named ``reviews`` whose entries
carry a text and a numeric rating or an author and a date (Trustpilot: ``text``, ``title``,
``rating``, ``consumer.displayName``, ``dates.publishedDate``, ``id``; Marmiton: ``content``,
``rating``, ``username``, ``date``, ``reviewId``), and makes one Mention per entry.
The business's replies stay out: they are the brand's own words.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag

from parsel import Selector
from pydantic import ValidationError

from core.mention import Author, Rating
from crawlers.dates import parse_date
from crawlers.spiders.extract import PageContext, PageResult, stable_post_url

logger = logging.getLogger(__name__)

_MAX_DEPTH = 12
_AUTHOR_PATHS = ("consumer.displayName", "author.name", "user.name", "user.displayName", "username", "author")


def _review_lists(node: Any, depth: int = 0) -> Iterator[list[dict[str, Any]]]:
    """Every ``reviews`` list of dicts nested in the state, outermost first."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reviews" and isinstance(value, list) and any(isinstance(v, dict) for v in value):
                yield [v for v in value if isinstance(v, dict)]
            else:
                yield from _review_lists(value, depth + 1)
    elif isinstance(node, list):
        for value in node:
            yield from _review_lists(value, depth + 1)


def _first(entry: dict[str, Any], *paths: str) -> Any:
    for path in paths:
        value: Any = entry
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value not in (None, ""):
            return value
    return None


def _rating(value: Any) -> Rating | None:
    try:
        stars = float(value)
        return Rating(value=stars, best=5, worst=1 if stars >= 1 else 0)
    except (TypeError, ValueError, ValidationError):
        return None


def _business(state: dict[str, Any]) -> str | None:
    unit = _first(state, "props.pageProps.businessUnit")
    name = _first(unit, "displayName", "name") if isinstance(unit, dict) else None
    return str(name).strip() if name else None


def extract_state_reviews(page: Selector, page_url: str, ctx: PageContext) -> PageResult:
    """One Mention per review found in ``script#__NEXT_DATA__``; nothing when there is none."""
    result = PageResult()
    raw = page.xpath("//script[@id='__NEXT_DATA__']/text()").get()
    if not raw:
        return result
    try:
        state = json.loads(raw)
    except ValueError as exc:
        result.problems.append(f"the page's __NEXT_DATA__ state is not JSON: {exc}")
        return result
    business = _business(state) if isinstance(state, dict) else None
    thread = urldefrag(ctx.thread_url or page_url)[0]
    seen: set[str] = set()
    for reviews in _review_lists(state):
        for entry in reviews:
            text = _first(entry, "text", "content", "body", "reviewBody")
            rating = _rating(_first(entry, "rating", "stars", "score", "reviewRating.ratingValue"))
            when = _first(entry, "dates.publishedDate", "publishedDate", "datePublished", "createdAt", "date")
            name = _first(
                entry,
                "consumer.displayName",
                "author.name",
                "user.name",
                "user.displayName",
                "username",
                "author",
            )
            if not isinstance(text, str) or not text.strip() or (rating is None and not (when and name)):
                continue  # not a review (a list of review ids, a summary): words plus a rating or a byline
            review_id = str(_first(entry, "id", "reviewId") or "")
            if not review_id:  # a content id, stable across visits, as schema.org reviews get
                review_id = hashlib.sha256(f"{name}|{text}".encode()).hexdigest()[:12]
            if review_id in seen:
                continue
            seen.add(review_id)
            anchor = f"review-{review_id}"
            published = parse_date(str(when), tz=ctx.tz, now=ctx.now) if when else None
            if published is None:
                result.undated += 1
            headline = _first(entry, "title", "headline")
            title = " : ".join(str(p) for p in (business, headline) if p) or None
            result.add(
                f"review {anchor} of the page state",
                ctx,
                url=stable_post_url(None, page_url, thread, anchor),
                anchor=anchor,
                thread_url=thread,
                title=title,
                text=text.strip(),
                author=Author(name=str(name) if isinstance(name, str | int) else None),
                rating=rating,
                published_at=published,
            )
    return result
