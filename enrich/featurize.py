"""Hashed n-gram counts for the French sentiment classifier, fast enough for the enrich stage.

Texts are folded (``core.text.fold_text``), cut at ``MAX_CHARS`` and split into tokens (words with
their apostrophe, numbers, runs of ! or ?, emoji). Features, all hashed into one index space:

* word unigrams and bigrams in ``[0, 2**WORD_BITS)``;
* character 3-5-grams of each word padded with spaces (" nul ", "nul", "ul "), in
  ``[2**WORD_BITS, 2**WORD_BITS + 2**CHAR_BITS)``.

Why not scikit-learn's ``HashingVectorizer``: it builds every n-gram string in Python for every
text, which was a third of the enrich overhead. Here each distinct token is hashed once (a bounded
cache: word frequencies are Zipfian, so most tokens of a new text are already there), bigrams are
combined from the token hashes with numpy, and the whole batch becomes one sparse matrix in one
step. The hash is CRC-32, the same in every process (Python's ``hash`` is salted per run).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from core.text import fold_text

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

FEATURES = "veille-hash/2"  # recorded in the model: a model is refused by code that hashes otherwise
WORD_BITS = 19
CHAR_BITS = 19
N_FEATURES = 2**WORD_BITS + 2**CHAR_BITS
MAX_CHARS = 1500  # a review's opening says how it goes; n-grams of a whole essay cost time
CHAR_NGRAMS = (3, 4, 5)
# Words kept whole (the apostrophe stays with the elided word: "n'est" -> "n'" "est"), numbers,
# runs of ! or ? and emoji are tokens: they carry sentiment in short posts.
TOKEN_PATTERN = re.compile(r"(?u)[^\W\d_]+'?|\d+|[!?]+|[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_WORD_MASK = np.uint64(2**WORD_BITS - 1)
_BIGRAM_MULT = np.uint64(0x9E3779B1)  # odd constant: the pair (a, b) and (b, a) land apart
_CACHE_LIMIT = 200_000
_EMPTY = np.zeros(0, dtype=np.int64)

# token -> (its word hash, the indices of its character n-grams)
_cache: dict[str, tuple[int, np.ndarray]] = {}


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _token(token: str) -> tuple[int, np.ndarray]:
    found = _cache.get(token)
    if found is not None:
        return found
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()  # rare: a long-running process that met a very large vocabulary
    chars = _EMPTY
    if token[0].isalpha():
        padded = f" {token} "
        grams = [padded[i : i + n] for n in CHAR_NGRAMS for i in range(len(padded) - n + 1)]
        if grams:
            hashed = np.fromiter((_crc(g) for g in grams), dtype=np.int64, count=len(grams))
            chars = (hashed & (2**CHAR_BITS - 1)) + 2**WORD_BITS
    found = (_crc(token), chars)
    _cache[token] = found
    return found


def tokens(text: str) -> list[str]:
    """The folded tokens the features are built from (also the lexicon-free view of a text)."""
    return TOKEN_PATTERN.findall(fold_text(text[:MAX_CHARS]))


def _indices(token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every feature of every text, with repeats (repeats are the counts).

    Done for the whole batch at once: each distinct token is looked up once, then its word hash
    and character n-grams are gathered for every place it occurs with numpy, not token by token.
    """
    lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    if not lengths.sum():
        return _EMPTY, _EMPTY
    # Token ids in order of first appearance: ``place`` is the id of each token of the batch.
    ids: dict[str, int] = {}
    place = np.fromiter((ids.setdefault(t, len(ids)) for toks in token_lists for t in toks), dtype=np.int64)
    entries = [_token(t) for t in ids]
    word_of = np.fromiter((e[0] for e in entries), dtype=np.uint64, count=len(entries))
    words = word_of[place]
    text_of = np.repeat(np.arange(len(token_lists), dtype=np.int64), lengths)
    # Bigrams: each token with the next one of the same text.
    same = text_of[:-1] == text_of[1:]
    pairs = (words[:-1][same] * _BIGRAM_MULT + words[1:][same] + np.uint64(1)) & _WORD_MASK
    # Character n-grams: the distinct tokens' n-grams laid end to end, gathered per occurrence.
    gram_counts = np.fromiter((len(e[1]) for e in entries), dtype=np.int64, count=len(entries))
    grams = np.concatenate([e[1] for e in entries]) if gram_counts.sum() else _EMPTY
    gram_start = np.concatenate(([0], np.cumsum(gram_counts)[:-1]))
    counts = gram_counts[place]
    offsets = np.repeat(gram_start[place] - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    chars = grams[offsets + np.arange(counts.sum(), dtype=np.int64)]
    rows = np.concatenate((text_of, text_of[:-1][same], np.repeat(text_of, counts)))
    columns = np.concatenate(((words & _WORD_MASK).astype(np.int64), pairs.astype(np.int64), chars))
    return rows, columns


def raw_counts(texts: Sequence[str], token_lists: Sequence[Sequence[str]] | None = None) -> csr_matrix:
    """Hashed n-gram counts of ``texts``: one row per text, ``N_FEATURES`` columns.
    ``token_lists``: ``tokens(text)`` of each text when the caller already has them."""
    from scipy.sparse import csr_matrix

    if token_lists is None:
        token_lists = [tokens(text) for text in texts]
    row_ids, columns = _indices(token_lists)
    data = np.ones(len(columns), dtype=np.float32)
    # Duplicate (row, column) pairs are summed when the COO input becomes CSR: those are the counts.
    matrix = csr_matrix((data, (row_ids, columns)), shape=(len(token_lists), N_FEATURES))
    matrix.sum_duplicates()
    return matrix
