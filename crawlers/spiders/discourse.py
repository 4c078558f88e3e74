"""Discourse topics read from their public JSON (``/t/ID.json``) rather than their HTML.

A Discourse topic page is a JavaScript application; what a crawler gets as HTML is a reduced
"crawler view" whose markup has changed across versions (2.x has no post ids at all). The same
topic as JSON (``https://forum/t/ID.json``, public on any forum readable without login) gives
each post's number, author, exact creation time and cooked HTML, and the ids of every post of
the topic, so the spider can ask for the posts beyond the first page
(``/t/ID/posts.json?post_ids[]=...``).

Posts get the anchor ``post-N`` and the thread URL ``https://forum/t/slug/ID``: the same id as
the HTML crawler view gives them, so a topic read both ways is one set of mentions.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from core.mention import Author
from crawlers.spiders.extract import PageContext, PageResult
from crawlers.text import html_to_text

logger = logging.getLogger(__name__)

# /t/slug/123, /t/123, /t/slug/123/45 (a post number), with or without a trailing .json
_TOPIC_PATH = re.compile(r"^(?P<root>.*?)/t/(?:(?P<slug>[^/]+)/)?(?P<id>\d+)(?:/\d+)?(?:\.json)?/?$")
_REGULAR = 1  # post_type: 2 moderator notices, 3 small actions ("pinned globally"), 4 whispers
CHUNK = 20  # Discourse serves at most 20 posts per request


def topic_json_url(page_url: str) -> str | None:
    """``https://forum/t/ID.json`` for a topic page URL, or None when it is not one."""
    parts = urlsplit(page_url)
    match = _TOPIC_PATH.match(parts.path)
    if not match or parts.scheme not in ("http", "https"):
        return None
    return f"{parts.scheme}://{parts.netloc}{match['root']}/t/{match['id']}.json"


def topic_data(text: str) -> dict[str, Any] | None:
    """The parsed document when ``text`` is a Discourse topic or posts JSON, else None."""
    head = text.lstrip()[:1]
    if head != "{" or '"post_stream"' not in text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    stream = data.get("post_stream") if isinstance(data, dict) else None
    return data if isinstance(stream, dict) and isinstance(stream.get("posts"), list) else None


def more_posts_urls(data: dict[str, Any], page_url: str) -> list[str]:
    """Requests for the topic's posts that ``data`` lists in its stream but does not carry."""
    stream = data["post_stream"]
    loaded = {post.get("id") for post in stream["posts"]}
    missing = [pid for pid in stream.get("stream") or [] if isinstance(pid, int) and pid not in loaded]
    topic_id = data.get("id")
    if not missing or not isinstance(topic_id, int):
        return []
    parts = urlsplit(page_url)
    match = _TOPIC_PATH.match(parts.path)
    root = match["root"] if match else ""
    base = f"{parts.scheme}://{parts.netloc}{root}/t/{topic_id}/posts.json"
    return [
        f"{base}?{urlencode([('post_ids[]', pid) for pid in missing[i : i + CHUNK]])}"
        for i in range(0, len(missing), CHUNK)
    ]


def extract_topic_json(data: dict[str, Any], page_url: str, ctx: PageContext) -> PageResult:
    """One Mention per regular post of a Discourse topic (or posts) JSON document."""
    result = PageResult()
    parts = urlsplit(page_url)
    match = _TOPIC_PATH.match(parts.path)
    site = f"{parts.scheme}://{parts.netloc}{match['root'] if match else ''}"
    title = data.get("title") if isinstance(data.get("title"), str) else None
    for post in data["post_stream"]["posts"]:
        if not isinstance(post, dict) or post.get("post_type", _REGULAR) != _REGULAR:
            continue
        number = post.get("post_number")
        topic_id = post.get("topic_id") or data.get("id")
        slug = post.get("topic_slug") or data.get("slug")
        text = html_to_text(post.get("cooked") or "")
        if not text:
            continue  # an image-only post: nothing Veille can read
        if not isinstance(number, int) or not isinstance(topic_id, int):
            result.problems.append(f"a Discourse post without a number or topic id on {page_url}")
            continue
        thread = f"{site}/t/{slug}/{topic_id}" if slug else f"{site}/t/{topic_id}"
        username = post.get("username") if isinstance(post.get("username"), str) else None
        result.add(
            f"Discourse post #{number}",
            ctx,
            url=f"{thread}#post-{number}",
            anchor=f"post-{number}",
            thread_url=thread,
            title=title,
            text=text,
            author=Author(name=username, url=f"{site}/u/{username}" if username else None),
            published_at=_when(post.get("created_at")),
        )
    result.undated = sum(1 for m in result.mentions if m.published_at is None)
    result.engine = "discourse"
    return result


def _when(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)  # Discourse writes UTC
