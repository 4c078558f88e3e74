"""Hashed n-gram features of the French classifier (enrich/featurize.py)."""

from __future__ import annotations

import numpy as np

from enrich import featurize


def test_counts_are_fixed_by_the_text_and_fold_case_and_accents():
    first = featurize.raw_counts(["Très déçu, pas marrant !", "Service nickel"])
    featurize._cache.clear()  # the cache is only a speed-up: the same counts without it
    again = featurize.raw_counts(["TRÈS DECU, pas marrant !", "Service nickel"])
    assert first.shape == (2, featurize.N_FEATURES)
    assert (first != again).nnz == 0


def test_counts_hold_words_pairs_and_character_grams():
    row = featurize.raw_counts(["nul nul"])
    words = row[:, : 2**featurize.WORD_BITS]
    chars = row[:, 2**featurize.WORD_BITS :]
    # "nul" twice (one column, count 2) and the pair "nul nul" once.
    assert sorted(words.data.tolist()) == [1.0, 2.0]
    # " nul " gives 3 trigrams, 2 four-grams, 1 five-gram, each seen twice.
    assert chars.nnz <= 6 and chars.sum() == 12


def test_empty_and_symbol_only_texts_give_empty_rows():
    rows = featurize.raw_counts(["", "!!!", "12"])
    assert rows.shape[0] == 3
    assert rows[0].nnz == 0 and rows[1].nnz == 1 and rows[2].nnz == 1
    assert np.all(rows.data > 0)
