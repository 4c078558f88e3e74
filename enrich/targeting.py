"""Which parts of a text speak about a given brand: its sentences, or its clauses when a sentence
also names someone else ("le SAV de Velora est nul mais Orbitel est top").
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from spacy.tokens import Doc, Span

from enrich.text import fold

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

OwnerOf = Callable[[Span], str | None]


def brand_segments(doc: Doc, brand: str, owner_of: OwnerOf) -> list[Span]:
    """The sentences (or clauses) about ``brand``; empty when the text never names it.

    A sentence naming nobody belongs to the last party named before it ("Ma box Velora est en
    panne. C'est inadmissible !"), or to the first named after it when it comes first. A sentence
    naming the brand and someone else is cut into clauses, resolved the same way.
    """
    sents = list(doc.sents)
    named: list[set[str]] = [{o for o in (owner_of(e) for e in sent.ents) if o is not None} for sent in sents]
    if not any(brand in owners for owners in named):
        return []
    segments: list[Span] = []
    current = next(
        (_first(sent, owner_of) for sent, owners in zip(sents, named, strict=True) if owners), None
    )
    for sent, owners in zip(sents, named, strict=True):
        if brand in owners and len(owners) > 1:
            segments.extend(_clauses_about(sent, brand, owner_of))
        elif (current if not owners else next(iter(owners))) == brand:
            segments.append(sent)
        if owners:
            current = _last(sent, owner_of)
    return segments


def _first(sent: Span, owner_of: OwnerOf) -> str | None:
    return next((o for o in (owner_of(e) for e in sent.ents) if o is not None), None)


def _last(sent: Span, owner_of: OwnerOf) -> str | None:
    return next((o for o in (owner_of(e) for e in reversed(sent.ents)) if o is not None), None)


def _clauses_about(sent: Span, brand: str, owner_of: OwnerOf) -> list[Span]:
    clauses = _split(sent)
    named: list[str | None] = []
    for clause in clauses:
        owners = [o for o in (owner_of(ent) for ent in clause.ents) if o is not None]
        named.append(brand if brand in owners else owners[0] if owners else None)
    # A clause naming nobody speaks about the last party named before it ("Velora est nul, ils ne
    # répondent jamais"); leading ones about the first party named after them.
    resolved: list[str | None] = []
    last: str | None = next((o for o in named if o is not None), None)
    for owner in named:
        last = owner if owner is not None else last
        resolved.append(last)
    return [clause for clause, owner in zip(clauses, resolved, strict=True) if owner == brand]


def _split(sent: Span) -> list[Span]:
    doc = sent.doc
    folded = [fold(t.text) for t in sent]
    starts = [0]
    for i in range(1, len(folded)):
        pair = (folded[i], folded[i + 1]) if i + 1 < len(folded) else None
        breaks = folded[i] in BREAK_WORDS or pair in BREAK_PAIRS or folded[i - 1] in PUNCT_BREAKS
        if breaks and i != starts[-1]:
            starts.append(i)
    bounds = [*starts, len(folded)]
    return [doc[sent.start + a : sent.start + b] for a, b in pairwise(bounds) if b > a]
