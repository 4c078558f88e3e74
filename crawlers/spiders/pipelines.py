"""The item pipeline of every site crawl: keep new or edited posts, match brands, spool them.

A thin Scrapy adapter around ``StateStore`` (what was seen), ``BrandMatcher`` and ``Spool``.
Items are buffered and written in batches: the matching mentions go to the spool first, then
every item of the batch is marked seen, so a crash in between re-yields posts rather than
losing them (the spool and the deterministic ids absorb the repeat).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from core.config import LoadedConfig
from core.errors import SpoolError
from core.mention import Mention
from core.spool import Spool
from crawlers.matching import BrandMatcher
from crawlers.state import StateStore, state_path
from crawlers.summary import SourceSummary

logger = logging.getLogger(__name__)

BATCH = 200


def post_hash(mention: Mention) -> str:
    """What counts as an edit: title, text, rating and author (not dates, which drift)."""
    rating = mention.rating.value if mention.rating else ""
    raw = "\x1f".join([mention.title or "", mention.text, str(rating), mention.author.name or ""])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


class CollectPipeline:
    def __init__(self, loaded: LoadedConfig, crawler: Crawler) -> None:
        self.loaded = loaded
        self.crawler = crawler
        self.matcher = BrandMatcher(loaded.config.brands)
        self._state: StateStore | None = None
        self._spool: Spool | None = None
        self._pending: list[tuple[str, str]] = []
        self._matched: list[Mention] = []
        self._this_run: set[str] = set()
        self._spool_failed = False  # after a failure, retry only once more, at close

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        loaded = crawler.settings.get("VEILLE_LOADED")
        if loaded is None:
            raise NotConfigured("VEILLE_LOADED setting missing: crawls are started by crawlers.run")
        return cls(loaded, crawler)

    @property
    def summary(self) -> SourceSummary:
        from crawlers.spiders.site import SiteSpider

        spider = self.crawler.spider
        assert isinstance(spider, SiteSpider), "the pipeline runs inside a SiteSpider crawl"
        return spider.summary

    @property
    def source(self) -> str:
        return self.summary.source

    def open_spider(self) -> None:
        self._state = StateStore(state_path(self.loaded))
        try:
            self._spool = Spool(self.loaded.spool_path)
        except SpoolError as exc:  # reported once, as the source's error; no traceback per item
            self._spool_error(exc)

    def close_spider(self) -> None:
        try:
            self._flush()
            if self._spool_failed:  # what the summary counted as matched never reached the spool
                self.summary.matched -= len(self._matched)
        finally:
            if self._state is not None:
                self._state.close()
            if self._spool is not None:
                self._spool.close()

    def process_item(self, item: Mention) -> Mention:
        assert self._state is not None
        key = item.id  # a computed property (canonical URL + hash): compute it once
        if key in self._this_run:
            raise DropItem(f"{item.url} already seen in this crawl", log_level="DEBUG")
        self._this_run.add(key)
        digest = post_hash(item)
        fresh = self._state.unseen(self.source, {key: digest})
        self._pending.append((key, digest))  # unchanged ones too: keeps them from ageing out
        try:
            if not fresh:
                raise DropItem(f"{item.url} unchanged since the last crawl", log_level="DEBUG")
            self.summary.new += 1
            if not self.matcher.apply(item):
                raise DropItem(f"{item.url} names no configured brand", log_level="DEBUG")
            self.summary.matched += 1
            self._matched.append(item)
            return item
        finally:
            if len(self._pending) >= BATCH and not self._spool_failed:
                self._flush()

    def _flush(self) -> None:
        assert self._state is not None
        # Spool first, then mark seen: see the module docstring.
        try:
            if self._spool is None:
                raise SpoolError(f"the spool {self.loaded.spool_path} could not be opened")
            self._spool.put(self._matched)
        except SpoolError as exc:
            # Keep both buffers: the next flush retries; if none succeeds the posts are not
            # marked seen and the next crawl yields them again.
            self._spool_error(exc)
            return
        self._state.mark_seen(self.source, self._pending)
        self._matched, self._pending = [], []

    def _spool_error(self, exc: SpoolError) -> None:
        if not self._spool_failed:
            self.summary.error(str(self.loaded.spool_path), f"cannot write to the spool: {exc}")
            logger.error("%s: cannot write to the spool: %s", self.source, exc)
        self._spool_failed = True
        self.summary.spool_failed = True
