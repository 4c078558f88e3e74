"""Other parties a sentence may name that neither the catalog nor the NER tagged as organisations:
@handles, domains ("free.fr"), and capitalised names where a party is expected ("qu'Orbitel",
"chez Bouygues", "contrairement à SFR", "I left Comcast for…"). Brand targeting needs them so that
a sentence about someone else is not counted for the brand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.text import fold

_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)*\.(fr|com|net|org|io|eu|be|ch|ca|co|uk|de|es|it|app|shop)$", re.I)
# Words after which a capitalised name is a party (company, shop, operator), not a place or person.
PARTY_CONTEXT = frozenset(
    [
        "que",
        "qu'",
        "qu",
        "than",
        "chez",
        "unlike",
        "vs",
        "versus",
        "contrairement",
        "quitte",
        "quitter",
        "left",
        "leave",
        "ditched",
        "from",
        "over",
        "abandonne",
        "resilie",
        "concurrent",
        "competitor",
    ]
)
# Two-word contexts: "comparé à X", "par rapport à X", "la différence de X", "pour X" after leaving.
PARTY_CONTEXT_PAIRS = frozenset(
    [
        ("contrairement", "a"),
        ("contrairement", "au"),
        ("compare", "a"),
        ("rapport", "a"),
        ("difference", "de"),
        ("difference", "d'"),
        ("difference", "du"),
        ("opposition", "a"),
        ("to", "switch"),
    ]
)
_NOT_NAMES = frozenset(
    ["I", "Je", "J'", "Il", "Elle", "On", "Nous", "Vous", "Ils", "The", "A", "Le", "La", "Les"]
)

Span = tuple[int, int, str]  # token start, end, text


def other_parties(words: Sequence[str], taken: Sequence[tuple[int, int]]) -> list[Span]:
    """Spans of ``words`` that name a party, outside the ``taken`` (start, end) spans."""
    covered = {i for start, end in taken for i in range(start, end)}
    out: list[Span] = []
    folded = [fold(w) for w in words] if any(_capitalised(w) for w in words) else []
    i = 0
    while i < len(words):
        word = words[i]
        if i in covered:
            i += 1
            continue
        if (word.startswith("@") and len(word) > 2) or ("." in word and _DOMAIN.match(word)):
            out.append((i, i + 1, word))
            i += 1
            continue
        if _capitalised(word) and _in_party_context(folded, i):
            end = i + 1
            while end < len(words) and end not in covered and _capitalised(words[end]):
                end += 1
            out.append((i, end, " ".join(words[i:end])))
            i = end
            continue
        i += 1
    return out


def _capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word not in _NOT_NAMES and any(c.isalpha() for c in word)


def _in_party_context(folded: list[str], i: int) -> bool:
    if i == 0:
        return False
    before = folded[i - 1]
    if before in PARTY_CONTEXT:
        return True
    if i >= 2 and (folded[i - 2], before) in PARTY_CONTEXT_PAIRS:
        return True
    # "pour X" / "for X" / "to X" right after leaving someone ("j'ai quitté B pour X").
    return before in ("pour", "for", "to", "a") and any(
        w in PARTY_CONTEXT for w in folded[max(0, i - 5) : i - 1]
    )
