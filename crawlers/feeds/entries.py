"""Feed entries (as feedparser gives them) to Mentions: title, plain text, link, author, date."""

from __future__ import annotations

import calendar
import hashlib
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from core.config.sources import FeedSource
from core.mention import Author, Mention, Source, SourceKind
from crawlers.dates import parse_date
from crawlers.text import html_to_text


def entry_key(entry: Any) -> str | None:
    """The entry's stable identity: its id (guid), else its link, else its title."""
    for attr in ("id", "link", "title"):
        value = entry.get(attr)
        if value:
            return str(value)
    return None


def entry_text(entry: Any) -> str:
    """Plain text of the richest body the entry has: full content, else summary."""
    for content in entry.get("content") or []:
        value = content.get("value")
        if value and value.strip():
            return html_to_text(value)
    return html_to_text(entry.get("summary") or entry.get("description") or "")


def entry_published(entry: Any, tz: ZoneInfo, now: datetime) -> datetime | None:
    for attr in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(attr)
        if parsed:
            # feedparser normalises these struct_time values to UTC.
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    for attr in ("published", "updated", "created"):
        if entry.get(attr):
            found = parse_date(entry[attr], tz=tz, now=now)
            if found is not None:
                return found
    return None


def content_hash(*parts: str | None) -> str:
    digest = hashlib.sha256("\x1f".join(p or "" for p in parts).encode("utf-8"))
    return digest.hexdigest()[:24]


def entry_to_mention(entry: Any, source: FeedSource, feed_url: str, tz: ZoneInfo, now: datetime) -> Mention:
    """Build the Mention of one entry; raises ``ValueError`` when the entry has no usable link."""
    link = entry.get("link") or ""
    if not link and str(entry.get("id", "")).startswith("http"):
        link = entry["id"]
    if not link:
        raise ValueError("entry has no link")
    url = urljoin(feed_url, link)
    author_name = entry.get("author") or (entry.get("author_detail") or {}).get("name")
    author_url = (entry.get("author_detail") or {}).get("href")
    title = html_to_text(entry.get("title") or "") or None
    return Mention(
        url=url,
        source=Source(kind=SourceKind(source.kind), name=source.name),
        title=title,
        text=entry_text(entry) or (title or ""),
        author=Author(name=author_name or None, url=author_url or None),
        published_at=entry_published(entry, tz, now),  # undated stays None, never the poll time
        first_seen_at=now,
    )
