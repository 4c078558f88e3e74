"""Which parts of a text speak about a given brand: its sentences, or its clauses when a sentence
also names someone else ("le SAV de Velora est nul mais Orbitel est top").
"""

from __future__ import annotations

import re
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

# "plus fiable que", "better than": the party after the conjunction is the yardstick.
COMPARATIVES = frozenset(
    [
        "plus",
        "moins",
        "mieux",
        "pire",
        "pires",
        "meilleur",
        "meilleure",
        "meilleurs",
        "meilleures",
        "superieur",
        "superieure",
        "inferieur",
        "inferieure",
        "autant",
        "aussi",
        "more",
        "less",
        "better",
        "worse",
        "cheaper",
        "faster",
        "slower",
        "best",
        "worst",
    ]
)
COMPARE_TO = frozenset({"que", "qu'", "qu", "than"})
# Marker word -> the word that must come just before it (empty: the marker alone).
CONTRAST_OF: dict[str, frozenset[str]] = {
    "contrairement": frozenset(),
    "unlike": frozenset(),
    "difference": frozenset({"la"}),
    "oppose": frozenset({"par"}),  # "par opposition à"
    "opposed": frozenset({"as"}),
    "compare": frozenset(),
    "comparaison": frozenset({"en"}),
    "rapport": frozenset({"par"}),
}
LEAVE = frozenset(
    [
        "quitte",
        "quitter",
        "quittons",
        "quittez",
        "quittes",
        "lache",
        "lacher",
        "abandonne",
        "resilie",
        "left",
        "leave",
        "leaving",
        "ditched",
        "dropped",
        "switched",
        "moved",
    ]
)
Bounds = tuple[int, int]  # token offsets [start, end) in the doc


@dataclass(frozen=True)
class Parsed:
    """What targeting needs of a spaCy doc, read out once: a doc's spans and entities are rebuilt
    on every access, and a sentence's ``.ents`` walks all the doc's entities."""

    words: list[str]  # token texts
    sents: list[Bounds]
    ents: list[tuple[int, int, str | None]]  # start, end and the party the entity names (or None)


def brand_segments(parsed: Parsed, brand: str) -> list[Bounds]:
    """The sentences (or clauses) about ``brand``, reversed ones included; see ``brand_parts``."""
    return [bounds for bounds, _ in brand_parts(parsed, brand)]


def brand_parts(parsed: Parsed, brand: str) -> list[tuple[Bounds, int]]:
    """The sentences (or clauses) about ``brand``, each with +1, or -1 when what it says goes the
    other way for the brand ("Velora est plus fiable qu'Orbitel" is -1 for Orbitel); empty when
    the text never names the brand.

    A sentence naming nobody belongs to the last party named before it ("Ma box Velora est en
    panne. C'est inadmissible !"), or to the first named after it when it comes first; after a
    comparison it belongs to the winner. A sentence naming the brand and someone else is cut into
    clauses, resolved the same way.
    """
    sents = sentence_units(parsed)
    owners_in = [_owners(parsed, sent) for sent in sents]
    named: list[set[str]] = [set(owners) for owners in owners_in]
    if not any(brand in owners for owners in named):
        return []
    parts: list[tuple[Bounds, int]] = []
    current = next((owners[0] for owners in owners_in if owners), None)
    for sent, owners, ordered in zip(sents, named, owners_in, strict=True):
        foils = foils_in(parsed, sent) if len(owners) > 1 else {}
        if brand in foils:
            winner = foils[brand]
            parts.extend((clause, -1) for clause in _clauses_about(parsed, sent, winner, foils))
        elif brand in owners and len(owners) > 1:
            parts.extend((clause, 1) for clause in _clauses_about(parsed, sent, brand, foils))
        elif (current if not owners else next(iter(owners))) == brand:
            parts.append((sent, 1))
        if owners:
            winners = [o for o in ordered if o not in foils]
            current = winners[-1] if winners else ordered[-1]
    return parts


def sentence_units(parsed: Parsed) -> list[Bounds]:
    """The sentences, also cut after a line break or a run of emoji (posts use them as full stops)."""
    out: list[Bounds] = []
    for start, end in parsed.sents:
        first = start
        for i in range(start, end - 1):
            word = parsed.words[i]
            if ("\n" in word or _is_emoji(word)) and not _is_emoji(parsed.words[i + 1]) and i + 1 > first:
                out.append((first, i + 1))
                first = i + 1
        out.append((first, end))
    return out


def foils_in(parsed: Parsed, sent: Bounds) -> dict[str, str]:
    """Parties on the losing side of a comparison in ``sent``, each with the party it loses to:
    "A plus/mieux/pire … que B", "A better than B", "contrairement à / à la différence de / unlike
    B, A …", "j'ai quitté B pour A", "I left B for A", "passé de B à A"."""
    start, end = sent
    folded = [fold(w) for w in parsed.words[start:end]]
    spans = sorted((s, e, o) for s, e, o in parsed.ents if o is not None and s >= start and e <= end)
    out: dict[str, str] = {}
    for k, word in enumerate(folded):
        i = start + k
        before = [o for s, _, o in spans if s < i and o is not None]
        after = [o for s, _, o in spans if s > i and o is not None]
        winner: str | None
        if not after:
            continue
        if word in COMPARE_TO and any(w in COMPARATIVES for w in folded[:k]) and before:
            foil, winner = after[0], before[-1]
        elif word in CONTRAST_OF and _preceded(folded, k, CONTRAST_OF[word]):
            foil = after[0]
            winner = next((o for o in after[1:] if o != foil), None) or (before[-1] if before else None)
        elif word in LEAVE:
            foil = after[0]
            winner = next((o for o in after[1:] if o != foil), None)
        else:
            continue
        if winner is not None and winner != foil and foil not in out:
            out[foil] = winner
    return out


def _preceded(folded: list[str], k: int, heads: frozenset[str]) -> bool:
    """``heads`` is empty (the word alone marks the contrast) or holds the word just before."""
    return not heads or (k > 0 and folded[k - 1] in heads) or (k > 1 and folded[k - 2] in heads)


def _owners(parsed: Parsed, span: Bounds) -> list[str]:
    """Parties named by the entities lying wholly inside ``span``, in order."""
    start, end = span
    return [owner for s, e, owner in parsed.ents if s >= start and e <= end and owner is not None]


def _clauses_about(parsed: Parsed, sent: Bounds, brand: str, foils: dict[str, str]) -> list[Bounds]:
    clauses = _split(parsed, sent)
    named: list[str | None] = []
    for clause in clauses:
        # A foil is only the yardstick of a clause ("contrairement à Orbitel"): a clause naming
        # nothing else belongs to nobody, and passes on no owner to the clauses after it.
        everyone = _owners(parsed, clause)
        owners = [o for o in everyone if o not in foils or o == brand]
        named.append(brand if brand in owners else owners[0] if owners else _YARDSTICK if everyone else None)
    # A clause naming nobody speaks about the last party named before it ("Velora est nul, ils ne
    # répondent jamais"); leading ones about the first party named after them.
    resolved: list[str | None] = []
    last: str | None = next((o for o in named if o is not None), None)
    for owner in named:
        last = owner if owner is not None else last
        resolved.append(last)
    return [clause for clause, owner in zip(clauses, resolved, strict=True) if owner == brand]


_YARDSTICK = "\x00yardstick"  # the owner of a clause that only names a foil


def _is_emoji(word: str) -> bool:
    # Every emoji code point is above U+2600: plain words are turned away on their first character.
    return bool(word) and word[0] >= "\u2600" and all(_EMOJI.match(char) for char in word)


_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")


def _split(parsed: Parsed, sent: Bounds) -> list[Bounds]:
    offset = sent[0]
    folded = [fold(w) for w in parsed.words[sent[0] : sent[1]]]
    starts = [0]
    for i in range(1, len(folded)):
        pair = (folded[i], folded[i + 1]) if i + 1 < len(folded) else None
        previous = parsed.words[sent[0] + i - 1]
        breaks = (
            folded[i] in BREAK_WORDS
            or pair in BREAK_PAIRS
            or folded[i - 1] in PUNCT_BREAKS
            or "\n" in previous
            or (_is_emoji(previous) and not _is_emoji(folded[i]))
        )
        if breaks and i != starts[-1]:
            starts.append(i)
    bounds = [*starts, len(folded)]
    return [(offset + a, offset + b) for a, b in pairwise(bounds) if b > a]
