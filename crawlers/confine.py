"""Fetch confinement: what one source may download, checked on every URL, redirect and connection.

A source fetches only from its own origins (scheme, host and port of its configured URLs) plus
what its config adds (``also_fetch_from``; for sites, ``allowed_domains`` on the same ports).
Whatever the origin, a connection to a private, loopback, link-local or otherwise non-public
address is refused, unless the source itself lives on such an address (a source whose own URL
is ``http://127.0.0.1:8000`` may fetch loopback, on port 8000 only). The address test runs on
the socket actually connected (after DNS resolution), so a name that resolves somewhere
internal, or a redirect to one, is caught too.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        default = DEFAULT_PORTS.get(self.scheme)
        return f"{self.scheme}://{self.host}" + ("" if self.port == default else f":{self.port}")


def origin_of(url: str) -> Origin:
    """The origin of an absolute http(s) URL; ValueError for anything else."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url[:200]!r}")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError as exc:
        raise ValueError(f"bad port in {url[:200]!r}") from exc
    return Origin(scheme, parts.hostname.lower().rstrip("."), port)


def is_public(address: str) -> bool:
    """False for loopback, private, link-local (cloud metadata), multicast, reserved, unspecified."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@lru_cache(maxsize=1024)
def _resolve(host: str) -> tuple[str, ...]:
    try:
        return tuple(sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)}))
    except (OSError, UnicodeError):
        return ()


def lives_on_private(host: str) -> bool:
    """True when ``host`` is (or resolves to) a non-public address."""
    try:
        return not is_public(host)
    except ValueError:
        pass  # a name, not an address
    if host == "localhost" or host.endswith(".localhost"):
        return True
    addresses = _resolve(host)
    return bool(addresses) and not all(is_public(a) for a in addresses)


class Scope:
    """The origins one source may fetch from, and whether it may reach non-public addresses."""

    def __init__(
        self, name: str, own_urls: Iterable[str], also: Iterable[str] = (), domains: Iterable[str] = ()
    ) -> None:
        self.name = name
        self.own = {origin_of(str(url)) for url in own_urls}
        self.extra: set[Origin] = set()
        for item in also:  # "https://host[:port]", or "host[:port]" for both schemes
            schemes = [""] if "://" in item else ["https://", "http://"]
            self.extra |= {origin_of(scheme + item) for scheme in schemes}
        self.domains = [d.lower().lstrip(".") for d in domains]
        self.ports = {o.port for o in self.own} | set(DEFAULT_PORTS.values())
        # Evaluated once, from the configured URLs: a later DNS answer cannot grant it. Kept as
        # (address, port) endpoints, so http://localhost:8000 and http://127.0.0.1:8000 are one.
        self.private = {
            (address, o.port)
            for o in self.own | self.extra
            if lives_on_private(o.host)
            for address in (_resolve(o.host) if not _is_ip(o.host) else (o.host,))
        }

    def refuse_url(self, url: str) -> str | None:
        """Why ``url`` is outside this source's scope, or None when it may be fetched."""
        try:
            origin = origin_of(url)
        except ValueError as exc:
            return str(exc)
        if origin in self.own or origin in self.extra:
            return None
        if self.domains and origin.port in self.ports and _in_domains(origin.host, self.domains):
            return None
        return (
            f"{origin} is not this source's site ({', '.join(sorted(map(str, self.own)))}); "
            f"add it to the source's also_fetch_from to allow it"
        )

    def refuse_address(self, address: str, host: str, port: int) -> str | None:
        """Why connecting to ``address`` (for ``host``:``port``) is refused, or None."""
        return address_refusal(address, host, port, self.private)

    def refuse(self, url: str) -> str | None:
        """``refuse_url`` plus the address test on the host's DNS answers (for callers that cannot
        see the connected socket, like Scrapy's downloader)."""
        reason = self.refuse_url(url)
        if reason is not None:
            return reason
        origin = origin_of(url)
        addresses = _resolve(origin.host) if not _is_ip(origin.host) else (origin.host,)
        for address in addresses:
            reason = self.refuse_address(address, origin.host, origin.port)
            if reason is not None:
                return reason
        return None


def address_refusal(address: str, host: str, port: int, private: set[tuple[str, int]]) -> str | None:
    """Why connecting to ``address`` for ``host``:``port`` is refused, or None: a non-public
    address is allowed only as one of the ``private`` (address, port) endpoints."""
    try:
        if is_public(address):
            return None
    except ValueError:
        return f"unreadable address {address!r}"
    if (address.split("%", 1)[0], port) in private:
        return None
    return (
        f"{host}:{port} resolves to the non-public address {address}; refused "
        "(only a source that itself lives on such an address may fetch from it, on its own port)"
    )


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _in_domains(host: str, domains: list[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)
