"""Choosing the sources of a run, and the per-source settings derived from the config."""

from __future__ import annotations

from typing import TypeVar
from zoneinfo import ZoneInfo

from core.config import Config
from core.config.sources import KIND_OF_GROUP, SITE_GROUPS, FeedSource, SiteSource
from core.errors import VeilleError

T = TypeVar("T", FeedSource, SiteSource)


class UnknownSource(VeilleError):
    """``--source NAME`` names no source of that type in the config."""

    exit_code = 2


def _pick(sources: list[tuple[str, T]], name: str | None, what: str) -> list[tuple[str, T]]:
    if name is None:
        return [(kind, s) for kind, s in sources if s.enabled]
    chosen = [(kind, s) for kind, s in sources if s.name == name]
    if not chosen:
        known = ", ".join(s.name for _, s in sources) or "none configured"
        raise UnknownSource(f"no {what} named {name!r} in the config (known: {known})")
    return chosen  # named explicitly: run it even when disabled


def select_feeds(config: Config, name: str | None = None) -> list[FeedSource]:
    """Enabled feeds, or the one named (even if disabled)."""
    return [s for _, s in _pick([("feed", f) for f in config.sources.feeds], name, "feed")]


def select_sites(config: Config, name: str | None = None) -> list[tuple[str, SiteSource]]:
    """(kind, site) of the enabled forums, blogs and review sites, or of the one named."""
    sites = [(KIND_OF_GROUP[group], s) for group in SITE_GROUPS for s in getattr(config.sources, group)]
    return _pick(sites, name, "site (forum, blog or review source)")


def source_tz(config: Config, source: FeedSource | SiteSource) -> ZoneInfo:
    return ZoneInfo(source.timezone or config.timezone)
