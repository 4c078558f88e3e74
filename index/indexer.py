"""Bulk indexing of Mentions: idempotent upserts, per-document results, retries with backoff.

Each mention goes to the monthly index of its published date, under ``_id = mention.id``. A
mention already stored (found through the read alias, whatever month it is in) is updated in
place with a partial document that leaves ``first_seen_at`` and the workflow ``status`` alone;
a new one is created whole. So re-crawls and replays update, never duplicate. Rejected
documents are reported with their id and reason (the caller keeps them for retry); 429, 5xx
and connection errors are retried with exponential backoff, then raised as IndexUnavailable.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import elastic_transport
from elasticsearch import ApiError, Elasticsearch, helpers

from core.errors import IndexUnavailable
from core.mention import Mention
from index.client import client_url
from index.names import IndexNames

logger = logging.getLogger(__name__)

# Fields a re-index must never overwrite: when Veille first saw it, and the team's workflow.
PRESERVED_ON_UPDATE = frozenset({"first_seen_at", "status", "handled_at"})
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass
class IndexReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    retries: int = 0

    @property
    def indexed(self) -> int:
        return self.created + self.updated + self.unchanged

    def merge(self, other: IndexReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.failed.update(other.failed)
        self.retries += other.retries


class Indexer:
    """Writes Mentions to Elasticsearch; one instance per process, reused across batches."""

    def __init__(
        self,
        es: Elasticsearch,
        names: IndexNames,
        *,
        chunk_size: int = 500,
        max_attempts: int = 5,
        initial_backoff: float = 0.5,
        refresh: bool = False,
        threads: int = 2,
    ) -> None:
        self.es = es
        self.names = names
        self.chunk_size = chunk_size
        self.max_attempts = max_attempts
        self.initial_backoff = initial_backoff
        self.refresh = refresh
        self.threads = threads

    def index(self, mentions: Iterable[Mention]) -> IndexReport:
        """Index ``mentions``; returns counts and the rejected ids with their reasons.

        Raises ``IndexUnavailable`` when the cluster stays unreachable or overloaded after the
        retries; nothing is lost then, since re-indexing the same mentions later is idempotent.
        """
        by_id: dict[str, Mention] = {}
        for mention in mentions:
            by_id[mention.id] = mention  # the same post twice in one batch: the last copy wins
        report = IndexReport()
        ids = list(by_id)
        # One id look-up per window of a few bulk requests keeps the look-up cost marginal.
        window = self.chunk_size * 4
        for start in range(0, len(ids), window):
            report.merge(self._index_window({i: by_id[i] for i in ids[start : start + window]}))
        if self.refresh and ids:
            self.es.indices.refresh(index=self.names.alias)
        return report

    def set_status(self, ids: list[str], status: str, when: datetime | None) -> dict[str, bool]:
        """Set the workflow status of stored mentions; returns id -> found (wherever its month)."""
        located = self._locate(ids)
        actions = [
            {
                "_op_type": "update",
                "_index": index,
                "_id": doc_id,
                "doc": {"status": status, "handled_at": when.isoformat() if when else None},
            }
            for doc_id, index in located.items()
        ]
        helpers.bulk(self.es, actions, refresh=True)
        return {doc_id: doc_id in located for doc_id in ids}

    def make_visible(self) -> None:
        """Make everything indexed so far visible to searches (best effort: ES may be gone)."""
        try:
            self.es.indices.refresh(index=self.names.alias, ignore_unavailable=True)
        except (elastic_transport.TransportError, ApiError) as exc:
            logger.warning("could not refresh %s: %s", self.names.alias, exc)

    # -- internals -----------------------------------------------------------------------------
    def _index_window(self, pending: dict[str, Mention]) -> IndexReport:
        report = IndexReport()
        delay = self.initial_backoff
        for attempt in range(1, self.max_attempts + 1):
            try:
                existing = self._locate(list(pending))
                # A generator, so documents are serialized while the previous request is in
                # flight: parallel_bulk sends from worker threads and overlaps the two.
                actions = (
                    self._action(doc_id, m, existing.get(doc_id)) for doc_id, m in list(pending.items())
                )
                for ok, item in helpers.parallel_bulk(
                    self.es,
                    actions,
                    thread_count=self.threads,
                    queue_size=self.threads,
                    chunk_size=self.chunk_size,
                    raise_on_error=False,
                    raise_on_exception=False,
                ):
                    op, result = next(iter(item.items()))
                    if self._retryable(ok, op, result):
                        continue
                    doc_id = result["_id"]
                    pending.pop(doc_id, None)
                    self._count(ok, result, doc_id, report)
                last_error = "the cluster answered 429 or 5xx"
            except (elastic_transport.TransportError, ApiError) as exc:
                if isinstance(exc, ApiError) and exc.meta.status not in RETRYABLE_STATUS:
                    raise
                last_error = str(getattr(exc, "message", "") or exc).splitlines()[0][:300]
            if not pending:
                return report
            if attempt == self.max_attempts:
                raise IndexUnavailable(
                    client_url(self.es),
                    f"{len(pending)} document(s) not indexed after {attempt} attempts: {last_error}",
                )
            report.retries += len(pending)
            logger.warning("retrying %d document(s) in %.1fs: %s", len(pending), delay, last_error)
            time.sleep(delay)
            delay = min(delay * 2, 30.0)
        return report

    @staticmethod
    def _retryable(ok: bool, op: str, result: dict[str, Any]) -> bool:
        if ok:
            return False
        status = result.get("status")
        # 409 on create: someone stored it since we looked; the next attempt updates that copy.
        return (status == 409 and op == "create") or status in RETRYABLE_STATUS or not result.get("error")

    @staticmethod
    def _count(ok: bool, result: dict[str, Any], doc_id: str, report: IndexReport) -> None:
        if ok:
            outcome = result.get("result")
            if outcome == "created":
                report.created += 1
            elif outcome == "noop":
                report.unchanged += 1
            else:
                report.updated += 1
            return
        error = result.get("error")
        if isinstance(error, dict):
            reason = f"{error.get('type', 'error')}: {error.get('reason', '')}"
            caused = error.get("caused_by")
            if isinstance(caused, dict) and caused.get("reason"):
                reason += f" ({caused['reason']})"
        else:
            reason = str(error)
        report.failed[doc_id] = reason[:500]
        logger.error("Elasticsearch rejected mention %s: %s", doc_id, reason)

    def _action(self, doc_id: str, mention: Mention, existing_index: str | None) -> dict[str, Any]:
        # Pydantic serializes to JSON in Rust; the client sends strings as they are.
        if existing_index is None:
            index = self.names.monthly(mention.published_at or mention.first_seen_at)  # undated: month found
            return {
                "_op_type": "create",
                "_index": index,
                "_id": doc_id,
                "_source": mention.model_dump_json(),
            }
        # Updates (re-crawls) are the rarer case; the helper wants their body as a mapping.
        partial = mention.model_dump(mode="json", exclude=set(PRESERVED_ON_UPDATE))
        return {"_op_type": "update", "_index": existing_index, "_id": doc_id, "doc": partial}

    def _locate(self, ids: list[str]) -> dict[str, str]:
        """Map the ids already stored to the index that holds them (whatever its month)."""
        response = self.es.search(
            index=self.names.alias,
            query={"ids": {"values": ids}},
            source=False,
            size=len(ids),
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        return {hit["_id"]: hit["_index"] for hit in response["hits"]["hits"]}
