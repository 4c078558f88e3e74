"""Text helpers shared by the enrich stage: accent/case folding and word splitting."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Emoji presentation selectors, skin tones and joiners carry no sentiment of their own.
_INVISIBLE = dict.fromkeys([0xFE0F, 0xFE0E, 0x200D, *range(0x1F3FB, 0x1F400)])
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes: ``"Vélora’s"`` -> ``"velora's"``."""
    text = text.translate(_APOSTROPHES).translate(_INVISIBLE).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def words(text: str) -> list[str]:
    """Folded alphanumeric words, for shingling and matching (punctuation and emoji dropped)."""
    return _WORD.findall(fold(text))
