"""Poll RSS/Atom feeds once: conditional GET, parse, keep new entries that name a brand, spool them.

Downloads run in a thread pool; parsing, matching, the spool and the state are handled feed by
feed in the calling thread, each as soon as its download ends. Per feed: ETag / Last-Modified
from the last run are sent (a 304 costs no parse); entries already seen are skipped; a
malformed ("bozo") feed is parsed as far as possible and its error reported against that feed;
a JSON Feed is read by ``jsonfeed.py``.
Validators and seen ids are saved only once the feed's mentions are in the spool, so a failure
means a retry next time, never a loss.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
from pydantic import ValidationError

from core.config import LoadedConfig
from core.config.sources import FeedSource
from core.errors import SpoolError
from core.mention import Mention
from core.sanitize import neutralise_charrefs
from core.spool import Spool
from crawlers.confine import Scope
from crawlers.feeds.entries import entry_key, entry_to_mention
from crawlers.feeds.jsonfeed import looks_like_json, parse_json_feed
from crawlers.fulltext import fetch_full_text
from crawlers.http import Fetched, Fetcher, FetchError
from crawlers.matching import BrandMatcher
from crawlers.sources import select_feeds, source_tz
from crawlers.state import HttpState, StateStore, state_path
from crawlers.summary import SourceSummary

logger = logging.getLogger(__name__)

# Not errors of the feed: the header and the document disagree on the encoding, or the server
# sends a generic content type. feedparser copes; we only note it in the debug log.
BENIGN_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def poll_feeds(
    loaded: LoadedConfig, source: str | None = None, *, workers: int = 16, spool: Spool | None = None
) -> list[SourceSummary]:
    """Poll the enabled feeds (or the one named) once; one summary per feed, in config order."""
    config = loaded.config
    feeds = select_feeds(config, source)
    if not feeds:
        return []
    matcher = BrandMatcher(config.brands)
    own_spool = spool is None
    spool = spool or Spool(loaded.spool_path)
    try:
        with (
            StateStore(state_path(loaded)) as state,
            Fetcher(config.crawl, pool_size=workers) as fetcher,
            ThreadPoolExecutor(max_workers=workers, thread_name_prefix="poll") as pool,
        ):
            poller = _Poller(loaded, matcher, state, spool, fetcher, pool)
            return poller.run(feeds)
    finally:
        if own_spool:
            spool.close()


def feed_scope(feed: FeedSource) -> Scope:
    """A feed fetches from its own origin (its entries' pages too) unless ``also_fetch_from`` says more."""
    return Scope(feed.name, [str(feed.url)], feed.also_fetch_from)


@dataclass
class _Update:
    """What one feed's poll will write once the whole cycle's mentions are in the spool."""

    summary: SourceSummary
    url: str
    matched: list[Mention]
    fresh: set[str]
    validators: HttpState


class _Poller:
    def __init__(
        self,
        loaded: LoadedConfig,
        matcher: BrandMatcher,
        state: StateStore,
        spool: Spool,
        fetcher: Fetcher,
        pool: Executor,
    ) -> None:
        self.config = loaded.config
        self.matcher = matcher
        self.state = state
        self.spool = spool
        self.fetcher = fetcher
        self.pool = pool

    def run(self, feeds: Sequence[FeedSource]) -> list[SourceSummary]:
        started = time.monotonic()
        validators = {feed.name: self.state.http_state(feed.name, str(feed.url)) for feed in feeds}
        futures = {self.pool.submit(self._download, feed, validators[feed.name]): feed for feed in feeds}
        summaries = {}
        # Each feed is parsed and spooled as soon as its download ends: a slow feed holds
        # only itself, and what the fast ones found is safe even if the poll is killed.
        for future in as_completed(futures):
            feed = futures[future]
            summary = SourceSummary(feed.name, feed.kind)
            outcome = future.result()
            if isinstance(outcome, FetchError):
                summary.error(outcome.url, outcome.reason)
                logger.warning("feed %r: %s: %s", feed.name, outcome.url, outcome.reason)
            elif outcome.not_modified:
                summary.not_modified = 1
            else:
                self._commit([self._process(feed, outcome, summary)])
            summary.seconds = round(time.monotonic() - started, 3)
            summaries[feed.name] = summary
            self.state.record_run(summary)  # for `veille status`
        return [summaries[feed.name] for feed in feeds]

    def _commit(self, updates: list[_Update]) -> None:
        """Spool the feed's mentions, then record its seen ids and validators (state after spool)."""
        try:
            self.spool.put([m for update in updates for m in update.matched])
        except SpoolError as exc:
            logger.error("poll: cannot write to the spool, every feed will be fetched again: %s", exc)
            for update in updates:
                update.summary.error(update.url, f"cannot write to the spool, will retry next poll: {exc}")
                update.summary.matched = 0
                update.summary.spool_failed = True
            return
        self.state.commit_feeds((u.summary.source, u.fresh, u.validators) for u in updates)

    def _download(self, feed: FeedSource, validators: HttpState | None) -> Fetched | FetchError:
        try:
            return self.fetcher.get(
                str(feed.url),
                etag=validators.etag if validators else None,
                last_modified=validators.last_modified if validators else None,
                timeout=feed.timeout.total_seconds() if feed.timeout else None,
                scope=feed_scope(feed),
                leave_scope=True,  # feeds move to CDNs; their entries' pages stay confined
            )
        except FetchError as exc:
            return exc

    def _process(self, feed: FeedSource, fetched: Fetched, summary: SourceSummary) -> _Update:
        url = str(feed.url)
        summary.fetched = 1
        validators = HttpState(url, fetched.headers.get("ETag"), fetched.headers.get("Last-Modified"))
        headers = {k.lower(): v for k, v in fetched.headers.items()}
        headers.setdefault("content-location", fetched.url)
        body, replaced = neutralise_charrefs(fetched.body)
        if replaced:
            summary.error(
                url, f"{replaced} invalid character reference(s) (e.g. &#xD800;) replaced by U+FFFD"
            )
        parsed = None
        try:
            if looks_like_json(body, headers.get("content-type")):
                parsed = parse_json_feed(body)  # JSON Feed 1.0/1.1: feedparser cannot
            if parsed is None:
                parsed = feedparser.parse(body, response_headers=headers)
        except Exception as failure:  # parser bugs on hostile input must cost one feed, not all
            summary.error(url, f"feed parser failed on this document: {type(failure).__name__}: {failure}")
            logger.warning("feed %r: %s: parser failed: %r", feed.name, url, failure)
            return _Update(summary, url, [], set(), validators)
        if parsed.bozo:
            exc = parsed.get("bozo_exception")
            if isinstance(exc, BENIGN_BOZO):
                logger.debug("feed %r: %s: %s", feed.name, url, exc)
            elif not parsed.entries:
                summary.error(url, f"not a readable feed: {exc}")
                logger.warning("feed %r: %s: not a readable feed: %s", feed.name, url, exc)
                return _Update(summary, url, [], set(), validators)
            else:
                summary.error(url, f"malformed feed, {len(parsed.entries)} entries read anyway: {exc}")
                logger.warning(
                    "feed %r: %s: malformed feed (%s), parsed as far as possible", feed.name, url, exc
                )
        summary.items = len(parsed.entries)
        entries: dict[str, Any] = {}
        for entry in parsed.entries:
            key = entry_key(entry)
            if key is None:
                summary.error(url, "an entry has neither id, link nor title; skipped")
                continue
            entries.setdefault(key, entry)
        # Feeds are judged by id only: a feed rewrites summaries freely, that is not a new entry.
        fresh = self.state.unseen(feed.name, dict.fromkeys(entries, ""))
        # urllib3 may report the final URL as a bare path when there was no redirect.
        final_url = urljoin(url, fetched.url)
        mentions = self._mentions(
            feed, final_url, [(k, e) for k, e in entries.items() if k in fresh], summary
        )
        summary.new = len(fresh)
        matched = [m for m in mentions if self.matcher.apply(m)]
        summary.matched = len(matched)
        return _Update(summary, url, matched, fresh, validators)

    def _mentions(
        self, feed: FeedSource, feed_url: str, entries: list[tuple[str, Any]], summary: SourceSummary
    ) -> list[Mention]:
        tz = source_tz(self.config, feed)
        now = datetime.now(UTC)
        mentions = []
        for key, entry in entries:
            notes: list[str] = []
            try:
                mentions.append(entry_to_mention(entry, feed, feed_url, tz, now, notes))
            except (ValueError, ValidationError) as exc:
                reason = str(exc).splitlines()[0]
                summary.error(str(feed.url), f"entry {key!r} skipped: {reason}")
            for note in notes:
                summary.error(str(feed.url), f"entry {key!r}: {note}")
        summary.undated += sum(1 for m in mentions if m.published_at is None)
        summary.anonymous += sum(1 for m in mentions if not m.author.name)
        if feed.full_text and mentions:
            scope = feed_scope(feed)
            texts = self.pool.map(lambda m: fetch_full_text(self.fetcher, m.url, scope), mentions)
            for mention, (text, error) in zip(mentions, texts, strict=True):
                if error:
                    summary.error(mention.url, f"full text not fetched (feed summary kept): {error}")
                elif text and len(text) > len(mention.text):
                    mention.text = text
        return mentions
