"""Sentiment evaluation: read labeled TSV sets, and accuracy, macro-F1 and Pearson r.

Used by ``bench/sentiment_eval.py`` and by the regression tests that guard the quality floors.
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from enrich.analysis import TextItem
from enrich.sentiment_en import EnglishSentiment

if TYPE_CHECKING:
    from enrich.analysis import Analyzer

LABELS = ("negative", "neutral", "positive")
_ALIASES = {
    "neg": "negative",
    "neu": "neutral",
    "pos": "positive",
    "-1": "negative",
    "0": "neutral",
    "1": "positive",
}
EVAL_DIR = Path(__file__).resolve().parent / "data" / "eval"
FRENCH_SETS = ("fr_posts_dev", "fr_posts_test", "fr_reviews_dev", "fr_reviews_test")
# The VADER paper's human-rated sets, in ../shared beside the repository (see its README).
ENGLISH_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "sentiment-en"
ENGLISH_SETS = ("tweets", "movieReviewSnippets", "amazonReviewSnippets", "nytEditorialSnippets")


@dataclass(frozen=True)
class Example:
    text: str
    label: str | None = None  # positive / neutral / negative
    score: float | None = None  # a human mean rating, any scale


def read_labeled(path: Path) -> list[Example]:
    """A TSV with a header naming ``text`` and ``label`` and/or ``score`` columns, or the VADER
    ground-truth format (``id <TAB> mean <TAB> text``, no header)."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        rows = [r for r in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if r and any(r)]
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    if "text" not in header:
        # VADER paper files: id, mean rating, text.
        return [Example(text=r[2].strip(), score=float(r[1])) for r in rows if len(r) >= 3]
    col = {name: header.index(name) for name in ("text", "label", "score") if name in header}
    out = []
    for row in rows[1:]:
        label = row[col["label"]].strip().lower() if "label" in col else None
        score = float(row[col["score"]]) if "score" in col and row[col["score"]].strip() else None
        out.append(
            Example(text=row[col["text"]], label=_ALIASES.get(label or "", label) or None, score=score)
        )
    return out


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold) if gold else 0.0


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 over the labels present in ``gold``."""
    scores = []
    for label in sorted(set(gold)):
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson's r; 0.0 where it is undefined (fewer than two points, or a constant side)."""
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:
        return 0.0


def binary(label: str, score: float) -> str:
    """Force a positive/negative decision (for two-class sets such as reviews)."""
    if label in ("positive", "negative"):
        return label
    return "positive" if score >= 0 else "negative"


@dataclass(frozen=True)
class Scores:
    items: int
    accuracy: float | None = None
    macro_f1: float | None = None
    pearson: float | None = None


def evaluate(analyzer: Analyzer, examples: Sequence[Example], lang: str | None = None) -> Scores:
    """Score ``examples`` with the analyzer (whole-text sentiment). Label sets without a neutral
    class are scored two-class: a neutral prediction falls on the side of its score."""
    items = [TextItem(text=e.text, lang=lang) for e in examples]
    results = analyzer.analyze(items)
    predicted = [(r.sentiment.label, r.sentiment.score) if r.sentiment else ("neutral", 0.0) for r in results]
    out: dict[str, float] = {}
    labeled = [(e.label, p) for e, p in zip(examples, predicted, strict=True) if e.label]
    if labeled:
        gold = [g for g, _ in labeled]
        two_class = "neutral" not in gold
        guesses = [binary(label, score) if two_class else label for _, (label, score) in labeled]
        out["accuracy"], out["macro_f1"] = accuracy(gold, guesses), macro_f1(gold, guesses)
    rated = [(e.score, p[1]) for e, p in zip(examples, predicted, strict=True) if e.score is not None]
    if rated:
        out["pearson"] = pearson([h for h, _ in rated], [s for _, s in rated])
    return Scores(items=len(examples), **out)


def vader_paper_r(path: Path) -> float:
    """Pearson r of vaderSentiment's compound on the whole text vs the human mean (the paper's way)."""
    vader = EnglishSentiment(service_words=False)  # the paper's lexicon, as published
    examples = read_labeled(path)
    return pearson([e.score or 0.0 for e in examples], [vader.polarity(e.text) for e in examples])
