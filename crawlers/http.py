"""HTTP fetching for the feed poller and full-text fetches: urllib3 with timeouts and a size cap.

urllib3 is already a dependency (of trafilatura and of the Elasticsearch transport). One
``Fetcher`` holds one connection pool manager, shared by the poller's threads. Every failure is a
``FetchError`` with a reason a user can read ("timed out after 20s", "too many redirects").
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from types import TracebackType

import urllib3
from urllib3.exceptions import HTTPError, MaxRetryError, ProtocolError, ReadTimeoutError, TimeoutError

from core.config.sources import Crawl

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5


class FetchError(Exception):
    """A download failed; ``reason`` says why in a few words."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """GET with conditional headers, bounded retries and redirects, a timeout and a size cap."""

    def __init__(self, crawl: Crawl, *, pool_size: int = 16) -> None:
        self.timeout = crawl.timeout.total_seconds()
        self.max_bytes = crawl.max_page_size
        self.user_agent = crawl.user_agent
        retry = urllib3.Retry(
            total=crawl.retries + MAX_REDIRECTS,
            connect=crawl.retries,
            read=crawl.retries,
            status=crawl.retries,
            redirect=MAX_REDIRECTS,
            backoff_factor=0.2,
            status_forcelist=(429, 500, 502, 503, 504),
            raise_on_status=False,
            raise_on_redirect=True,
        )
        self._pool = urllib3.PoolManager(
            num_pools=64,
            maxsize=pool_size,
            timeout=urllib3.Timeout(connect=self.timeout, read=self.timeout),
            retries=retry,
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def close(self) -> None:
        self._pool.clear()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        timeout: float | None = None,
    ) -> Fetched:
        """Download ``url``; a 304 comes back as ``Fetched(status=304)``, other non-2xx raise."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seconds = timeout or self.timeout
        try:
            response = self._pool.request(
                "GET", url, headers=headers, preload_content=False, timeout=urllib3.Timeout(seconds, seconds)
            )
        except MaxRetryError as exc:
            raise FetchError(url, _retry_reason(exc, seconds)) from exc
        except (TimeoutError, ReadTimeoutError) as exc:
            raise FetchError(url, f"timed out after {seconds:g}s") from exc
        except HTTPError as exc:
            raise FetchError(url, f"connection failed: {exc}") from exc
        complete = False
        try:
            result = self._read(url, response, seconds)
            complete = True
            return result
        except (TimeoutError, ReadTimeoutError) as exc:
            raise FetchError(url, f"timed out after {seconds:g}s") from exc
        except (ProtocolError, HTTPError) as exc:
            raise FetchError(url, f"connection broken: {exc}") from exc
        finally:
            if not complete and response.status not in (304, 204):
                # An unread body would poison the kept-alive connection for the next request.
                response.close()
            response.release_conn()

    def _read(self, url: str, response: urllib3.BaseHTTPResponse, total: float) -> Fetched:
        final_url = response.geturl() or url
        if response.status == 304:
            return Fetched(final_url, 304, dict(response.headers))
        if response.status >= 400:
            raise FetchError(url, f"HTTP {response.status}")
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, f"{declared} bytes is over the {self.max_bytes}-byte download cap")
        body = bytearray()
        # A total deadline, not only one per read: a server that drips a byte at a time never
        # trips the read timeout and would hold the whole poll. read1 returns what has arrived.
        deadline = time.monotonic() + total
        while chunk := response.read1(64 * 1024):
            body += chunk
            if len(body) > self.max_bytes:
                raise FetchError(url, f"more than the {self.max_bytes}-byte download cap")
            if time.monotonic() > deadline:
                raise FetchError(url, f"download not finished after {total:g}s (total deadline)")
        return Fetched(final_url, response.status, dict(response.headers), bytes(body))


def _retry_reason(exc: MaxRetryError, timeout: float) -> str:
    reason = exc.reason
    text = str(reason) if reason is not None else str(exc)
    if reason is None or "redirect" in text.lower():
        return f"too many redirects (more than {MAX_REDIRECTS}; redirect loop?)"
    if isinstance(reason, TimeoutError | ReadTimeoutError) or "timed out" in text.lower():
        return f"timed out after {timeout:g}s"
    if "too many" in text.lower() and "error responses" in text.lower():
        return "server error, retries exhausted"
    return f"connection failed: {text}"
