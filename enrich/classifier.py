"""The learned French sentiment classifier: hashed TF-IDF word and character n-grams and the
lexicon's polarity, two linear heads (three-class, and NB-weighted positive vs negative), a
stacker and a temperature fitted on a held-out split so its probabilities are calibrated.

The model is one ``.npz`` file shipped in the package (``enrich/data/model/``): hashing
(``enrich/featurize.py``) needs no vocabulary, so the file holds only the IDF weights, the
coefficients and the temperature; it is loaded with ``numpy.load`` (no pickle, no network).
``enrich/train.py`` (``make model``) rebuilds it with the same ``weigh`` and
``lexicon_columns``, so training and inference see the same vectors.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.errors import ConfigError
from enrich.featurize import FEATURES, N_FEATURES, raw_counts, tokens
from enrich.wordvectors import WordVectors

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

logger = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model" / "sentiment_fr.npz"
LABELS = ("negative", "neutral", "positive")
LEXICON_SCALE = 3.0  # the n-gram rows have unit norm: the lexicon columns need a comparable size
VECTOR_SCALE = 1.0  # each pooled half has unit norm, like the n-gram rows
VECTOR_KEYS = ("vec_keys", "vec_rows", "vec_table")


def weigh(counts: csr_matrix, idf: np.ndarray, scale: np.ndarray | None = None) -> csr_matrix:
    """Sublinear TF x IDF (x a per-column ``scale``), rows L2-normalised."""
    weighted = counts.astype(np.float32)
    # On the stored values only: ``multiply`` by a dense row would broadcast to a dense matrix.
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    if scale is not None:
        weighted.data *= scale[weighted.indices]
    # Row norms in numpy (scikit-learn's ``normalize`` would import scikit-learn at scoring time).
    lengths = np.diff(weighted.indptr)
    squares = np.bincount(np.repeat(np.arange(len(lengths)), lengths), weighted.data**2, len(lengths))
    norms = np.sqrt(squares).astype(np.float32)
    norms[norms == 0] = 1.0
    weighted.data /= np.repeat(norms, lengths)
    return weighted


def lexicon_columns(count: int, lexicon: Sequence[float] | None) -> np.ndarray:
    """The lexicon polarity split into its positive and negative parts (two columns, so each side
    gets its own weight), scaled to sit beside unit-norm n-gram rows."""
    polarity = np.zeros(count, dtype=np.float32) if lexicon is None else np.asarray(lexicon, np.float32)
    return np.stack([np.maximum(polarity, 0), np.maximum(-polarity, 0)], axis=1) * LEXICON_SCALE


def dense_columns(
    vectors: WordVectors | None, token_lists: Sequence[Sequence[str]], lexicon: Sequence[float] | None
) -> np.ndarray:
    """The pooled word vectors (for a model that has them) and the two lexicon columns."""
    lex = lexicon_columns(len(token_lists), lexicon)
    if vectors is None:
        return lex
    return np.hstack([vectors.pool(token_lists) * VECTOR_SCALE, lex])


def add_dense(weighted: csr_matrix, dense: np.ndarray) -> csr_matrix:
    """The n-gram columns followed by the dense ones (``SentimentClassifier.dense_columns``)."""
    from scipy.sparse import csr_matrix, hstack

    return hstack([weighted, csr_matrix(dense)], format="csr")


@dataclass(frozen=True)
class Prediction:
    label: str
    probabilities: dict[str, float]

    @property
    def score(self) -> float:
        """P(positive) - P(negative), in -1..1."""
        return self.probabilities["positive"] - self.probabilities["negative"]


class SentimentClassifier:
    """``predict(texts)`` -> one ``Prediction`` per text; texts are scored in one matrix product.

    Two linear heads share the hashed n-grams: a three-class one (one-vs-rest: is it negative,
    neutral, positive?) and a polarity one (positive vs negative, trained on opinionated texts
    only, its columns weighted by their naive-Bayes log-count ratio: words that split positive
    from negative count more). A stacker fitted on the dev split turns (3 logits, polarity logit,
    lexicon +, lexicon -) into the final three logits, and a temperature calibrates them.
    """

    def __init__(
        self,
        idf: np.ndarray,
        heads: dict[str, np.ndarray],
        temperature: float,
        meta: dict[str, object],
        vectors: WordVectors | None = None,
    ) -> None:
        self.idf = idf.astype(np.float32)
        # Pooled word vectors (``enrich/wordvectors.py``), columns between the n-grams and the
        # lexicon in both heads; None for a model trained without them.
        self.vectors = vectors
        # "coef" (3 x features) and "intercept" (3): the three-class head; "polarity_coef",
        # "polarity_intercept", "nb": the polarity head; "stack" ((3 + 1 + 2 + 1) x 3): the stacker.
        self.coef_t = np.ascontiguousarray(heads["coef"].astype(np.float32).T)
        self.intercept = heads["intercept"].astype(np.float32)
        self.nb = heads["nb"].astype(np.float32) if "nb" in heads else None
        polarity = heads.get("polarity_coef")
        self.polarity_coef = None if polarity is None else polarity.astype(np.float32).ravel()
        self.polarity_intercept = float(heads.get("polarity_intercept", np.zeros(1))[()])
        self.stack = heads["stack"].astype(np.float32) if "stack" in heads else None
        self.temperature = temperature
        self.meta = meta
        self.name = str(meta.get("name", "veille-fr-clf"))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> SentimentClassifier:
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                if meta.get("features") != FEATURES:
                    built = meta.get("features")
                    raise ValueError(f"built for features {built!r}, this code makes {FEATURES!r}")
                skip = ("idf", "meta", "temperature", *VECTOR_KEYS)
                heads = {key: data[key] for key in data.files if key not in skip}
                vectors = None
                if meta.get("vectors"):
                    keys, rows, table = (data[key] for key in VECTOR_KEYS)
                    vectors = WordVectors(keys, rows, table, str(meta["vectors"]))
                classifier = cls(data["idf"], heads, float(data["temperature"]), meta, vectors)
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(
                f"{path}: cannot load the French sentiment model (rebuild it with `make model`): {exc}"
            ) from exc
        expected = N_FEATURES + classifier.vector_width + 2
        if classifier.coef_t.shape[0] != expected:
            raise ConfigError(
                f"{path}: the French sentiment model has {classifier.coef_t.shape[0]} columns, this "
                f"code makes {expected} (word vectors {meta.get('vectors') or 'none'}); "
                "rebuild it with `make model`"
            )
        return classifier

    @property
    def vector_width(self) -> int:
        return 0 if self.vectors is None else self.vectors.width

    def heads(self) -> dict[str, np.ndarray]:
        """The arrays ``load`` reads back (what ``enrich.train.save`` writes)."""
        out = {"coef": self.coef_t.T, "intercept": self.intercept}
        if self.nb is not None and self.polarity_coef is not None:
            out["nb"] = self.nb
            out["polarity_coef"] = self.polarity_coef
            out["polarity_intercept"] = np.array(self.polarity_intercept, dtype=np.float32)
        if self.stack is not None:
            out["stack"] = self.stack
        return out

    def probabilities(self, texts: Sequence[str], lexicon: Sequence[float] | None = None) -> np.ndarray:
        """Rows of P(negative), P(neutral), P(positive); ``lexicon``: the lexicon's -1..1 polarity
        of each text (``FrenchSentiment``), a feature that carries over to words the corpus lacks."""
        if not texts:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        logits = self.logits(texts, lexicon) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def stack_inputs(self, texts: Sequence[str], lexicon: Sequence[float] | None = None) -> np.ndarray:
        """Per text: the three-class logits, the polarity logit, the two lexicon columns."""
        token_lists = [tokens(text) for text in texts]
        counts = raw_counts(texts, token_lists)
        # The dense columns (word vectors, then the two lexicon ones) follow the n-grams in each
        # head: added apart, no sparse copy.
        dense = dense_columns(self.vectors, token_lists, lexicon)
        coef = self.coef_t
        three = np.asarray(weigh(counts, self.idf) @ coef[:N_FEATURES]) + dense @ coef[N_FEATURES:]
        three += self.intercept
        if self.nb is None or self.polarity_coef is None:
            polarity: np.ndarray = np.zeros((len(texts), 1), dtype=np.float32)
        else:
            weights = self.polarity_coef
            opinion = np.asarray(weigh(counts, self.idf, self.nb) @ weights[:N_FEATURES])
            opinion += dense @ weights[N_FEATURES:]
            polarity = (opinion + self.polarity_intercept).reshape(-1, 1)
        lex = dense[:, -2:]
        return np.hstack([three, polarity, lex]).astype(np.float32)

    def logits(self, texts: Sequence[str], lexicon: Sequence[float] | None = None) -> np.ndarray:
        inputs = self.stack_inputs(texts, lexicon)
        if self.stack is None:
            return inputs[:, : len(LABELS)]
        return inputs @ self.stack[:-1] + self.stack[-1]

    def predict(self, texts: Sequence[str], lexicon: Sequence[float] | None = None) -> list[Prediction]:
        out = []
        for row in self.probabilities(texts, lexicon):
            probs = {label: round(float(p), 4) for label, p in zip(LABELS, row, strict=True)}
            out.append(Prediction(LABELS[int(np.argmax(row))], probs))
        return out
