"""Word splitting for the enrich stage (shingles, matching), on ``core.text`` folding."""

from __future__ import annotations

import re

from core.text import fold_text

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """Folded alphanumeric words, for shingling and matching (punctuation and emoji dropped)."""
    # Whole texts are folded without the cache: they are seen once, and would crowd out the words.
    return _WORD.findall(fold_text(text))
