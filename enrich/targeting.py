"""Which parts of a text speak about a given brand: its sentences, or its clauses when a sentence
also names someone else ("le SAV de Velora est nul mais Orbitel est top").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

from core.text import fold
from enrich.comparisons import Comparison, Verdict, comparisons, says_both, verdicts

# A new clause starts at these words (and after , ; :) when a sentence names several parties.
BREAK_WORDS = frozenset(
    "mais cependant pourtant toutefois neanmoins tandis contrairement but whereas while unlike however "
    "although though".split()
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

    @cached_property
    def units(self) -> list[Bounds]:
        """``sentence_units``, computed once (a frozen dataclass still takes a cached property)."""
        return _sentence_units(self)

    @cached_property
    def unit_owners(self) -> list[list[str]]:
        """The parties each of ``units`` names, in order (asked for once per party scored)."""
        return [_owners(self, unit) for unit in self.units]

    @cached_property
    def verdicts(self) -> list[Verdict]:
        """``comparisons.verdicts`` of the text: the same for every party scored."""
        return verdicts(self.words, [(s, e, o) for s, e, o in self.ents if o is not None])

    @cached_property
    def compared(self) -> dict[Bounds, list[Comparison]]:
        """The comparisons of each unit, filled in by ``_comparisons`` (one look per unit per text)."""
        return {}


@dataclass(frozen=True)
class Target:
    """What a text says about one party: its parts, each +1 or -1 when what it says goes the other
    way for the party ("Velora est plus fiable qu'Orbitel" is -1 for Orbitel); ``lean``, the side
    comparisons put it on when the words themselves carry no sentiment ("Unlike Orbitel, Velora
    answers the phone"); ``verdict``, the side a switch or a win puts it on whatever the words
    ("J'ai quitté Orbitel pour Velora"); ``units``, the sentence units its parts lie in."""

    parts: list[tuple[Bounds, int]] = field(default_factory=list)
    lean: int = 0
    verdict: int = 0
    units: frozenset[int] = frozenset()


def brand_segments(parsed: Parsed, brand: str) -> list[Bounds]:
    """The sentences (or clauses) about ``brand``, reversed ones included; see ``brand_parts``."""
    return [bounds for bounds, _ in brand_parts(parsed, brand)]


def brand_parts(parsed: Parsed, brand: str) -> list[tuple[Bounds, int]]:
    """The parts of ``brand_target``: empty when the text never names the brand."""
    return brand_target(parsed, brand).parts


def brand_target(parsed: Parsed, brand: str, units: list[Bounds] | None = None) -> Target:
    """The sentences (or clauses) about ``brand`` and the side comparisons put it on.

    A sentence naming nobody belongs to the last party named before it ("Ma box Velora est en
    panne. C'est inadmissible !"), or to the first named after it when it comes first; after a
    comparison it belongs to the comparison's subject. A sentence naming the brand and someone
    else is cut into clauses, resolved the same way.
    """
    units = sentence_units(parsed) if units is None else units
    owners_in = parsed.unit_owners if units is parsed.units else [_owners(parsed, unit) for unit in units]
    if not any(brand in owners for owners in owners_in):
        return Target()
    parts: list[tuple[Bounds, int]] = []
    where: set[int] = set()
    lean = verdict = 0
    compared: set[str] = set()
    current = next((owners[0] for owners in owners_in if owners), None)
    for index, (unit, ordered) in enumerate(zip(units, owners_in, strict=True)):
        named = set(ordered)
        comps = _comparisons(parsed, unit) if len(named) > 1 else []
        if comps or (brand in named and len(named) > 1):
            found = _clause_parts(parsed, unit, brand, comps)
        elif (current if not named else ordered[0]) == brand:
            found = [(unit, 1)]
        else:
            found = []
        parts.extend(found)
        if found:
            where.add(index)
        for comp in comps:
            compared.update((comp.subject, comp.other))
            # "moins X que" with X carrying no sentiment, "aussi … que", "pas meilleur que": no side.
            said = 0 if comp.same or comp.flip or comp.negated else 1
            if brand == comp.subject:
                lean, verdict = lean + said, verdict or comp.verdict
            elif brand == comp.other:
                lean, verdict = lean - said, verdict or -comp.verdict
        if comps:
            current = comps[-1].subject
        elif ordered:
            current = ordered[-1]
    if not verdict and brand not in compared and len({o for owners in owners_in for o in owners}) > 1:
        verdict = next((v.sign for v in parsed.verdicts if v.party == brand), 0)
    return Target(parts, (lean > 0) - (lean < 0), verdict, frozenset(where))


def sentence_units(parsed: Parsed) -> list[Bounds]:
    """The sentences, also cut after a line break or a run of emoji (posts use them as full stops)."""
    return parsed.units


def _sentence_units(parsed: Parsed) -> list[Bounds]:
    out: list[Bounds] = []
    for start, end in parsed.sents:
        first = start
        for i in range(start, end - 1):
            word = parsed.words[i]
            # Cheap tests first: nearly every word is neither a line break nor an emoji.
            if (
                ("\n" in word or (word >= "\u2600" and _is_emoji(word)))
                and not _is_emoji(parsed.words[i + 1])
                and i + 1 > first
            ):
                out.append((first, i + 1))
                first = i + 1
        out.append((first, end))
    return out


def _comparisons(parsed: Parsed, unit: Bounds) -> list[Comparison]:
    found = parsed.compared.get(unit)
    if found is None:
        start, end = unit
        spans = sorted((s, e, o) for s, e, o in parsed.ents if o is not None and s >= start and e <= end)
        found = parsed.compared[unit] = comparisons(parsed.words, spans, start, end)
    return found


def _owners(parsed: Parsed, span: Bounds) -> list[str]:
    """Parties named by the entities lying wholly inside ``span``, in order."""
    start, end = span
    return [owner for s, e, owner in parsed.ents if s >= start and e <= end and owner is not None]


def _clause_parts(
    parsed: Parsed, unit: Bounds, brand: str, comps: list[Comparison]
) -> list[tuple[Bounds, int]]:
    """The clauses of ``unit`` that speak about ``brand``, each with its sign."""
    clauses = _split(parsed, unit)
    subjects = {c.subject for c in comps}
    yardsticks = {c.other for c in comps} - subjects
    owned: list[list[str] | None] = []
    for start, end in clauses:
        # The clause holding a comparison's cue speaks about its subject, even when the subject
        # was named in an earlier clause ("Je suis chez Velora depuis un an, bien mieux que chez SFR").
        at_cue = [c.subject for c in comps if start <= c.cue < end and c.scope == "clause"]
        named = _owners(parsed, (start, end))
        # A yardstick is not what a clause speaks about ("contrairement à Orbitel"): a clause
        # naming nobody else belongs to nobody, and passes on no owner to the clauses after it.
        own = at_cue[:1] or [o for o in dict.fromkeys(named) if o not in yardsticks]
        if not named and says_both([fold(w) for w in parsed.words[start:end]]):
            own = list(dict.fromkeys(_owners(parsed, unit)))  # "les deux", "both keep dropping"
        owned.append(own if own or named else None)
    # A clause naming nobody speaks about the party of the clause before it ("Velora est nul, ils
    # ne répondent jamais"); leading ones about the first party named after them.
    last = next((o for o in owned if o is not None), [])
    out: list[tuple[Bounds, int]] = []
    for clause, said in zip(clauses, owned, strict=True):
        last = said if said is not None else last
        out.extend(_signed(brand, clause, last, comps))
    return out


def _signed(
    brand: str, clause: Bounds, owners: list[str], comps: list[Comparison]
) -> list[tuple[Bounds, int]]:
    """What ``clause`` says about ``brand``: nothing, the clause as said or reversed, or for
    "A est moins réactif que B" the words between "moins" and "que" reversed for A and as said
    for B (the lexicon scores "réactif"; "moins cher" is left out: it is an idiom of its own)."""
    start, end = clause
    flipped = next((c for c in comps if c.pivot is not None and start <= c.cue < end), None)
    if brand in owners:
        if flipped is None or flipped.pivot is None or flipped.subject != brand:
            return [(clause, 1)]
        low, high = flipped.pivot
        pieces = [((start, low), 1), ((low, high), -1), ((high, end), 1)]
        return [(bounds, sign) for bounds, sign in pieces if bounds[1] > bounds[0]]
    for comp in comps:
        if comp.other != brand or comp.subject not in owners or comp.negated:
            continue
        if comp is flipped and comp.pivot is not None:
            return [(comp.pivot, 1)] if comp.pivot[1] > comp.pivot[0] else []
        if start <= comp.cue < end or (comp.scope == "sentence" and comp.cue < start):
            return [(clause, 1 if comp.same else -1)]
    return []


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


# The score a comparison or a contrast alone gives (a clear but mild verdict), and the words that
# say a party fares the same as the one before ("Velora a coupé hier, Orbitel aussi").
PRIOR = 0.3
SAME_WAY = frozenset("aussi egalement pareil idem too also either same".split())


def target_scores(
    parsed: Parsed,
    brands: list[str],
    raw: Callable[[int, int], float],
    squash: Callable[[float], float],
    band: float,
) -> dict[str, float | None]:
    """Each brand's score from the parts about it (``raw`` scores a token span, ``squash`` maps a
    sum into -1..1); None when the text never names the brand.

    When the words about a brand carry no sentiment, what the text says of the others decides:
    a comparison's side ("Unlike Orbitel, Velora actually answers the phone"), else the opposite
    of the parties next to it that have a clear sentiment ("Velora a perdu ma commande, Orbitel
    me l'a livrée le lendemain"), or the same when it says so ("…, Orbitel aussi").
    """
    units = sentence_units(parsed)
    targets: dict[str, Target] = {}
    first: dict[str, float | None] = {}

    def value_of(party: str) -> float | None:
        # Computed on demand: the other parties only matter for a brand with no sentiment of its own.
        if party not in first:
            target = targets[party] = brand_target(parsed, party, units)
            value = None
            if target.parts:
                value = squash(sum(sign * raw(*bounds) for bounds, sign in target.parts))
            if value is not None and target.verdict:
                value = target.verdict * max(abs(value), PRIOR)
            elif value is not None and abs(value) < band and target.lean:
                value = target.lean * PRIOR
            first[party] = value
        return first[party]

    out: dict[str, float | None] = {}
    for brand in brands:
        value = value_of(brand)
        if value is not None and abs(value) < band:
            mine = targets[brand]
            near = []
            for other in dict.fromkeys(o for _, _, o in parsed.ents if o is not None and o != brand):
                other_value = value_of(other)
                if other_value is None or abs(other_value) < band:
                    continue
                if _near(targets[other].units, mine.units):
                    near.append(other_value)
            if near and (all(v > 0 for v in near) or all(v < 0 for v in near)):
                side = 1 if near[0] > 0 else -1
                said = [fold(parsed.words[i]) for (a, b), _ in mine.parts for i in range(a, b)]
                if not SAME_WAY.isdisjoint(said):
                    value = PRIOR * side
                elif not says_both(said):  # "both keep dropping": not one against the other
                    value = -PRIOR * side
        out[brand] = value
    return out


def _near(units: frozenset[int], others: frozenset[int]) -> bool:
    """Parts in the same sentence unit or in adjacent ones."""
    return any(abs(a - b) <= 1 for a in units for b in others)
