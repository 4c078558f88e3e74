"""Soak through the enrich stage: mentions that each bring words never seen before go spool ->
process (the real Enricher, spaCy models loaded) -> the real Elasticsearch, and spaCy's vocabulary
and the process's memory stay flat.

Without a memory zone (enrich/memory.py) every new token stays in spaCy's string store for good:
4.6 strings and ~3.4 KB of RSS per mention on this stream (bench/enrich_memory.py).
Short by default (``VEILLE_SOAK_ENRICHED``: 1,500 mentions); ``make hardening`` runs 20,000.
"""

from __future__ import annotations

import os
import random
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest

from core.mention import Mention
from core.spool import Spool
from core.text import fold
from enrich import featurize
from enrich.analysis import _is_punct
from enrich.pipeline import Enricher
from enrich.sentiment_fr import WORD_CACHE_LIMIT
from index.indexer import Indexer
from veille.jobs.process import process_spool

pytestmark = [pytest.mark.es, pytest.mark.slow]

MENTIONS = int(os.environ.get("VEILLE_SOAK_ENRICHED", "1500"))
# Once warm, what may still grow: SQLite's page cache, Python's free lists. The word caches
# (folding, lemmas, lexicon) are bounded (~55 MB at most when full of distinct words): emptied at
# each sample so that what is measured is what could grow without bound.
ALLOWED_BYTES_PER_MENTION = 500  # before the memory zone: ~1,950; after: ~160
ALLOWED_NEW_STRINGS = 50  # kept for good over the run: none expected (5,352 before the fix)
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
TEMPLATES = [
    "Ma box Velora coupe tous les soirs depuis la commande {ref}, merci @{handle} pour rien.",
    "Le service client Velora m'a rappelé, dossier {ref}, toujours {word} et rien de réglé.",
    "La fibre Velora à {city} est {word}, voir {link} pour les détails.",
    "My Velora router keeps dropping since order {ref}, thanks @{handle}, {word} support.",
]


def _noise(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(size))


def stream(count: int, seed: int = 13) -> list[Mention]:
    """Forum mentions in which every post has a few words nobody wrote before (ids, handles, typos)."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    out = []
    for n in range(count):
        word = rng.choice(["nul", "lent", "top", "bof", "awful", "great"])
        text = rng.choice(TEMPLATES).format(
            ref=f"CMD-{_noise(rng, 8).upper()}",
            handle=f"client_{_noise(rng, 6)}",
            word=word + word[-1] * rng.randint(1, 3) + _noise(rng, 2),
            city=rng.choice(["Paris", "Lyon", "Nantes", "Brest"]),
            link=f"https://forum.example.fr/t/{_noise(rng, 10)}",
        )
        out.append(
            Mention(
                url=f"https://forum.example.fr/viewtopic.php?t={n // 20}#p{n}",
                source={"kind": "forum", "name": "soak"},
                brands=["Velora"],
                text=text,
                author={"name": f"user{n % 300}"},
                published_at=start + timedelta(seconds=n * 7),
            )
        )
    return out


def test_memory_and_vocabulary_stay_flat_through_enrichment(config_factory, es_client, index_names):
    loaded = config_factory()  # spool batches of nlp.spool_batch (500)
    with Spool(loaded.spool_path) as spool:
        spool.put(stream(MENTIONS))
    enricher = Enricher.from_config(loaded)
    vocab = enricher.analyzer.pipelines.fr.vocab
    word_caches = BoundedWordCaches(enricher)
    samples: list[tuple[int, int]] = []  # (traced bytes, strings in spaCy's store) after each batch

    def sample(_: int) -> None:
        word_caches.clear()  # bounded by construction (checked below): not what could leak
        samples.append((tracemalloc.get_traced_memory()[0], len(vocab.strings)))

    indexer = Indexer(es_client, index_names, chunk_size=500)
    enricher.enrich(stream(100, seed=1))  # warm the models' own lazy allocations up
    strings_before = len(vocab.strings)
    tracemalloc.start()
    try:
        with enricher:
            summary = process_spool(loaded, enricher, indexer, on_batch=sample)
    finally:
        tracemalloc.stop()
    assert summary.indexed == MENTIONS and not summary.rejected
    kept = samples[-1][1] - strings_before
    warm = samples[max(1, len(samples) // 5) - 1 :]
    growth = max(s[0] for s in warm) - warm[0][0]
    measured = max(1, MENTIONS * (len(warm) - 1) // len(samples))
    print(
        f"soak enrich: {MENTIONS} mentions, {len(samples)} batches, spaCy strings kept {kept}, "
        f"traced memory after warm-up {warm[0][0] / 1e6:.1f} MB, "
        f"growth {growth / 1e6:.2f} MB ({growth / measured:.0f} bytes/mention)"
    )
    assert kept <= ALLOWED_NEW_STRINGS, f"spaCy kept {kept} new strings over {MENTIONS} mentions"
    assert growth <= ALLOWED_BYTES_PER_MENTION * measured
    word_caches.check_bounded()


class BoundedWordCaches:
    """The enrich stage's word caches (folding, lemmas, lexicon valences, the French scorer's word
    readings, the classifier's token features, punctuation): each has a maximum size."""

    def __init__(self, enricher: Enricher) -> None:
        self.lemmatize = enricher.analyzer.pipelines.lemmatize
        self.lexicon = enricher.analyzer.french.lexicon
        self.french = enricher.analyzer.french

    def clear(self) -> None:
        fold.cache_clear()
        if hasattr(self.lemmatize, "cache_clear"):
            self.lemmatize.cache_clear()
        self.lexicon._cache.clear()
        self.lexicon._negated_cache.clear()
        self.french._word_cache.clear()
        featurize._cache.clear()
        _is_punct.cache_clear()

    def check_bounded(self) -> None:
        assert fold.cache_info().maxsize is not None
        assert _is_punct.cache_info().maxsize is not None
        assert len(featurize._cache) <= featurize._CACHE_LIMIT
        assert len(self.french._word_cache) <= WORD_CACHE_LIMIT
        if hasattr(self.lemmatize, "cache_info"):
            assert self.lemmatize.cache_info().maxsize is not None
