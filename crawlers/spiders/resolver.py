"""Scrapy's name resolver with the confinement's address check: the check is on what Twisted
connects to, not on an earlier DNS answer.

The spider checks every URL it requests (``Scope.refuse``) and ``RedirectGuard`` every HTTP
redirect, but requests that Scrapy makes on its own (a ``<meta http-equiv="refresh">``, a retry)
do not pass there, and a DNS answer may change between the check and the connection. Installed
as ``TWISTED_DNS_RESOLVER``, this resolver sees every host Twisted connects to (IP literals too:
its ``HostnameEndpoint`` resolves them as well) and drops any non-public address unless a
configured site lives there, on that port (``Scope.private`` of each site source, as in
crawlers/confine.py). With every address dropped, the request fails as a DNS error and the
reason is logged. Each connection resolves afresh (no cache: a cached answer is what a
rebinding attack exploits).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from twisted.internet.interfaces import IAddress, IHostnameResolver, IHostResolution, IResolutionReceiver
from zope.interface import implementer

from core.config import LoadedConfig
from crawlers.confine import Scope, address_refusal

logger = logging.getLogger(__name__)


def private_endpoints(loaded: LoadedConfig | None) -> set[tuple[str, int]]:
    """(address, port) of the non-public places configured sites live on (theirs to fetch)."""
    if loaded is None:
        return set()
    out: set[tuple[str, int]] = set()
    for source in loaded.config.sources.all():
        if not hasattr(source, "start_urls"):
            continue  # feeds are fetched by crawlers/http.py, which checks its own sockets
        out |= Scope(source.name, [str(u) for u in source.start_urls], source.also_fetch_from).private
    return out


@implementer(IResolutionReceiver)
class _Checked:
    """Passes on the addresses the confinement allows, logs the others."""

    def __init__(self, receiver: Any, host: str, port: int, private: set[tuple[str, int]]) -> None:
        # Any: zope interfaces' methods have no ``self``, which mypy cannot follow.
        self.receiver, self.host, self.port, self.private = receiver, host, port, private

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:
        ip = str(getattr(address, "host", ""))
        reason = address_refusal(ip, self.host, self.port, self.private)
        if reason is None:
            self.receiver.addressResolved(address)
        else:
            logger.warning("connection refused by the crawl's confinement: %s", reason)

    def resolutionComplete(self) -> None:
        self.receiver.resolutionComplete()


@implementer(IHostnameResolver)
class ConfinedResolver:
    """``TWISTED_DNS_RESOLVER`` of the crawl (crawlers/spiders/settings.py)."""

    def __init__(self, reactor: Any, private: Iterable[tuple[str, int]]) -> None:
        self.reactor = reactor
        self.original: Any = reactor.nameResolver  # an IHostnameResolver
        self.private = set(private)

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> ConfinedResolver:
        # Scrapy passes its CrawlerProcess here; only the settings are read.
        return cls(reactor, private_endpoints(crawler.settings.get("VEILLE_LOADED")))

    def install_on_reactor(self) -> None:
        self.reactor.installNameResolver(self)

    def resolveHostName(
        self,
        resolutionReceiver: Any,  # an IResolutionReceiver
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> IHostResolution:
        checked = _Checked(resolutionReceiver, hostName, portNumber, self.private)
        return self.original.resolveHostName(checked, hostName, portNumber, addressTypes, transportSemantics)
