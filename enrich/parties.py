"""Other parties a sentence may name that neither the catalog nor the NER tagged as organisations:
@handles, domains ("free.fr"), and capitalised names where a party is expected ("qu'Orbitel",
"chez Bouygues", "contrairement à SFR", "I left Comcast for…"). Brand targeting needs them so that
a sentence about someone else is not counted for the brand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress, repeat
from operator import and_, contains, eq, getitem, ne, or_

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
        ("celui", "de"),
        ("celle", "de"),
        ("ceux", "de"),
        ("celles", "de"),
        ("celui", "d'"),
        ("celle", "d'"),
        ("nothing", "like"),
        ("voir", "avec"),
        ("done", "with"),
        ("up", "on"),
        ("of", "course"),
    ]
)
# "Acme Telecom Inc.", "Durand SAS": a legal form after capitalised words names a company.
LEGAL_FORMS = frozenset(
    "inc inc. ltd ltd. llc corp corp. co. plc gmbh ag sa sas sarl sasu eurl nv bv".split()
)
# A capitalised word opening a clause and followed by one of these is the clause's subject:
# "Free m'a lâché", "Verizon dropped my calls". Only taken when the sentence names another party.
SUBJECT_NEXT = frozenset(
    "m' m me t' te l' n' ne nous vous a ont est sont etait avait coupe is was has had have are were "
    "did does would will can could never just keeps kept still always".split()
)
CLAUSE_OPENERS = frozenset({".", "!", "?", ",", ";", ":", "-", "(", "..."})
# Capitalised words that often open a clause and are never a company.
_STARTERS = frozenset(
    "my our your his her their this that these those it there here he she we they you what who "
    "everything nothing someone nobody everyone today yesterday tomorrow ce cette cela ca mon ma mes "
    "notre nos votre vos son sa ses leur leurs tout tous rien personne hier aujourd'hui demain".split()
)
_NOT_NAMES = frozenset(
    ["I", "Je", "J'", "Il", "Elle", "On", "Nous", "Vous", "Ils", "The", "A", "Le", "La", "Les"]
)

Span = tuple[int, int, str]  # token start, end, text
_FIRST = slice(0, 1)


def other_parties(
    words: Sequence[str], taken: Sequence[tuple[int, int]], not_subjects: Sequence[tuple[int, int]] = ()
) -> list[Span]:
    """Spans of ``words`` that name a party, outside the ``taken`` (start, end) spans (the parties
    already known); a clause's opening word inside ``not_subjects`` (people, places) is not one."""
    covered = {i for start, end in taken for i in range(start, end)}
    people = {i for start, end in not_subjects for i in range(start, end)}
    out: list[Span] = []
    folded = _Folded(words)
    # Most words are lower-case: only those that could start a name, a handle or a domain are looked
    # at (a lone "." ends a sentence and is neither). Tested word by word in C, not in a Python loop.
    firsts: list[str] = list(map(getitem, words, repeat(_FIRST)))  # each word's first character
    candidates = list(
        compress(
            range(len(words)),
            map(
                or_,
                map(or_, map(str.isupper, firsts), map(eq, firsts, repeat("@"))),
                map(and_, map(contains, words, repeat(".")), map(ne, words, repeat("."))),
            ),
        )
    )
    after = -1  # the end of the last span found: a name's words are not looked at again
    for i in candidates:
        word = words[i]
        if i in covered or i < after:
            continue
        if (word.startswith("@") and len(word) > 2) or ("." in word and _DOMAIN.match(word)):
            out.append((i, i + 1, word))
            continue
        if _capitalised(word):
            end = i + 1
            while end < len(words) and end not in covered and _name_word(words[end], folded[end]):
                end += 1
            legal = end < len(words) and folded[end] in LEGAL_FORMS
            if (
                legal
                or _in_party_context(folded, i)
                or (i not in people and _opens_clause(words, folded, i, end) and _another(words, covered, i))
            ):
                end += legal
                out.append((i, end, " ".join(words[i:end])))
                after = end
    return out


class _Folded:
    """``fold`` of a word, computed when first asked for: most words of a text are never needed."""

    def __init__(self, words: Sequence[str]) -> None:
        self._words = words
        self._done: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        found = self._done.get(i)
        if found is None:
            found = self._done[i] = fold(self._words[i])
        return found

    def window(self, start: int, end: int) -> list[str]:
        return [self[j] for j in range(max(0, start), end)]


def _name_word(word: str, folded: str) -> bool:
    return _capitalised(word) and folded not in LEGAL_FORMS


def _opens_clause(words: Sequence[str], folded: _Folded, i: int, end: int) -> bool:
    opens = i == 0 or words[i - 1] in CLAUSE_OPENERS or "\n" in words[i - 1]
    if not opens or folded[i] in _STARTERS or end >= len(words):
        return False
    after = folded[end]
    return after in SUBJECT_NEXT or (len(after) > 4 and after.endswith("ed"))  # "Verizon dropped"


def _another(words: Sequence[str], covered: set[int], i: int) -> bool:
    """A known party in the same sentence as word ``i``."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(words) and words[j] not in (".", "!", "?") and "\n" not in words[j]:
            if j in covered:
                return True
            j += step
    return False


def _capitalised(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and word not in _NOT_NAMES and any(c.isalpha() for c in word)


def _in_party_context(folded: _Folded, i: int) -> bool:
    if i == 0:
        return False
    before = folded[i - 1]
    if before in PARTY_CONTEXT:
        return True
    if i >= 2 and (folded[i - 2], before) in PARTY_CONTEXT_PAIRS:
        return True
    # "pour X" / "for X" / "to X" right after leaving someone ("j'ai quitté B pour X").
    return before in ("pour", "for", "to", "a") and any(
        w in PARTY_CONTEXT for w in folded.window(i - 5, i - 1)
    )
