"""Which parts of a text speak about a given brand: its sentences, or its clauses when a sentence
also names someone else ("le SAV de Velora est nul mais Orbitel est top").
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from core.text import fold

# A new clause starts at these words (and after , ; :) when a sentence names several parties.
BREAK_WORDS = frozenset(
    [
        "mais",
        "cependant",
        "pourtant",
        "toutefois",
        "neanmoins",
        "tandis",
        "contrairement",
        "but",
        "whereas",
        "while",
        "unlike",
        "however",
        "although",
        "though",
    ]
)
BREAK_PAIRS = frozenset({("par", "contre"), ("en", "revanche"), ("alors", "que"), ("sauf", "que")})
PUNCT_BREAKS = frozenset({",", ";", ":"})

Bounds = tuple[int, int]  # token offsets [start, end) in the doc


@dataclass(frozen=True)
class Parsed:
    """What targeting needs of a spaCy doc, read out once: a doc's spans and entities are rebuilt
    on every access, and a sentence's ``.ents`` walks all the doc's entities."""

    words: list[str]  # token texts
    sents: list[Bounds]
    ents: list[tuple[int, int, str | None]]  # start, end and the party the entity names (or None)


def brand_segments(parsed: Parsed, brand: str) -> list[Bounds]:
    """The sentences (or clauses) about ``brand``; empty when the text never names it.

    A sentence naming nobody belongs to the last party named before it ("Ma box Velora est en
    panne. C'est inadmissible !"), or to the first named after it when it comes first. A sentence
    naming the brand and someone else is cut into clauses, resolved the same way.
    """
    owners_in = [_owners(parsed, sent) for sent in parsed.sents]
    named: list[set[str]] = [set(owners) for owners in owners_in]
    if not any(brand in owners for owners in named):
        return []
    segments: list[Bounds] = []
    current = next((owners[0] for owners in owners_in if owners), None)
    for sent, owners, ordered in zip(parsed.sents, named, owners_in, strict=True):
        if brand in owners and len(owners) > 1:
            segments.extend(_clauses_about(parsed, sent, brand))
        elif (current if not owners else next(iter(owners))) == brand:
            segments.append(sent)
        if owners:
            current = ordered[-1]
    return segments


def _owners(parsed: Parsed, span: Bounds) -> list[str]:
    """Parties named by the entities lying wholly inside ``span``, in order."""
    start, end = span
    return [owner for s, e, owner in parsed.ents if s >= start and e <= end and owner is not None]


def _clauses_about(parsed: Parsed, sent: Bounds, brand: str) -> list[Bounds]:
    clauses = _split(parsed, sent)
    named: list[str | None] = []
    for clause in clauses:
        owners = _owners(parsed, clause)
        named.append(brand if brand in owners else owners[0] if owners else None)
    # A clause naming nobody speaks about the last party named before it ("Velora est nul, ils ne
    # répondent jamais"); leading ones about the first party named after them.
    resolved: list[str | None] = []
    last: str | None = next((o for o in named if o is not None), None)
    for owner in named:
        last = owner if owner is not None else last
        resolved.append(last)
    return [clause for clause, owner in zip(clauses, resolved, strict=True) if owner == brand]


def _split(parsed: Parsed, sent: Bounds) -> list[Bounds]:
    offset = sent[0]
    folded = [fold(w) for w in parsed.words[sent[0] : sent[1]]]
    starts = [0]
    for i in range(1, len(folded)):
        pair = (folded[i], folded[i + 1]) if i + 1 < len(folded) else None
        breaks = folded[i] in BREAK_WORDS or pair in BREAK_PAIRS or folded[i - 1] in PUNCT_BREAKS
        if breaks and i != starts[-1]:
            starts.append(i)
    bounds = [*starts, len(folded)]
    return [(offset + a, offset + b) for a, b in pairwise(bounds) if b > a]
