"""Drain the spool: take a batch, enrich it, index it, and only then acknowledge it.

A crash anywhere before the acknowledgement leaves the batch in the spool (it comes back when its
lease expires or its process is gone); Elasticsearch being down gives the batch back without
counting an attempt, so mentions wait however long the outage lasts; a document Elasticsearch
rejects goes back with its reason and is parked as dead after repeated rejections, never dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from core.config import LoadedConfig
from core.errors import IndexUnavailable
from core.mention import Mention
from core.spool import Spool
from index.indexer import Indexer

logger = logging.getLogger(__name__)


class Enriches(Protocol):
    def enrich(self, mentions: list[Mention]) -> list[Mention]: ...


@dataclass
class ProcessSummary:
    taken: int = 0
    indexed: int = 0
    created: int = 0
    rejected: dict[str, str] = field(default_factory=dict)
    batches: int = 0
    error: str | None = None  # set when processing stopped early (ES down); the rest waits
    new_mentions: list[str] = field(default_factory=list)

    def describe(self) -> str:
        text = f"{self.indexed} mention(s) indexed ({self.created} new) in {self.batches} batch(es)"
        if self.rejected:
            text += f", {len(self.rejected)} rejected"
        if self.error:
            text += f"; stopped: {self.error}"
        return text


def process_spool(
    loaded: LoadedConfig,
    enricher: Enriches,
    indexer: Indexer,
    *,
    max_batches: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> ProcessSummary:
    """Process until the spool is empty (or ``max_batches``); never raises for an ES outage."""
    summary = ProcessSummary()
    from veille.privacy import pseudonymiser  # GDPR hook: authors hashed before anything is stored

    hide_authors = pseudonymiser(loaded)
    with Spool(loaded.spool_path) as spool:
        while max_batches is None or summary.batches < max_batches:
            batch = spool.take(loaded.config.nlp.spool_batch)
            if not batch.mentions:
                break
            summary.batches += 1
            summary.taken += len(batch)
            mentions = hide_authors(batch.mentions) if hide_authors else batch.mentions
            try:
                enriched = enricher.enrich(mentions)
            except Exception as exc:
                # A bug or a model failure: the batch goes back (counted), the job fails loudly.
                spool.release(batch, error=f"enrichment failed: {exc}")
                raise
            try:
                report = indexer.index(enriched)
            except IndexUnavailable as exc:
                spool.release(batch, error=str(exc), count_attempt=False)
                summary.error = str(exc)
                logger.error("processing paused, %d mention(s) stay in the spool: %s", len(batch), exc)
                break
            seq_of = dict(zip((m.id for m in batch.mentions), batch.seqs, strict=True))
            rejected = [seq_of[i] for i in report.failed if i in seq_of]
            if rejected:
                spool.release(batch, rejected, error="; ".join(report.failed.values())[:2000])
            spool.ack(batch, [s for s in batch.seqs if s not in set(rejected)])
            summary.indexed += report.indexed
            summary.created += report.created
            summary.rejected.update(report.failed)
            if on_batch is not None:
                on_batch(len(batch))
    if summary.indexed:
        # Make the new mentions visible now: the alert check that follows must count them.
        indexer.make_visible()
    return summary
