"""One fold everywhere: crawlers, enrich and alerts see "Cœur" and "coeur" as the same word."""

from __future__ import annotations

import re

from alerts.rules.keywords import keyword_tokens, token_regexp
from core.text import fold, fold_text, fold_with_map
from enrich.text import words

SAMPLES = [
    "Cœur",
    "CŒUR de Vélora’s CAFÉS",
    "L’ÉTÉ « chaud » — ﬁbre",
    "👍🏽 Ünïcödé ΟΔΟΣ",
    "e\u0301te\u0301",
    "",
]


def test_fold_spellings_of_one_word_agree():
    assert fold("Cœur") == fold("CŒUR") == fold("coeur") == fold("Coeur") == "coeur"
    assert fold("Cafés LANTIER") == "cafes lantier"
    assert fold("L’ÉTÉ `x`") == "l'ete 'x'"


def test_every_layer_folds_the_same():
    assert keyword_tokens("Cœur brisé") == ["coeur", "brise"]
    assert words("Cœur brisé !") == ["coeur", "brise"]
    for text in SAMPLES:
        assert fold_text(text) == fold(text)


def test_fold_with_map_agrees_with_fold_and_points_back():
    for text in SAMPLES:
        folded, origin = fold_with_map(text)
        assert folded == fold(text), text
        assert len(origin) == len(folded)
        assert origin == sorted(origin) and all(0 <= i < len(text) for i in origin)
    folded, origin = fold_with_map("Le Cœur")
    assert folded == "le coeur" and origin[4] == origin[5] == 4


def test_keyword_queries_match_the_ligature_the_index_keeps():
    # The mentions' text field uses the standard analyzer: "cœur" stays "cœur" in the index.
    pattern = token_regexp(keyword_tokens("Cœur")[0])
    assert all(re.fullmatch(pattern, word) for word in ["cœur", "coeur", "cœurs", "l'cœur"])
    assert not re.fullmatch(pattern, "cur")
