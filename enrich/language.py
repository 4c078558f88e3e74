"""Language of a text: fr, en or other, with py3langid (its model ships inside the package).

Short texts are where identifiers fail ("Super service, merci" reads as Latin), so the scores are
weighted by priors: French and English are what Veille's sources publish, and the source's own
language (page ``lang`` or config hint) is likelier still. A long text outweighs any prior, and a
text of three words or fewer is taken to be fr or en (identifiers are near chance there).
"""

from __future__ import annotations

import logging

from py3langid.langid import MODEL_FILE, LanguageIdentifier

logger = logging.getLogger(__name__)

SUPPORTED = ("fr", "en")
OTHER = "other"
PRIORS = {"fr": 10.0, "en": 5.0}
HINT_PRIOR = 5.0
SAMPLE_CHARS = 400  # about 65 words decide: plenty to identify, and the cost (a byte-level walk) stays flat
MIN_LETTERS = 3
SHORT_WORDS = 3


class LanguageDetector:
    """``detect(text, hint)`` -> "fr" | "en" | "other"."""

    def __init__(self) -> None:
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(self, text: str, hint: str | None = None) -> str:
        sample = text[:SAMPLE_CHARS]
        hint = hint if hint in SUPPORTED else None
        if not _has_letters(sample, MIN_LETTERS):
            return hint or OTHER
        # Ranked best first, and only fr and en are weighted: the best of the other languages is the
        # first one ranked, so the rest of the ranking cannot win (nor come first on a tie).
        weighted: dict[str, float] = {}
        other = False
        for lang, prob in self._identifier.rank(sample):
            if lang in SUPPORTED:
                weighted[lang] = float(prob) * PRIORS[lang] * (HINT_PRIOR if lang == hint else 1.0)
            elif not other:
                weighted[lang], other = float(prob), True
            if other and len(weighted) == len(SUPPORTED) + 1:
                break
        if len(sample.split(maxsplit=SHORT_WORDS)) <= SHORT_WORDS:
            weighted = {lang: weighted.get(lang, 0.0) for lang in SUPPORTED}
        best = max(weighted, key=weighted.__getitem__)
        return best if best in SUPPORTED else OTHER


def _has_letters(text: str, count: int) -> bool:
    """At least ``count`` letters in ``text``; stops at the ``count``-th (a long text has them early)."""
    for char in text:
        if char.isalpha():
            count -= 1
            if count <= 0:
                return True
    return count <= 0
