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
# Customer-service words VADER's general lexicon lacks (it was built on tweets, movie and product
# snippets, not on operators and shops). Valences on VADER's -4..+4 scale; added only where VADER
# has no entry of its own.
SERVICE_WORDS = {
    "reliable": 1.8,
    "unreliable": -1.9,
    "outage": -1.8,
    "outages": -1.8,
    "refunded": 1.2,
    "crashed": -1.8,
    "crashes": -1.8,
    "crashing": -1.8,
    "slow": -1.2,
    "slower": -1.2,
    "slowest": -1.5,
    "fast": 1.0,
    "faster": 1.0,
    "quick": 0.8,
    "quickly": 0.8,
    "unresponsive": -1.8,
    "overcharged": -2.2,
    "ripoff": -2.6,
    "buggy": -1.8,
    "laggy": -1.6,
    "smooth": 1.2,
    "smoother": 1.2,
    "rubbish": -2.3,
    "inflated": -1.2,
    "tasty": 2.0,
    "rocks": 1.9,
    "useless": -1.8,
}


def _model_name() -> str:
    try:
        return f"vader/{version('vaderSentiment')}"
    except PackageNotFoundError:  # pragma: no cover - the package is a dependency
        return "vader"


class EnglishSentiment:
    """``polarity(text)`` is VADER's compound on the whole text (the paper's setting);
    ``raw(sentence)`` the valence sum of one sentence, to add up over a long text."""

    model = _model_name()

    def __init__(self, service_words: bool = True) -> None:
        self._vader = SentimentIntensityAnalyzer()
        for word, valence in SERVICE_WORDS.items() if service_words else ():
            self._vader.lexicon.setdefault(word, valence)

    def polarity(self, text: str) -> float:
        return float(self._vader.polarity_scores(text)["compound"])

    def raw(self, text: str) -> float:
        compound = max(-0.9999, min(0.9999, self.polarity(text)))
        return compound * math.sqrt(ALPHA / (1.0 - compound * compound))

    def normalize(self, raw: float) -> float:
        return normalize(raw, ALPHA)
