"""Text helpers shared by the enrich stage: accent/case folding and word splitting."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Emoji presentation selectors, skin tones and joiners carry no sentiment of their own.
_INVISIBLE = dict.fromkeys([0xFE0F, 0xFE0E, 0x200D, *range(0x1F3FB, 0x1F400)])
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})
_TRANSLATED_TO: dict[int, str] = {code: value or "" for code, value in (_APOSTROPHES | _INVISIBLE).items()}
_TRANSLATED = frozenset(_TRANSLATED_TO)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _fold(text: str) -> str:
    # str.translate and a generator over characters cost a Python-level step per character; the
    # characters to change are few, so find which occur (a set of the text) and replace only those.
    for code in _TRANSLATED.intersection(map(ord, set(text))):
        text = text.replace(chr(code), _TRANSLATED_TO[code])
    decomposed = unicodedata.normalize("NFKD", text.lower())
    for char in set(decomposed):
        if unicodedata.combining(char):
            decomposed = decomposed.replace(char, "")
    return unicodedata.normalize("NFC", decomposed)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes: ``"Vélora’s"`` -> ``"velora's"``."""
    return _fold(text)


def fold_text(text: str) -> str:
    """``fold`` without the cache, for whole texts: they are seen once and would crowd out the words."""
    return _fold(text)


def words(text: str) -> list[str]:
    """Folded alphanumeric words, for shingling and matching (punctuation and emoji dropped)."""
    # Whole texts are folded without the cache: they are seen once, and would crowd out the words.
    return _WORD.findall(_fold(text))
