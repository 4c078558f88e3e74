"""Downloader middleware that refuses redirects leaving the configured domains or going in circles.

Scrapy's own redirect handling would follow an off-site redirect (the offsite filter then drops
it silently) and its duplicate filter would swallow the second hop of a loop without a word. This
guard sits just before ``RedirectMiddleware`` and turns both into an ``IgnoreRequest`` subclass
carrying a readable reason, which the spider's errback records against the source.
"""

from __future__ import annotations

import logging
from typing import Self
from urllib.parse import urldefrag, urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RedirectRefused(IgnoreRequest):
    """A redirect the crawler will not follow; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def host_allowed(host: str | None, allowed: list[str]) -> bool:
    """True when ``host`` is one of ``allowed`` or a subdomain of one."""
    if not host:
        return False
    host = host.lower()
    return any(host == domain or host.endswith("." + domain) for domain in allowed)


def check_redirect(request_url: str, location: str, chain: list[str], allowed: list[str]) -> str | None:
    """Why the redirect from ``request_url`` to ``location`` must not be followed, or None."""
    target = urljoin(request_url, location)
    host = urlsplit(target).hostname
    if allowed and not host_allowed(host, allowed):
        return f"redirect to another site dropped ({host} is not among {', '.join(allowed)}): {target}"
    visited = [urldefrag(url)[0] for url in [*chain, request_url]]
    if urldefrag(target)[0] in visited:
        return f"redirect loop: {' -> '.join([*visited, urldefrag(target)[0]])}"
    return None


class RedirectGuard:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        location = response.headers.get("Location")
        if response.status not in REDIRECT_STATUSES or not location:
            return response
        spider = self.crawler.spider
        allowed = list(getattr(spider, "allowed_domains", None) or [])
        reason = check_redirect(
            request.url, location.decode("latin-1"), request.meta.get("redirect_urls", []), allowed
        )
        scope = getattr(spider, "scope", None)  # crawlers/confine.py: ports and addresses too
        if reason is None and scope is not None:
            target = urljoin(request.url, location.decode("latin-1"))
            refused = scope.refuse(target)
            reason = None if refused is None else f"redirect not followed: {target}: {refused}"
        if reason is not None:
            logger.warning("%s: %s", getattr(spider, "name", "?"), reason)
            raise RedirectRefused(reason)
        return response


class ScopeGuard:
    """Checks every redirected request against the spider's scope before anything is fetched for
    it (its robots.txt included): a redirect Scrapy makes on its own, such as a
    ``<meta http-equiv="refresh">``, passes neither the spider's URL check nor ``RedirectGuard``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        scope = getattr(self.crawler.spider, "scope", None)
        if not request.meta.get("redirect_urls") or scope is None:
            return
        refused = scope.refuse(request.url)
        if refused is not None:
            reason = f"redirect not followed: {request.url}: {refused}"
            logger.warning("%s: %s", getattr(self.crawler.spider, "name", "?"), reason)
            raise RedirectRefused(reason)
