"""What Veille would extract from one URL: the report of ``veille try URL``.

Fetches the page once (no state, no spool), runs the extraction cascade as a source with
``preset: auto`` (or the preset given) would, and describes the result the way a user adding
a source needs it: the engine detected, which layer found each item, each item's author, date,
rating, anchor and first words, and what is missing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from crawlers.spiders.extract import PageContext, PageResult

TEXT_START = 70


def extract_url(
    url: str, *, kind: str = "forum", tz: str = "Europe/Paris", preset: str = "auto", timeout: float = 20.0
) -> tuple[PageResult, str | None]:
    """(cascade result, charset note) for the page at ``url``; raises FetchError."""
    import urllib3

    from crawlers.charset import decode_page
    from crawlers.http import FetchError
    from crawlers.spiders.cascade import extract_page
    from crawlers.spiders.profiles import PRESETS

    try:
        response = urllib3.PoolManager().request("GET", url, timeout=urllib3.Timeout(timeout, timeout))
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc
    if response.status >= 400:
        raise FetchError(url, f"HTTP {response.status}")
    text, note = decode_page(response.data, response.headers.get("Content-Type"))
    ctx = PageContext(source="try", kind=kind, tz=ZoneInfo(tz), now=datetime.now(UTC), thread_url=url)
    profile = None if preset == "auto" else PRESETS[preset]
    result = extract_page(text, url, ctx, profile)
    if result.engine == "discourse" or preset == "discourse":
        # As the crawl does: a Discourse topic is read from its JSON when the forum serves it.
        from crawlers.spiders.discourse import topic_json_url

        json_url = topic_json_url(url)
        try:
            answer = urllib3.PoolManager().request("GET", json_url, timeout=timeout) if json_url else None
        except urllib3.exceptions.HTTPError:
            answer = None
        if json_url and answer is not None and answer.status < 400:
            from_json = extract_page(answer.data.decode("utf-8", "replace"), json_url, ctx, profile)
            if from_json.mentions:
                return from_json, note
    return result, note


def describe(result: PageResult, note: str | None, tz: str = "Europe/Paris") -> str:
    """The report: one block per item, then the counts of what is missing."""
    zone = ZoneInfo(tz)
    unknown = "none (schema.org, page state, review widgets, comment ids, generic finder)"
    lines = [f"engine detected: {result.engine or unknown}"]
    if note:
        lines.append(f"charset: {note}")
    lines.append(f"items: {len(result.mentions)}")
    for number, mention in enumerate(result.mentions, 1):
        when = (
            mention.published_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            if mention.published_at
            else "NO DATE"
        )
        rating = f"  rating {mention.rating.value:g}/{mention.rating.best:g}" if mention.rating else ""
        start = " ".join(mention.text.split())[:TEXT_START]
        lines.append(
            f"{number:>3}. [{result.layers.get(mention.id, '?')}] {mention.author.name or 'NO AUTHOR'}"
            f" | {when}{rating} | #{mention.anchor or '-'}\n     {start}"
        )
    undated = sum(1 for m in result.mentions if m.published_at is None)
    anonymous = sum(1 for m in result.mentions if not m.author.name)
    lines.append(f"missing: {undated} without a date, {anonymous} without an author")
    if not result.mentions:
        lines.append(
            "nothing found: set a preset or a profile (post, post_text, post_date...) in config.yaml"
        )
    lines.extend(f"problem: {problem}" for problem in result.problems)
    return "\n".join(lines)
