"""Text helpers shared by feeds and spiders: HTML to plain text, white space, snippets.

Folding (case, accents) is ``core.text.fold``, shared with enrich and alerts.
"""

from __future__ import annotations

import re

import html_text

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u202f]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


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
