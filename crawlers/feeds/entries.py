"""Feed entries (as feedparser gives them) to Mentions: title, plain text, link, author, date."""

from __future__ import annotations

import calendar
import hashlib
import warnings
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit
from zoneinfo import ZoneInfo

from core.config.sources import FeedSource
from core.mention import Author, Mention, Source, SourceKind
from core.sanitize import plausible_published
from core.urls import domain_of
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
    with warnings.catch_warnings():
        # feedparser warns when "updated" falls back to "published" (an empty <pubDate>, found by
        # fuzzing): same value, no news, not worth a warning per entry.
        warnings.simplefilter("ignore", DeprecationWarning)
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


def unwrap_redirect(url: str) -> str:
    """The article a Google Alerts (or Google News ``/url?``) redirect link points to."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if (host == "google.com" or host.endswith(".google.com")) and parts.path == "/url":
        target = parse_qs(parts.query).get("url") or parse_qs(parts.query).get("q")
        if target and target[0].startswith(("http://", "https://")):
            return target[0]
    return url


def _enclosure(entry: Any) -> str | None:
    for enclosure in entry.get("enclosures") or []:
        if enclosure.get("href"):
            return str(enclosure["href"])
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and link.get("href"):
            return str(link["href"])
    return None


def entry_url(entry: Any, feed_url: str) -> tuple[str, str | None]:
    """(url, anchor) of an entry: its link, else a URL-like guid, else its enclosure, else the
    feed's URL with an anchor from the guid (a podcast or a bare guid entry is still a mention).
    Raises ``ValueError`` when the entry has none of them."""
    guid = str(entry.get("id") or "")
    link = (
        entry.get("link") or (guid if guid.startswith(("http://", "https://")) else "") or _enclosure(entry)
    )
    if link:
        return unwrap_redirect(urljoin(feed_url, str(link))), None
    if guid:
        return feed_url, f"entry-{hashlib.sha256(guid.encode()).hexdigest()[:12]}"
    raise ValueError("entry has no link, guid or enclosure")


def entry_to_mention(
    entry: Any,
    source: FeedSource,
    feed_url: str,
    tz: ZoneInfo,
    now: datetime,
    notes: list[str] | None = None,
) -> Mention:
    """Build the Mention of one entry; raises ``ValueError`` when the entry has no usable link.
    What was corrected (an absurd date taken as unknown) is appended to ``notes``."""
    url, anchor = entry_url(entry, feed_url)
    # Google News: the item's <source url="..."> is the publisher; news.google.com is not.
    publisher = (entry.get("source") or {}).get("href") or ""
    domain = domain_of(publisher) if publisher.startswith(("http://", "https://")) else ""
    author_name = entry.get("author") or (entry.get("author_detail") or {}).get("name")
    author_url = (entry.get("author_detail") or {}).get("href")
    title = html_to_text(entry.get("title") or "") or None
    return Mention(
        url=url,
        anchor=anchor,
        source=Source(kind=SourceKind(source.kind), name=source.name, domain=domain),
        title=title,
        text=entry_text(entry) or (title or ""),
        author=Author(name=author_name or None, url=author_url or None),
        published_at=_plausible(entry_published(entry, tz, now), now, notes),  # undated stays None
        first_seen_at=now,
    )


def _plausible(value: datetime | None, now: datetime, notes: list[str] | None) -> datetime | None:
    checked, reason = plausible_published(value, now)
    if reason and notes is not None:
        notes.append(f"{reason}: taken as unknown")
    return checked
