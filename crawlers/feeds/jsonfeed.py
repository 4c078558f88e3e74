"""JSON Feed 1.0 / 1.1 (jsonfeed.org), which feedparser does not read, as feedparser-like entries.

Only what ``entries.py`` uses is mapped: id, link (``url``, else ``external_url``), title,
content (HTML, else text), summary, dates, authors (1.1's ``authors``, 1.0's ``author``) and
attachments as enclosures. A body that is not a JSON Feed gives ``None``.
"""

from __future__ import annotations

import json
from typing import Any

from feedparser import FeedParserDict


def looks_like_json(body: bytes, content_type: str | None) -> bool:
    return "json" in (content_type or "").lower() or body.lstrip()[:1] == b"{"


def parse_json_feed(body: bytes) -> FeedParserDict | None:
    """The feed as feedparser would give it (``entries``, ``bozo``), or None when not a JSON Feed."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or "jsonfeed.org/version" not in str(data.get("version", "")):
        return None
    entries = []
    for item in data.get("items") or []:
        if isinstance(item, dict):
            entries.append(_entry(item))
    return FeedParserDict(
        bozo=False, entries=entries, version="json", feed=FeedParserDict(title=data.get("title"))
    )


def _entry(item: dict[str, Any]) -> FeedParserDict:
    authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
    first = authors[0] if authors and isinstance(authors[0], dict) else {}
    content = []
    if item.get("content_html"):
        content.append(FeedParserDict(type="text/html", value=item["content_html"]))
    elif item.get("content_text"):
        content.append(FeedParserDict(type="text/plain", value=item["content_text"]))
    enclosures = [
        FeedParserDict(href=a["url"], type=a.get("mime_type", ""))
        for a in item.get("attachments") or []
        if isinstance(a, dict) and a.get("url")
    ]
    entry = FeedParserDict(
        id=str(item["id"]) if item.get("id") is not None else None,
        link=item.get("url") or item.get("external_url"),
        title=item.get("title"),
        summary=item.get("summary"),
        content=content,
        published=item.get("date_published"),
        updated=item.get("date_modified"),
        author=first.get("name"),
        author_detail=FeedParserDict(name=first.get("name"), href=first.get("url")) if first else None,
        enclosures=enclosures,
    )
    return FeedParserDict({k: v for k, v in entry.items() if v not in (None, [], "")})
