"""French rule-based sentiment, VADER-style: lexicon valences on lemmas, then negation, boosters,
contrast, capitals and punctuation. Works on tokens (spaCy's), one sentence or clause at a time.

Rules, in order, for each word or idiom that has a valence:
  * ALL-CAPS word in a text that is not all caps: +0.733 in its direction;
  * up to 3 preceding boosters ("très", "trop", "vraiment"…) or dampeners ("peu", "plutôt"…) add or
    remove 0.293 (x1, x0.95, x0.9 by distance); "grave" / "de ouf" after the word boost it too;
  * negation ("pas", "jamais", "rien", "aucun", "sans", "ni", "ne … plus", a "ne"/"n'" before the
    verb, "pas" alone after a verb in speech: "j'aime pas") up to 5 words back ("pas du tout la
    meilleure") flips it (x -0.74), except for words of ``negated_fr.tsv`` which take their own
    value ("ne répond pas" is a complaint); "ne … que" is not a negation;
  * words before the last "mais" / "par contre" / "pourtant"… count half, words after it x1.5;
    words of a concession ("malgré …", "bien que …", "même si …", up to the next comma) count half;
  * a capitalised word inside a sentence is a name (Privas, Marie): only the own lexicon's entry
    for that very form counts ("Super", "Nul"), not a lemma or the seed;
  * two sentences glued by a full stop ("marrants.je") end negation and boosting there;
  * "!" (up to 4) and repeated "?" push the sentence total further in its own direction;
  * a fixing verb of ``resolvers_fr.tsv`` ("a réglé mon souci de débit", "panne réparée") turns the
    problem nouns of ``problems_fr.tsv`` in its reach (5 words after, 6 before, same clause) into the
    topic: they count 0 and the verb counts its fixing valence. Negated ("n'a toujours pas
    réglé") nothing is fixed.
Idioms, fixes and complaint words said to be absent ("zéro coupure") are *cues*: phrases that
state a verdict rather than name a topic ("petit retour positif", "problème résolu").
``scorer(words, cues_only=True)`` sums them alone, for the Analyzer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from core.text import fold
from enrich.lexicon import FrenchLexicon

MODEL_NAME = "veille-fr-lex/1.0"

B_INCR = 0.293
B_DECR = -0.293
C_INCR = 0.733
N_SCALAR = -0.74

# "zéro coupure", "zéro réponse": "zéro" before a word is the absence of it, like "aucun".
NEGATORS = frozenset(
    {"pas", "jamais", "rien", "aucun", "aucune", "sans", "ni", "guere", "nullement", "aucunement", "zero"}
)
NE = frozenset({"ne", "n'"})
ABSENCE = frozenset({"aucun", "aucune", "zero", "sans"})
POST_NEGATORS = frozenset({"pas", "plus", "jamais", "rien", "guere"})
RESTRICTIVE = frozenset({"que", "qu'"})
BOOSTERS = {
    **dict.fromkeys(
        [
            "tres",
            "trop",
            "vraiment",
            "vrmt",
            "tellement",
            "hyper",
            "ultra",
            "mega",
            "archi",
            "extremement",
            "totalement",
            "completement",
            "absolument",
            "carrement",
            "particulierement",
            "vachement",
            "beaucoup",
            "bcp",
            "enormement",
            "incroyablement",
            "terriblement",
            "franchement",
            "vraiment",
            "grandement",
            "profondement",
            "sacrement",
            "drolement",
            "plus",
        ],
        B_INCR,
    ),
    **dict.fromkeys(
        [
            "peu",
            "assez",
            "plutot",
            "legerement",
            "presque",
            "quasi",
            "quasiment",
            "relativement",
            "moins",
            "moyennement",
        ],
        B_DECR,
    ),
}
# Words that boost the next valenced word but carry their own valence when alone ("super lent" / "super !").
DUAL_BOOSTERS = frozenset({"super", "bien", "moyennement"})
POST_BOOSTERS = frozenset({"grave"})
CONTRAST = frozenset({"mais", "cependant", "pourtant", "toutefois", "neanmoins"})
CONTRAST_PAIRS = frozenset({("par", "contre"), ("en", "revanche"), ("sauf", "que")})
_CONTRAST_FIRST = CONTRAST | {first for first, _ in CONTRAST_PAIRS}
STOPS = frozenset({".", ";", ":", "!", "?", "...", "…"})
_STRUCTURAL = NEGATORS | NE | CONTRAST | frozenset(BOOSTERS) - DUAL_BOOSTERS | {"plus"}
_VERB_ENDINGS = ("er", "ir", "re", "oir")
# Words a fixing verb reaches: "le bug de l'appli a été corrigé", "a réglé mon souci de débit".
FIX_BEFORE, FIX_AFTER = 6, 5
NEGATION_REACH = 5  # words: "ce n'est pas du tout la meilleure série"
CONCESSIVE = frozenset({"malgre"})
CONCESSIVE_PAIRS = frozenset({("bien", "que"), ("bien", "qu'"), ("meme", "si"), ("en", "depit")})
_CONCESSIVE_FIRST = CONCESSIVE | {first for first, _ in CONCESSIVE_PAIRS}
_NAME_OPENERS = STOPS | {'"', "(", "-", "«", "'"}
# "marrants.je": two sentences glued by a missing space (a domain such as "velora.fr" is not).
_GLUED = re.compile(r"[^\W\d_]{2,}[.!?]+[^\W\d_]+")
_DOMAIN_ENDS = frozenset({"fr", "com", "net", "org", "io", "eu", "be", "ch", "ca", "de", "uk", "info", "co"})


def normalize(raw: float, alpha: float = 15.0) -> float:
    """VADER's squashing of a valence sum into -1..1."""
    score = raw / (raw * raw + alpha) ** 0.5
    return max(-1.0, min(1.0, score))


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    valence: float
    negated_valence: float | None
    negatable: bool = True
    cue: bool = False  # an idiom or a fix: a stated verdict


class _Tokens(NamedTuple):
    """One sentence or clause: its words, lower-cased, folded, and their lexicon valences."""

    words: Sequence[str]
    lowered: list[str]
    folded: list[str]
    values: list[float]  # 0.0 where the lexicon has nothing
    negated: list[float | None]  # the valence when negated, for words of negated_fr.tsv
    fixing: list[float | None]  # the fixing valence of the verbs of resolvers_fr.tsv


class FrenchSentiment:
    """Score French token sequences; ``raw`` gives the valence sum, ``polarity`` the -1..1 score."""

    model = MODEL_NAME

    def __init__(self, lexicon: FrenchLexicon) -> None:
        self.lexicon = lexicon
        # First word of an idiom -> the lengths of the idioms it starts, longest first.
        lengths: dict[str, set[int]] = {}
        for key in lexicon.idioms:
            lengths.setdefault(key[0], set()).add(len(key))
        self._idiom_lengths = {word: sorted(found, reverse=True) for word, found in lengths.items()}
        self._idiom_starts = frozenset(self._idiom_lengths)

    def polarity(self, words: Sequence[str]) -> float:
        return normalize(self.raw(words))

    def raw(self, words: Sequence[str]) -> float:
        """Valence sum of one sentence or clause given as its tokens (spaCy's French tokenisation)."""
        return self.scorer(words)(0, len(words))

    def scorer(self, words: Sequence[str], cues_only: bool = False) -> Callable[[int, int], float]:
        """``raw`` of ``words[start:end]`` for any slice of one text: what does not depend on a
        word's neighbours (case, folding, lexicon look-ups) is done once per text, not once per
        sentence and clause scored. ``cues_only``: the sum of the idioms and fixes alone."""
        lowered = [w.lower() for w in words]
        folded = [fold(w) for w in words]
        negated_valence = self.lexicon.negated_valence
        values = self._values(words, lowered, folded)
        negated = [negated_valence(w) for w in lowered]
        fixing = [self.lexicon.resolver_valence(w) for w in lowered]

        def score(start: int, end: int) -> float:
            tokens = _Tokens(
                words[start:end],
                lowered[start:end],
                folded[start:end],
                values[start:end],
                negated[start:end],
                fixing[start:end],
            )
            return self._raw(tokens, cues_only)

        return score

    def _values(self, words: Sequence[str], lowered: list[str], folded: list[str]) -> list[float]:
        lookup, own = self.lexicon.lookup, self.lexicon.valence
        values = []
        for i, (word, form) in enumerate(zip(words, lowered, strict=True)):
            # Glued sentences: the word that ends the first one.
            lower = re.split(r"[.!?]", form, maxsplit=1)[0] if _is_glued(form) else form
            if i and word[:1].isupper() and not word.isupper() and words[i - 1] not in _NAME_OPENERS:
                value = own.get(folded[i])  # a name inside a sentence: "Privas" is not "priver"
            else:
                value = lookup(lower)
            values.append(value or 0.0)
        return values

    def _raw(self, tokens: _Tokens, cues_only: bool = False) -> float:
        words, lowered, folded = tokens.words, tokens.lowered, tokens.folded
        units = self._units(tokens)
        if units and any(v is not None for v in tokens.fixing):
            units = self._fixed(units, tokens)
        if cues_only:
            units = [unit for unit in units if unit.cue]
        if not units:
            return self._punctuation(folded, 0.0)
        caps = _caps_differ(words)
        contrast = _last_contrast(folded)
        conceded = _concessions(folded)
        total = 0.0
        for unit in units:
            value = self._adjusted(unit, words, lowered, folded, caps)
            if contrast is not None:
                value *= 0.5 if unit.start < contrast else 1.5 if unit.start > contrast else 1.0
            if unit.start in conceded:
                value *= 0.5
            total += value
        return self._punctuation(folded, total)

    def _units(self, tokens: _Tokens) -> list[_Unit]:
        folded, values, negated = tokens.folded, tokens.values, tokens.negated
        units: list[_Unit] = []
        i, n = 0, len(folded)
        idiom_starts = self._idiom_starts
        while i < n:
            word = folded[i]
            idiom = self._idiom_at(folded, i) if word in idiom_starts else None
            if idiom is not None:
                length, value = idiom
                # An idiom that contains its own negation ("pas cher") is not negated again.
                negatable = word not in NEGATORS and word not in NE
                if value:
                    units.append(_Unit(i, i + length, value, None, negatable, cue=True))
                i += length
                continue
            value, negated_value = values[i], negated[i]
            # Most words carry no valence: nothing else to check for them.
            if (value or negated_value is not None) and not (
                word in _STRUCTURAL or (word in DUAL_BOOSTERS and _next_has_valence(tokens, i))
            ):
                units.append(_Unit(i, i + 1, value, negated_value, cue=value < 0 and _absent(folded, i)))
            i += 1
        return units

    def _fixed(self, units: list[_Unit], tokens: _Tokens) -> list[_Unit]:
        """Units with each fix applied: a fixing verb with complaint words in its reach replaces
        them by its fixing valence ("a réglé mon souci de débit" is good news)."""
        folded = tokens.folded
        for i, fixing in enumerate(tokens.fixing):
            if fixing is None:
                continue
            low, high = _clause_reach(folded, i, FIX_BEFORE, FIX_AFTER)
            problems = [
                u
                for u in units
                if low <= u.start < high and u.start != i and u.valence < 0 and self._names_problem(u, folded)
            ]
            if not problems:
                continue
            own = next((u for u in units if u.start == i), None)
            verb = _Unit(i, i + 1, fixing, own.negated_valence if own else None, cue=True)
            kept = [u for u in units if u is not own and u not in problems]
            if self._is_negated(verb, tokens.lowered, folded):
                # "n'a jamais réparé la panne": the negation is the verb's; the problem stands.
                kept += [replace(u, negatable=False) for u in problems]
            units = sorted([*kept, verb], key=lambda u: u.start)
        return units

    def _names_problem(self, unit: _Unit, folded: list[str]) -> bool:
        return any(self.lexicon.is_problem(folded[j]) for j in range(unit.start, unit.end))

    def _idiom_at(self, folded: list[str], i: int) -> tuple[int, float] | None:
        lengths = self._idiom_lengths.get(folded[i])
        if lengths is None:
            return None
        for length in lengths:
            if length < 2 or i + length > len(folded):
                continue
            value = self.lexicon.idioms.get(tuple(folded[i : i + length]))
            if value is not None:
                return length, value
        return None

    def _adjusted(
        self, unit: _Unit, words: Sequence[str], lowered: list[str], folded: list[str], caps: bool
    ) -> float:
        value = unit.valence
        if value and caps and words[unit.start].isupper() and len(words[unit.start]) > 1:
            value += C_INCR if value > 0 else -C_INCR
        if value:
            value = self._boosted(unit, value, lowered, folded)
        if unit.negatable and self._is_negated(unit, lowered, folded):
            value = unit.negated_valence if unit.negated_valence is not None else value * N_SCALAR
        return value

    def _boosted(self, unit: _Unit, value: float, lowered: list[str], folded: list[str]) -> float:
        for distance, factor in ((1, 1.0), (2, 0.95), (3, 0.9)):
            j = unit.start - distance
            if j < 0 or folded[j] in STOPS or folded[j] in CONTRAST or _is_glued(folded[j]):
                break
            word = folded[j]
            scalar = BOOSTERS.get(word)
            if scalar is None and word in DUAL_BOOSTERS:
                scalar = B_INCR if word != "moyennement" else B_DECR
            if word == "plus" and self._ne_before(folded, j):
                scalar = None  # "ne … plus" is a negation, handled below
            if scalar is not None:
                value += (scalar if value > 0 else -scalar) * factor
        after = folded[unit.end : unit.end + 2]
        if (after[:1] and after[0] in POST_BOOSTERS) or after == ["de", "ouf"]:
            value += B_INCR if value > 0 else -B_INCR
        return value

    def _is_negated(self, unit: _Unit, lowered: list[str], folded: list[str]) -> bool:
        ne_seen = restricted = False
        for j in range(unit.start - 1, max(-1, unit.start - 1 - NEGATION_REACH), -1):
            word = folded[j]
            if word in STOPS or word in CONTRAST or word == "," or _is_glued(word):
                break
            if word in NEGATORS:
                return True
            if word == "plus" and self._ne_before(folded, j):
                return True
            if word in NE:
                ne_seen = True
            elif word in RESTRICTIVE and not ne_seen:
                restricted = True  # "je n'ai que des problèmes": "ne … que" before the word
        if ne_seen and restricted:
            return False
        if ne_seen:
            # "ne" before the word: negated unless it is the restrictive "ne … que".
            tail = folded[unit.end : unit.end + 4]
            return not (any(w in RESTRICTIVE for w in tail) and not any(w in POST_NEGATORS for w in tail))
        if unit.end - unit.start == 1 and self._is_inflected_verb(lowered[unit.start]):
            # Spoken French drops "ne": "j'aime pas", "ça marche plus" (but not "répond plus vite que").
            after = folded[unit.end : unit.end + 2]
            comparative = "plus" in after and not RESTRICTIVE.isdisjoint(folded[unit.end : unit.end + 5])
            return not comparative and any(w in POST_NEGATORS for w in after)
        return False

    def _ne_before(self, folded: list[str], j: int) -> bool:
        return any(w in NE for w in folded[max(0, j - 3) : j])

    def _is_inflected_verb(self, lower: str) -> bool:
        lemma = self.lexicon.lemma(lower)
        return lemma != lower and lemma.endswith(_VERB_ENDINGS)

    @staticmethod
    def _punctuation(folded: list[str], total: float) -> float:
        if not total:
            return total
        joined = "".join(folded)  # one count over the sentence, not one per word
        exclamations = min(joined.count("!"), 4)
        questions = joined.count("?")
        emphasis = exclamations * 0.292
        if questions > 1:
            emphasis += min(questions * 0.18, 0.96)
        return total + emphasis if total > 0 else total - emphasis


def _absent(folded: list[str], i: int) -> bool:
    """A complaint word said to be absent ("zéro coupure", "aucune panne", "sans coupure", "jamais
    de bug"): a stated verdict, unlike the litotes "pas mauvais"."""
    before = folded[max(0, i - 2) : i]
    if not ABSENCE.isdisjoint(before):
        return True
    # "pas de panne", "jamais de bug"; not "plus de" alone: "le plus de violences" is more of them.
    return len(before) == 2 and before[1] in ("de", "d'") and before[0] in ("pas", "jamais")


def _clause_reach(folded: list[str], i: int, before: int, after: int) -> tuple[int, int]:
    """Word offsets [low, high) around ``i`` within ``before``/``after`` words, not past a comma,
    a stop or a contrast."""
    low = i
    while low > 0 and i - low < before and not _ends_clause(folded[low - 1]):
        low -= 1
    high = i + 1
    while high < len(folded) and high - i <= after and not _ends_clause(folded[high]):
        high += 1
    return low, high


def _ends_clause(word: str) -> bool:
    return word == "," or word in STOPS or word in CONTRAST


def _next_has_valence(tokens: _Tokens, i: int) -> bool:
    j = i + 1
    return j < len(tokens.folded) and tokens.folded[j] not in STOPS and bool(tokens.values[j])


def _caps_differ(words: Sequence[str]) -> bool:
    alpha = [w for w in words if w.isalpha()]
    upper = sum(1 for w in alpha if w.isupper() and len(w) > 1)
    return 0 < upper < len(alpha)


def _is_glued(word: str) -> bool:
    if "." not in word and "!" not in word and "?" not in word:
        return False
    return bool(_GLUED.fullmatch(word)) and word.rsplit(".", 1)[-1] not in _DOMAIN_ENDS


def _concessions(folded: list[str]) -> set[int]:
    """Indices of the words inside "malgré …" / "bien que …" / "même si …", up to the next comma
    or stop: what the author grants before saying what counts."""
    if _CONCESSIVE_FIRST.isdisjoint(folded):
        return set()
    out: set[int] = set()
    i, n = 0, len(folded)
    while i < n:
        word = folded[i]
        pair = i + 1 < n and (word, folded[i + 1]) in CONCESSIVE_PAIRS
        if word in CONCESSIVE or pair:
            j = i + (2 if pair else 1)
            while j < n and folded[j] != "," and folded[j] not in STOPS and folded[j] not in CONTRAST:
                out.add(j)
                j += 1
            i = j
        else:
            i += 1
    return out


def _last_contrast(folded: list[str]) -> int | None:
    if _CONTRAST_FIRST.isdisjoint(folded[1:]):
        return None  # most sentences: no word that could start a contrast
    found = None
    for i, word in enumerate(folded):
        if i == 0:
            continue  # "Mais oui" / "Mais non" open a sentence without contrasting anything
        if word in CONTRAST or (i + 1 < len(folded) and (word, folded[i + 1]) in CONTRAST_PAIRS):
            found = i
    return found
