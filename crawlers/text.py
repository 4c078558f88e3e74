"""Text helpers shared by feeds and spiders: HTML to plain text, and accent/case folding.

``fold_with_map`` keeps, for every folded character, the index of the original character it
came from, so a match found in folded text can be cut out of the original (the snippet).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import html_text

# Characters that NFKD does not decompose but a French reader treats as their ASCII spelling.
_EXTRA_FOLDS = {
    "œ": "oe",
    "Œ": "oe",
    "æ": "ae",
    "Æ": "ae",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "\u00a0": " ",
    "\u202f": " ",
    "–": "-",
    "—": "-",
}

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u202f]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _EXTRA_FOLDS:
        return _EXTRA_FOLDS[char]
    if char.isascii():
        return char.lower()
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents: ``"Cafés LANTIER"`` -> ``"cafes lantier"``."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` plus, for each folded character, the index of its source character."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def clean_space(text: str) -> str:
    """Collapse runs of spaces, keep single line breaks between paragraphs."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> str:
    """Readable text of an HTML fragment or page (scripts and styles dropped, blocks on lines)."""
    if not markup or not markup.strip():
        return ""
    if "<" not in markup and "&" not in markup:
        return clean_space(markup)
    return clean_space(html_text.extract_text(markup, guess_layout=True))


def snippet_around(text: str, start: int, end: int, width: int = 120) -> str:
    """The words around ``text[start:end]``, about ``width`` characters on each side."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    # Cut on whitespace so the snippet does not start or end in the middle of a word.
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    piece = _SPACES.sub(" ", text[left:right].replace("\n", " ")).strip()
    return f"{'…' if left > 0 else ''}{piece}{'…' if right < len(text) else ''}"
