"""Soak: many mentions through spool -> process (enrichment-free) -> the real Elasticsearch, with
memory that stays flat (Python allocations measured by tracemalloc, batch after batch).

Short by default (``VEILLE_SOAK_MENTIONS``: 3,000); ``make hardening`` runs 100,000.
"""

from __future__ import annotations

import os
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest

from core.mention import Mention
from core.spool import Spool
from index.indexer import Indexer
from veille.jobs.process import process_spool

pytestmark = [pytest.mark.es, pytest.mark.slow]

MENTIONS = int(os.environ.get("VEILLE_SOAK_MENTIONS", "3000"))
CHUNK = 1000
# Once warm, what may still grow: SQLite page cache, interned strings, the client's pools.
ALLOWED_GROWTH = 4 * 1024 * 1024


class Identity:
    """process_spool's enrichment seam without the NLP models (their memory is issue 10's bench)."""

    def enrich(self, mentions: list[Mention]) -> list[Mention]:
        return mentions


def test_memory_stays_flat_through_spool_and_index(config_factory, es_client, index_names, make_mention):
    loaded = config_factory()  # spool batches of nlp.spool_batch (500)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    put_samples: list[int] = []
    process_samples: list[int] = []
    tracemalloc.start()
    try:
        with Spool(loaded.spool_path) as spool:
            for first in range(0, MENTIONS, CHUNK):
                spool.put(
                    make_mention(
                        url=f"https://forum.example.fr/viewtopic.php?t={n // 20}#p{n}",
                        text=f"Velora message numéro {n}, la box redémarre encore " * 3,
                        published_at=start + timedelta(seconds=n * 7),
                    )
                    for n in range(first, min(first + CHUNK, MENTIONS))
                )
                put_samples.append(tracemalloc.get_traced_memory()[0])
        indexer = Indexer(es_client, index_names, chunk_size=500)
        summary = process_spool(
            loaded,
            Identity(),
            indexer,
            on_batch=lambda _: process_samples.append(tracemalloc.get_traced_memory()[0]),
        )
    finally:
        tracemalloc.stop()
    assert summary.indexed == MENTIONS and not summary.rejected
    for stage, samples in (("spool put", put_samples), ("process", process_samples)):
        warm = samples[max(1, len(samples) // 5) :]  # after a fifth of the run: caches are full
        growth = max(warm) - warm[0]
        print(
            f"soak {stage}: {MENTIONS} mentions, {len(samples)} samples, traced memory after warm-up "
            f"{warm[0] / 1e6:.1f} MB, growth {growth / 1e6:.2f} MB ({growth / MENTIONS:.1f} bytes/mention)"
        )
        assert growth < ALLOWED_GROWTH, stage
