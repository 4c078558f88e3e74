"""The one spider for forums, blogs and review sites, driven by the source's profile.

From the start URLs it follows the profile's thread/article/product links and next-page links,
within the source's domains and up to ``max_pages`` pages, and yields one Mention per post,
comment or review found (``extract.py`` and ``structured.py`` do the reading). Every failed
request is recorded in ``self.summary`` with the source name, the URL and a readable reason.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response, TextResponse
from scrapy.selector import Selector
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from core.config.sources import SiteSource
from core.mention import Mention
from crawlers.charset import decode_page
from crawlers.confine import Scope
from crawlers.spiders.cascade import extract_page
from crawlers.spiders.discourse import more_posts_urls, topic_data, topic_json_url
from crawlers.spiders.extract import PageContext, PageResult, page_links
from crawlers.spiders.middlewares import RedirectRefused
from crawlers.spiders.profiles import PRESETS, Profile, build_profile
from crawlers.summary import SourceSummary

logger = logging.getLogger(__name__)

# Links followed on pages of an engine preset: auto did not recognise.
_GENERIC_LINKS = Profile(next_page="a[rel=next]::attr(href) || link[rel=next]::attr(href)")


class SiteSpider(scrapy.Spider):
    name = "veille-site"

    def __init__(
        self, source: SiteSource, kind: str, tz: str, timeout: float, max_size: int, **kwargs: Any
    ) -> None:
        super().__init__(name=source.name, **kwargs)
        self.source = source
        self.kind = kind
        self.tz = ZoneInfo(tz)
        self.timeout = timeout
        self.max_size = max_size
        self.profile = build_profile(source)
        self.auto = source.preset == "auto" and source.profile.post is None
        self.allowed_domains = source.allowed_domains or sorted(
            {urlsplit(str(url)).hostname or "" for url in source.start_urls}
        )
        # Own origins, plus allowed_domains on the same ports: a port elsewhere on the host is off-site.
        self.scope = Scope(
            source.name, [str(url) for url in source.start_urls], source.also_fetch_from, self.allowed_domains
        )
        self.summary = SourceSummary(source.name, kind)
        self.requested: set[str] = set()
        self.undated = 0
        self._problems: set[str] = set()
        self._started = time.monotonic()

    # -- requests ------------------------------------------------------------------------------
    def _request(
        self, url: str, thread_url: str | None, fallback: PageResult | None = None
    ) -> scrapy.Request | None:
        if url in self.requested:
            return None
        refused = self.scope.refuse(url)
        if refused is not None:
            self.summary.skipped += 1
            logger.debug("%s: link not followed: %s: %s", self.name, url, refused)
            return None
        if len(self.requested) >= self.source.max_pages:
            self.summary.skipped += 1
            return None
        self.requested.add(url)
        meta: dict[str, Any] = {"thread_url": thread_url, "download_timeout": self.timeout}
        if fallback is not None:  # posts to keep if this request fails (Discourse HTML for its JSON)
            meta["fallback"] = fallback
        return scrapy.Request(url, callback=self.parse_page, errback=self.failed, meta=meta)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self._started = time.monotonic()
        for url in self.source.start_urls:
            request = self._request(str(url), None)
            if request is not None:
                yield request

    # -- pages ---------------------------------------------------------------------------------
    def parse_page(self, response: Response) -> Iterator[Mention | scrapy.Request]:
        self.summary.fetched += 1
        if not isinstance(response, TextResponse):
            self.summary.error(response.url, f"not an HTML page ({response.headers.get('Content-Type')!r})")
            return
        thread_url = response.meta.get("thread_url") or response.url
        ctx = PageContext(
            source=self.source.name,
            kind=self.kind,
            tz=self.tz,
            now=datetime.now(UTC),
            language=self.source.language,
            thread_url=thread_url,
        )
        text, selector = response.text, response.selector
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        decoded, note = decode_page(response.body, content_type)
        if note is not None:
            logger.warning("%s: %s: %s; decoded accordingly", self.name, response.url, note)
            text, selector = decoded, Selector(text=decoded, base_url=response.url)
        if (topic := topic_data(text)) is not None:
            # A Discourse topic's JSON: its posts, then the posts its stream lists beyond them.
            yield from self._emit(extract_page(text, response.url, ctx), response.url)
            for url in more_posts_urls(topic, response.url):
                if (request := self._request(url, thread_url)) is not None:
                    yield request
            return
        # preset: auto (and no post selector of its own): the engine is detected on each page.
        profile = None if self.auto else self.profile
        result = extract_page(text, response.url, ctx, profile, selector=selector)
        if (json_request := self._topic_json(result, response.url, thread_url)) is not None:
            yield json_request
        else:
            yield from self._emit(result, response.url)
        links = self.profile
        if self.auto:
            links = PRESETS.get(result.engine or "", _GENERIC_LINKS)
        threads, next_pages = page_links(selector, response.url, links)
        for url in threads:
            if (request := self._request(url, url)) is not None:
                yield request
        for url in next_pages:
            if (request := self._request(url, thread_url)) is not None:
                yield request

    def _topic_json(self, result: PageResult, url: str, thread_url: str) -> scrapy.Request | None:
        """The request for a Discourse topic's JSON, read instead of its HTML page, or None.

        The JSON has every post with its exact time; the HTML crawler view only the first ones.
        The page's posts ride along, to be kept if the JSON cannot be had.
        """
        if result.engine != "discourse" and self.source.preset != "discourse":
            return None
        json_url = topic_json_url(url)
        return self._request(json_url, thread_url, fallback=result) if json_url else None

    def _emit(self, result: PageResult, url: str) -> Iterator[Mention]:
        """Count ``result`` in the summary (items, undated, anonymous, problems) and yield its posts."""
        self.undated += result.undated
        self.summary.undated += result.undated
        self.summary.anonymous += sum(1 for m in result.mentions if not m.author.name)
        if not result.mentions:
            self.summary.empty_pages += 1
        for problem in result.problems:
            if problem not in self._problems:
                self._problems.add(problem)
                self.summary.error(url, problem)
        self.summary.items += len(result.mentions)
        yield from result.mentions

    def failed(self, failure: Failure) -> Iterator[Mention]:
        # Scrapy sets ``request`` on the Failure it hands to an errback; Twisted's type does not know it.
        request: scrapy.Request = getattr(failure, "request")  # noqa: B009
        first_url = (request.meta.get("redirect_urls") or [request.url])[0]
        fallback: PageResult | None = request.meta.get("fallback")
        if fallback is not None:
            # The Discourse JSON could not be had: the posts its HTML page showed still count.
            logger.info("%s: %s failed, posts read from the HTML page instead", self.name, request.url)
            yield from self._emit(fallback, first_url)
        if failure.check(RedirectRefused):
            self.summary.error(first_url, failure.value.reason)
            return
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            self.summary.skipped += 1
            logger.info("%s: %s is disallowed by robots.txt, not fetched", self.name, request.url)
            return
        if fallback is None:
            self.summary.error(first_url, describe_failure(failure, self.timeout, self.max_size))
        else:
            logger.warning(
                "%s: %s: %s", self.name, first_url, describe_failure(failure, self.timeout, self.max_size)
            )

    def closed(self, reason: str) -> None:
        self.summary.seconds = round(time.monotonic() - self._started, 3)
        if self.summary.fetched and not self.summary.items:
            # Never a silent zero: a source that yields nothing is an error the user sees.
            self.summary.error(
                str(self.source.start_urls[0]),
                f"no post, comment or review found on {self.summary.fetched} page(s);"
                " check the preset/profile with `veille try URL`",
            )
        if self.undated:
            logger.warning(
                "%s: %d post(s) without a readable date; kept undated (first_seen_at only)",
                self.name,
                self.undated,
            )


def describe_failure(failure: Failure, timeout: float, max_size: int) -> str:
    """A few words for a failed request: what a user needs to understand the error line."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    if failure.check(DownloadConnectionRefusedError, ConnectionRefusedError):
        return "connection refused"
    if failure.check(DNSLookupError):
        return "host name not found (DNS)"
    if failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
        return f"timed out after {timeout:g}s"
    if failure.check(DownloadCancelledError):
        return f"page larger than the {max_size}-byte download cap, dropped"
    if failure.check(IgnoreRequest):
        text = str(failure.value)
        if "redirections" in text:
            return "too many redirects (redirect loop?)"
        return f"request dropped: {text}"
    return f"{type(failure.value).__name__}: {failure.value}"


def _merge(into: PageResult, other: PageResult) -> None:
    known = {m.id for m in into.mentions}
    into.mentions.extend(m for m in other.mentions if m.id not in known)
    into.problems.extend(other.problems)
    into.undated += other.undated
