"""English sentiment: vaderSentiment (Hutto & Gilbert 2014), sentence by sentence for long texts.

VADER returns a squashed compound per call; ``raw`` inverts the squashing so sentence scores can be
added up exactly as VADER adds word valences, then squashed once for the whole text.

VADER scores words, and customer service complains in phrases of neutral words ("kept me on hold",
"took three weeks", "raised its prices", "let me down") or praises a fix ("sorted in the end",
"fixed my issue"). ``SERVICE_PHRASES`` adds those phrases' valences to the sentence's sum, and "zero"
before a word reads as VADER's negation "no" ("zero outages").
"""

from __future__ import annotations

import math
import re
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
    "unreachable": -1.8,
}
# VADER entries from another sense: in customer talk "support" is the help desk ("support never
# answers"), not backing (VADER +1.7). Replaced, unlike SERVICE_WORDS.
SERVICE_OVERRIDES = {"support": 0.0}


_NUMBER = r"(?:\d+|a few|a couple of|two|three|four|five|six|several|many)"
_PROBLEM = r"(?:issue|issues|problem|problems|outage|fault|bug|connection|line|bill|billing|account)"
# (pattern, valence on VADER's -4..+4 scale), matched case-insensitively on the sentence.
SERVICE_PHRASES: list[tuple[re.Pattern[str], float]] = [
    (re.compile(p, re.IGNORECASE), v)
    for p, v in (
        (r"\bon hold\b", -1.6),
        (r"\b(?:is|are|was|were|went|goes) down\b", -1.5),
        (r"\b(?:let|lets|letting) (?:me|us|you|them|everyone) down\b", -2.0),
        (rf"\btook {_NUMBER} (?:more )?(?:days|weeks|months|hours|calls|attempts)\b", -1.4),
        (rf"\b(?:waited|waiting|wait) (?:for )?{_NUMBER} (?:days|weeks|months|hours|minutes)\b", -1.4),
        (r"\bstill waiting\b", -1.5),
        (
            r"\b(?:raised|raises|hiked|hikes|increased|increases|bumped up) (?:its|their|the|my|our) "
            r"(?:price|prices|rate|rates|bill|fees|tariff|tariffs)\b",
            -1.5,
        ),
        (r"\bprice (?:hike|hikes|increase|increases)\b", -1.4),
        (
            r"\b(?:lowered|cut|reduced|dropped) (?:its|their|the|my|our) (?:price|prices|rate|rates|bill)\b",
            1.5,
        ),
        (r"\b(?:charged|billed) (?:me |us )?twice\b|\bdouble[- ]charged\b", -2.0),
        (r"\b(?:won't|wouldn't|never|didn't|don't|doesn't) (?:pick|picks|picked) up\b", -1.8),
        (r"\b(?:nobody|no one|no-one) (?:answers|answered|picks up|replies|replied|responds)\b", -1.8),
        (r"\bhung up on (?:me|us)\b", -2.0),
        (r"\bno (?:answer|response|reply|refund)\b", -1.5),
        (rf"\b(?:fixed|solved|resolved|sorted) (?:my|the|our|this|that|their) {_PROBLEM}\b", 1.8),
        (rf"\b{_PROBLEM} (?:was |got |has been |is )?(?:fixed|solved|resolved|sorted)\b", 1.8),
        (r"\bsorted (?:it )?(?:out|in the end|quickly|fast|straight away)\b", 1.6),
        (
            r"\b(?:called (?:me |us )?back|rang (?:me |us )?back|answered|replied|responded) "
            r"(?:within|in) (?:a minute|minutes|\d+ minutes|an hour|the hour)\b",
            1.5,
        ),
        (r"\b(?:came|come|comes) through\b", 1.5),
    )
]
_ZERO = re.compile(r"\bzero\b(?=\s+[a-z])", re.IGNORECASE)


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
        self._service = service_words
        for word, valence in SERVICE_WORDS.items() if service_words else ():
            self._vader.lexicon.setdefault(word, valence)
        if service_words:
            self._vader.lexicon.update(SERVICE_OVERRIDES)

    def polarity(self, text: str) -> float:
        if not self._service:  # the paper's VADER, as published
            return float(self._vader.polarity_scores(text)["compound"])
        return self.normalize(self.raw(text))

    def raw(self, text: str) -> float:
        phrases = 0.0
        if self._service:
            text = _ZERO.sub("no", text)
            phrases = sum(valence for pattern, valence in SERVICE_PHRASES if pattern.search(text))
        compound = max(-0.9999, min(0.9999, float(self._vader.polarity_scores(text)["compound"])))
        return compound * math.sqrt(ALPHA / (1.0 - compound * compound)) + phrases

    def normalize(self, raw: float) -> float:
        return normalize(raw, ALPHA)
