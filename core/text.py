"""The one text fold: case, accents, ligatures and typographic punctuation, for matching.

Crawlers match brand names with it, enrich looks words up in its lexicons with it and alerts
build keyword queries with it, so "Cœur", "CŒUR" and "coeur" are the same word everywhere.
``fold_with_map`` also keeps, for every folded character, the index of the original character it
came from, so a match found in folded text can be cut out of the original (the snippet).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# What NFKD does not decompose but a French reader treats as its ASCII spelling, and what
# carries no meaning for matching (emoji presentation selectors, skin tones, joiners).
_REPLACE: dict[str, str] = {
    "œ": "oe",
    "Œ": "oe",
    "æ": "ae",
    "Æ": "ae",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "\u00a0": " ",
    "\u202f": " ",
    "–": "-",
    "—": "-",
    **dict.fromkeys(map(chr, [0xFE0F, 0xFE0E, 0x200D, *range(0x1F3FB, 0x1F400)]), ""),
}
_REPLACED = frozenset(_REPLACE)


def _strip_marks(text: str) -> str:
    # NFKD before and after casefold: compatibility forms ("ℌ", "ﬁ") have case only once
    # decomposed, and casefold can itself add a combining mark ("İ" -> "i̇").
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    for char in set(decomposed):
        if unicodedata.combining(char):
            decomposed = decomposed.replace(char, "")
    return unicodedata.normalize("NFC", decomposed)


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower().replace("`", "'") if "`" in text else text.lower()
    # A Python step per character is slow; the characters to replace are few, so replace only
    # those that occur.
    for char in _REPLACED.intersection(text):
        text = text.replace(char, _REPLACE[char])
    return _strip_marks(text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case, accents and ligatures folded: ``"Cœur de Vélora’s CAFÉS"`` -> ``"coeur de velora's cafes"``.

    Cached: short strings (words, names) recur. Long texts seen once should call ``fold_text``.
    """
    return _fold(text)


def fold_text(text: str) -> str:
    """``fold`` without the cache, for whole texts (they would crowd the words out of it)."""
    return _fold(text)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` plus, for each folded character, the index of its source character."""
    if text.isascii() and "`" not in text:
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin
