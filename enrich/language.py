"""Language of a text: fr, en or other, with py3langid (its model ships inside the package).

Short texts are where identifiers fail ("Super service, merci" reads as Latin), so the scores are
weighted by priors: French and English are what Veille's sources publish, and the source's own
language (page ``lang`` or config hint) is likelier still. A long text outweighs any prior, and a
text of three words or fewer is taken to be fr or en (identifiers are near chance there).
"""

from __future__ import annotations

import logging
import re

from py3langid.langid import MODEL_FILE, LanguageIdentifier

logger = logging.getLogger(__name__)

SUPPORTED = ("fr", "en")
OTHER = "other"
PRIORS = {"fr": 10.0, "en": 5.0}
HINT_PRIOR = 5.0
SAMPLE_CHARS = 400  # about 65 words decide: plenty to identify, and the cost (a byte-level walk) stays flat
MIN_LETTERS = 3
SHORT_WORDS = 3


# Words common in French and rare in the other languages a source may carry (Spanish, Italian,
# Catalan, Portuguese, English), and the same for English. A sample holding many of one list and
# none of the other is decided without the identifier, whose byte-level walk costs as much as a
# tenth of the NER on a 100-word post; anything less clear-cut goes to the identifier.
FRENCH_WORDS = frozenset(
    "je j'ai c'est n'est avec dans pour nous vous sont cette très été une sur aux être ça qu'il leur "
    "tout elle ils est les le et du au qui depuis encore très chez tous quand après avant aussi ceux "
    "notre votre merci bonjour parce alors donc jamais rien déjà où moi".split()
)
ENGLISH_WORDS = frozenset(
    "the and is with this that have you not but are they it's i'm my of to be had were would there "
    "their what".split()
)
CLEAR_WORDS = 6  # distinct words of one list (and none of the other) that decide without the identifier
_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœ']+")


class LanguageDetector:
    """``detect(text, hint)`` -> "fr" | "en" | "other"."""

    def __init__(self) -> None:
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(self, text: str, hint: str | None = None) -> str:
        sample = text[:SAMPLE_CHARS]
        hint = hint if hint in SUPPORTED else None
        if not _has_letters(sample, MIN_LETTERS):
            return hint or OTHER
        clear = _clear_case(sample)
        if clear is not None and hint in (None, clear):
            return clear
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


def _clear_case(sample: str) -> str | None:
    words = set(_WORD.findall(sample.lower()))
    french, english = len(words & FRENCH_WORDS), len(words & ENGLISH_WORDS)
    if french >= CLEAR_WORDS and not english:
        return "fr"
    if english >= CLEAR_WORDS and not french:
        return "en"
    return None


def _has_letters(text: str, count: int) -> bool:
    """At least ``count`` letters in ``text``; stops at the ``count``-th (a long text has them early)."""
    for char in text:
        if char.isalpha():
            count -= 1
            if count <= 0:
                return True
    return count <= 0
