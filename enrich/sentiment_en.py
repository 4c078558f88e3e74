"""English sentiment: vaderSentiment (Hutto & Gilbert 2014), sentence by sentence for long texts.

VADER returns a squashed compound per call; ``raw`` inverts the squashing so sentence scores can be
added up exactly as VADER adds word valences, then squashed once for the whole text.
"""

from __future__ import annotations

import math
from importlib.metadata import PackageNotFoundError, version

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from enrich.sentiment_fr import normalize

ALPHA = 15.0


def _model_name() -> str:
    try:
        return f"vader/{version('vaderSentiment')}"
    except PackageNotFoundError:  # pragma: no cover - the package is a dependency
        return "vader"


class EnglishSentiment:
    """``polarity(text)`` is VADER's compound on the whole text (the paper's setting);
    ``raw(sentence)`` the valence sum of one sentence, to add up over a long text."""

    model = _model_name()

    def __init__(self) -> None:
        self._vader = SentimentIntensityAnalyzer()

    def polarity(self, text: str) -> float:
        return float(self._vader.polarity_scores(text)["compound"])

    def raw(self, text: str) -> float:
        compound = max(-0.9999, min(0.9999, self.polarity(text)))
        return compound * math.sqrt(ALPHA / (1.0 - compound * compound))

    def normalize(self, raw: float) -> float:
        return normalize(raw, ALPHA)
