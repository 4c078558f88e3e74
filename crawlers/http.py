"""HTTP fetching for the feed poller and full-text fetches: urllib3 with timeouts and a size cap.

urllib3 is already a dependency (of trafilatura and of the Elasticsearch transport). One
``Fetcher`` holds one connection pool manager, shared by the poller's threads. Every failure is a
``FetchError`` with a reason a user can read ("timed out after 20s", "too many redirects").
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urljoin

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    HTTPError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    TimeoutError,
)

from core.config.sources import Crawl
from core.errors import FetchError
from crawlers.confine import Scope

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})

# The scope of the fetch running in this thread, for the connection-level address check.
_current = threading.local()


class AddressRefused(NewConnectionError):
    """The socket connected to an address the source's scope refuses (see crawlers/confine.py)."""

    def __init__(self, conn: HTTPConnection, reason: str) -> None:
        super().__init__(conn, reason)
        self.reason = reason


class _Guarded(HTTPConnection):
    """Checks the address a new connection actually reached, after DNS resolution."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        scope: Scope | None = getattr(_current, "scope", None)
        if scope is not None:
            reason = scope.refuse_address(sock.getpeername()[0], self.host, self.port)
            if reason is not None:
                sock.close()
                raise AddressRefused(self, reason)
        return sock


class _GuardedHTTP(_Guarded):
    pass


class _GuardedHTTPS(_Guarded, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTP


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPS


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
        self._pool.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}

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
        scope: Scope | None = None,
        leave_scope: bool = False,
    ) -> Fetched:
        """Download ``url``; a 304 comes back as ``Fetched(status=304)``, other non-2xx raise.

        With a ``scope``, redirects are followed here, one hop at a time, each checked against it,
        and every connection's address is checked too; a refusal is a ``FetchError``. With
        ``leave_scope`` (a feed document that moved to a CDN), redirects may change site, but the
        address check still applies to every hop."""
        if scope is None:
            return self._get(url, etag, last_modified, timeout, redirect=True)
        _current.scope = scope
        try:
            target = url
            for _ in range(MAX_REDIRECTS + 1):
                reason = scope.refuse_url(target) if target == url or not leave_scope else None
                if reason is not None:
                    where = "" if target == url else f"redirected to {target}: "
                    raise FetchError(url, where + reason)
                fetched = self._get(target, etag, last_modified, timeout, redirect=False)
                location = fetched.headers.get("Location") or fetched.headers.get("location")
                if fetched.status not in REDIRECTS or not location:
                    return fetched
                target = urljoin(target, location)
            raise FetchError(url, f"too many redirects (more than {MAX_REDIRECTS}; redirect loop?)")
        finally:
            _current.scope = None

    def _get(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        timeout: float | None,
        *,
        redirect: bool,
    ) -> Fetched:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seconds = timeout or self.timeout
        try:
            response = self._pool.request(
                "GET",
                url,
                headers=headers,
                preload_content=False,
                timeout=urllib3.Timeout(seconds, seconds),
                redirect=redirect,
            )
        except MaxRetryError as exc:
            if isinstance(exc.reason, AddressRefused):
                raise FetchError(url, exc.reason.reason) from exc
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
        if response.status in REDIRECTS:  # only when redirects are followed by ``get`` itself
            response.drain_conn()
            return Fetched(final_url, response.status, dict(response.headers))
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
    # Before the time-outs: urllib3's NewConnectionError is a subclass of ConnectTimeoutError.
    if isinstance(reason, NameResolutionError):
        return "host name not found (DNS)"
    if isinstance(reason, NewConnectionError):
        return "connection refused" if "refused" in text.lower() else f"cannot connect: {reason}"
    if isinstance(reason, TimeoutError | ReadTimeoutError) or "timed out" in text.lower():
        return f"timed out after {timeout:g}s"
    if "too many" in text.lower() and "error responses" in text.lower():
        return "server error, retries exhausted"
    return f"connection failed: {text}"
