"""The learned French sentiment classifier: hashed TF-IDF word and character n-grams, a
multinomial logistic regression over negative / neutral / positive, and a temperature fitted on a
held-out split so its probabilities are calibrated.

The model is one ``.npz`` file shipped in the package (``enrich/data/model/``): hashing needs no
vocabulary, so the file holds only the IDF weights, the coefficients and the temperature; it is
loaded with ``numpy.load`` (no pickle, no network). ``enrich/train.py`` (``make model``) rebuilds
it; ``features`` below is shared by both sides, so training and inference see the same vectors.
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
from core.text import fold_text

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

logger = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model" / "sentiment_fr.npz"
LABELS = ("negative", "neutral", "positive")
WORD_BITS = 19
CHAR_BITS = 19
LEXICON_SCALE = 3.0  # the n-gram rows have unit norm: the lexicon columns need a comparable size
MAX_CHARS = 1500  # a review's opening says how it goes; char n-grams of a whole essay cost time
# Words kept whole (apostrophes split off like spaCy does: "n'est" -> "n'" "est"), emoji and runs
# of ! or ? are tokens of their own: they carry sentiment in short posts.
TOKEN_PATTERN = r"(?u)[^\W\d_]+'?|\d+|[!?]+|[\U0001F300-\U0001FAFF\u2600-\u27BF]"


def _identity(text: str) -> str:
    return text


def vectorizers() -> tuple[object, object]:
    """The two hashing vectorizers (word 1-2 grams, char_wb 3-5 grams), identical in training."""
    from sklearn.feature_extraction.text import HashingVectorizer

    # Texts come folded (``raw_counts``): once for both vectorizers.
    common = {"alternate_sign": False, "norm": None, "lowercase": False, "preprocessor": _identity}
    word = HashingVectorizer(
        analyzer="word", token_pattern=TOKEN_PATTERN, ngram_range=(1, 2), n_features=2**WORD_BITS, **common
    )
    # 3-5 grams: 2-grams cost a third of the time and add little over the word features.
    char = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**CHAR_BITS, **common)
    return word, char


def raw_counts(texts: Sequence[str]) -> csr_matrix:
    """Hashed n-gram counts of ``texts``: word features first, then character ones."""
    from scipy.sparse import hstack

    word, char = vectorizers()
    texts = [fold_text(text[:MAX_CHARS]) for text in texts]
    return hstack([word.transform(texts), char.transform(texts)], format="csr")  # type: ignore[attr-defined]


def weigh(counts: csr_matrix, idf: np.ndarray) -> csr_matrix:
    """Sublinear TF x IDF, rows L2-normalised (what the regression was trained on)."""
    from sklearn.preprocessing import normalize

    weighted = counts.astype(np.float32)
    # On the stored values only: ``multiply`` by a dense row would broadcast to a dense matrix.
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    return normalize(weighted, copy=False)


def features_of(texts: Sequence[str], idf: np.ndarray, lexicon: Sequence[float] | None) -> csr_matrix:
    """The model's input: weighted n-grams, then the lexicon polarity split into its positive and
    negative parts (two columns, so each side gets its own weight)."""
    from scipy.sparse import csr_matrix, hstack

    polarity = np.zeros(len(texts), dtype=np.float32) if lexicon is None else np.asarray(lexicon, np.float32)
    extra = np.stack([np.maximum(polarity, 0), np.maximum(-polarity, 0)], axis=1) * LEXICON_SCALE
    return hstack([weigh(raw_counts(texts), idf), csr_matrix(extra)], format="csr")


def stack_inputs(logits: np.ndarray, features: csr_matrix) -> np.ndarray:
    """The stacker's inputs: the n-gram logits and the two lexicon columns (the last of ``features``)."""
    lexicon = features[:, -2:].toarray()
    return np.hstack([logits, lexicon]).astype(np.float32)


@dataclass(frozen=True)
class Prediction:
    label: str
    probabilities: dict[str, float]

    @property
    def score(self) -> float:
        """P(positive) - P(negative), in -1..1."""
        return self.probabilities["positive"] - self.probabilities["negative"]


class SentimentClassifier:
    """``predict(texts)`` -> one ``Prediction`` per text; texts are scored in one matrix product."""

    def __init__(
        self,
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        temperature: float,
        meta: dict[str, object],
        stack: np.ndarray | None = None,
    ) -> None:
        self.idf = idf.astype(np.float32)
        self.coef_t = np.ascontiguousarray(coef.astype(np.float32).T)
        self.intercept = intercept.astype(np.float32)
        self.temperature = temperature
        self.meta = meta
        # Stacking, fitted on the dev split: (n-gram logits, lexicon +, lexicon -) -> logits. The
        # n-gram model fits its training texts almost perfectly, so it learns to ignore the lexicon;
        # on texts it has not seen, the lexicon carries weight, and the dev split says how much.
        self.stack = None if stack is None else stack.astype(np.float32)
        self.name = str(meta.get("name", "veille-fr-clf"))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> SentimentClassifier:
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                stack = data["stack"] if "stack" in data.files else None
                temperature = float(data["temperature"])
                return cls(data["idf"], data["coef"], data["intercept"], temperature, meta, stack)
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(
                f"{path}: cannot load the French sentiment model (rebuild it with `make model`): {exc}"
            ) from exc

    def probabilities(self, texts: Sequence[str], lexicon: Sequence[float] | None = None) -> np.ndarray:
        """Rows of P(negative), P(neutral), P(positive); ``lexicon``: the lexicon's -1..1 polarity
        of each text (``FrenchSentiment``), a feature that carries over to words the corpus lacks."""
        if not texts:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        logits = self.logits(texts, lexicon) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def logits(self, texts: Sequence[str], lexicon: Sequence[float] | None = None) -> np.ndarray:
        features = features_of(texts, self.idf, lexicon)
        logits = np.asarray(features @ self.coef_t + self.intercept)
        if self.stack is None:
            return logits
        return stack_inputs(logits, features) @ self.stack[:-1] + self.stack[-1]

    def predict(self, texts: Sequence[str], lexicon: Sequence[float] | None = None) -> list[Prediction]:
        out = []
        for row in self.probabilities(texts, lexicon):
            probs = {label: round(float(p), 4) for label, p in zip(LABELS, row, strict=True)}
            out.append(Prediction(LABELS[int(np.argmax(row))], probs))
        return out
