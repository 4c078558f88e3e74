"""enrich.memory.TokenizerCache: repeated words are cached outside the zone, within a budget."""

from __future__ import annotations

import spacy

from enrich.memory import TokenizerCache

TEXTS = [
    "Ma box Velora coupe encore, merci pour rien. Velora ne répond pas !",
    "La box Velora (fibre) coupe tous les soirs : aujourd'hui encore.",
]


def _words(nlp: spacy.language.Language, text: str) -> list[str]:
    with nlp.memory_zone():
        return [t.text for t in nlp(text)]


def test_learns_repeated_chunks_only_and_tokens_do_not_change() -> None:
    nlp = spacy.blank("fr")
    before = [_words(nlp, t) for t in TEXTS]
    cache = TokenizerCache(nlp)
    assert cache.learn(TEXTS) == len({"box", "Velora", "coupe"})
    assert cache.cached == {"box", "Velora", "coupe"}
    assert cache.learn(TEXTS) == 0  # already cached: not counted twice against the budget
    assert [_words(nlp, t) for t in TEXTS] == before


def test_budget_bounds_what_is_kept_for_good() -> None:
    nlp = spacy.blank("fr")
    cache = TokenizerCache(nlp, budget=2)
    assert cache.learn(TEXTS) == 2 and cache.full
    strings = len(nlp.vocab.strings)
    assert cache.learn(["encore encore soirs soirs"]) == 0
    assert len(nlp.vocab.strings) == strings


def test_nothing_learned_inside_a_memory_zone() -> None:
    nlp = spacy.blank("fr")
    cache = TokenizerCache(nlp)
    with nlp.memory_zone():
        assert cache.learn(TEXTS) == 0
    assert not cache.cached
