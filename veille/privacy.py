"""GDPR: the retention period applied everywhere data is kept, erasure on request, pseudonyms.

- ``apply_retention``: with ``privacy.retention`` set (e.g. ``13 months``), monthly mention
  indices whose whole month is older than the cut-off are deleted, and so are older spool rows,
  settled emails of the mail queue, outbox files and collection state (seen keys). The
  housekeeping job of ``veille run`` applies it daily; ``veille prune`` applies it now.
- ``forget``: ``veille forget --author NAME [--source S]`` or ``--url URL`` deletes the matching
  mentions from Elasticsearch and from the spool, withdraws unsent emails and deletes stored
  copies that quote them (veille/erase_copies.py), and says how many.
- ``pseudonymiser``: with ``privacy.pseudonymise_authors``, a function replacing author names by
  a keyed hash (core/pseudonym.py) before enrichment and indexing.

Elasticsearch's test distribution has no delete-by-query: erasure searches the ids and deletes
them in bulk, which works on every cluster.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from elasticsearch import Elasticsearch, NotFoundError, helpers

from alerts.outgoing import mail_queue
from core.config import LoadedConfig
from core.config.privacy import subtract_period
from core.config.secrets import read_secret
from core.errors import ConfigError
from core.mention import Mention
from core.pseudonym import pseudonymise
from core.spool import Spool
from core.urls import canonical_url
from index.names import IndexNames
from veille.erase_copies import Traces, erase_copies

logger = logging.getLogger(__name__)

_MONTHLY = re.compile(r"-mentions-(\d{4})\.(\d{2})$")


@dataclass
class Erased:
    """What one retention pass or one erasure removed, per place."""

    counts: dict[str, int] = field(default_factory=dict)
    indices: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [f"{count} {what}" for what, count in self.counts.items()]
        if self.indices:
            parts.append(f"indices dropped: {', '.join(self.indices)}")
        return "; ".join(parts) or "nothing to delete"


def retention_cutoff(loaded: LoadedConfig, now: datetime | None = None) -> datetime | None:
    period = loaded.config.privacy.retention
    return None if period is None else subtract_period(now or datetime.now(UTC), period)


def apply_retention(loaded: LoadedConfig, es: Elasticsearch | None, now: datetime | None = None) -> Erased:
    """Delete everything older than the retention period (nothing when none is configured)."""
    erased = Erased()
    cutoff = retention_cutoff(loaded, now)
    if cutoff is None:
        return erased
    names = IndexNames(loaded.config.elasticsearch.index_prefix)
    if es is not None:
        erased.indices = _drop_old_indices(es, names, cutoff)
    before = cutoff.timestamp()
    with Spool(loaded.spool_path) as spool:
        erased.counts["spool rows"] = spool.prune(before)
    with mail_queue(loaded) as queue:
        erased.counts["emails in the mail queue"] = queue.prune(before)
    erased.counts["outbox files"] = _prune_outbox(loaded, before)
    erased.counts["collection state rows"] = _prune_seen(loaded, before)
    logger.warning("retention (%s, cut-off %s): %s", loaded.config.privacy.retention, cutoff.date(), erased)
    return erased


def _drop_old_indices(es: Elasticsearch, names: IndexNames, cutoff: datetime) -> list[str]:
    """Monthly indices whose month ended before the cut-off (a partly expired month is kept whole
    until its last day expires)."""
    try:
        existing = sorted(es.indices.get(index=names.pattern, expand_wildcards="open,closed"))
    except NotFoundError:
        return []
    dropped = []
    for index in existing:
        match = _MONTHLY.search(index)
        if not match or not index.startswith(f"{names.prefix}-mentions-"):
            continue
        year, month = int(match[1]), int(match[2])
        month_end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        if month_end <= cutoff:
            es.indices.delete(index=index)
            dropped.append(index)
    return dropped


def _prune_outbox(loaded: LoadedConfig, before: float) -> int:
    count = 0
    if loaded.outbox_dir.is_dir():
        for path in loaded.outbox_dir.glob("*.eml"):
            if path.stat().st_mtime < before:
                path.unlink(missing_ok=True)
                count += 1
    return count


def _prune_seen(loaded: LoadedConfig, before: float) -> int:
    path = loaded.state_dir / "collect.sqlite"
    if not path.exists():
        return 0
    with sqlite3.connect(path, timeout=30) as db:
        return db.execute("DELETE FROM seen WHERE seen_at < ?", (before,)).rowcount


def forget(
    loaded: LoadedConfig,
    es: Elasticsearch,
    *,
    author: str | None = None,
    source: str | None = None,
    url: str | None = None,
) -> Erased:
    """Erase the mentions of ``author`` (on ``source`` only, if given) or at ``url``."""
    if (author is None) == (url is None):
        raise ConfigError("forget: give either --author or --url")
    names = IndexNames(loaded.config.elasticsearch.index_prefix)
    filters: list[dict] = []
    if author is not None:
        filters.append({"term": {"author.name": author}})
        if source is not None:
            filters.append({"term": {"source.name": source}})
    else:
        assert url is not None
        canonical = canonical_url(url)
        filters.append(
            {"bool": {"should": [{"term": {"url": canonical}}, {"term": {"thread_url": canonical}}]}}
        )
    traces = Traces(names={author} if author is not None else set())
    deleted = _delete_matching(es, names, {"bool": {"filter": filters}}, traces)
    with Spool(loaded.spool_path) as spool:
        spooled = spool.forget(
            author=author, source=source, url=canonical_url(url) if url is not None else None
        )
    erased = Erased({"mentions deleted from Elasticsearch": deleted, "waiting in the spool": spooled})
    # Emails and alert documents that quote them (an author asked for: their name as well).
    erased.counts.update(erase_copies(loaded, es, traces))
    logger.warning("forget (%s): %s", "author" if author is not None else "url", erased)
    return erased


def _delete_matching(es: Elasticsearch, names: IndexNames, query: dict, traces: Traces) -> int:
    """Delete the matching mentions; their ids and URLs are added to ``traces``."""
    total = 0
    while True:
        try:
            found = es.search(index=names.pattern, query=query, size=1000, source_includes=["url"])
        except NotFoundError:
            return total
        hits = found["hits"]["hits"]
        if not hits:
            return total
        for hit in hits:
            traces.ids.add(hit["_id"])
            traces.urls.update(u for u in (hit["_source"].get("url"),) if u)
        actions = [{"_op_type": "delete", "_index": h["_index"], "_id": h["_id"]} for h in hits]
        ok, _ = helpers.bulk(es, actions, raise_on_error=False, refresh="wait_for")
        total += ok
        if ok == 0:
            return total


def pseudonymiser(loaded: LoadedConfig) -> Callable[[list[Mention]], list[Mention]] | None:
    """The author-replacing step when ``privacy.pseudonymise_authors`` is on, else None."""
    privacy = loaded.config.privacy
    if not privacy.pseudonymise_authors:
        return None
    key = read_secret(privacy.pseudonym_key_env, key="privacy.pseudonym_key_env", required=True)
    if not key or len(key) < 16:
        raise ConfigError(
            f"privacy.pseudonym_key_env: {privacy.pseudonym_key_env} must hold at least 16 characters"
        )
    secret = key.encode("utf-8")
    return lambda mentions: [pseudonymise(m, secret) for m in mentions]
