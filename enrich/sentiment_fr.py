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
  * "!" (up to 4) and repeated "?" push the sentence total further in its own direction.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import compress
from typing import NamedTuple

from core.text import fold
from enrich.lexicon import FrenchLexicon

MODEL_NAME = "veille-fr-lex/1.0"

B_INCR = 0.293
B_DECR = -0.293
C_INCR = 0.733
N_SCALAR = -0.74

NEGATORS = frozenset(
    {"pas", "jamais", "rien", "aucun", "aucune", "sans", "ni", "guere", "nullement", "aucunement"}
)
NE = frozenset({"ne", "n'"})
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


class _Word(NamedTuple):
    """What scoring needs of one word form, whatever its neighbours: computed once per form."""

    lower: str
    folded: str
    value: float  # the lexicon's valence (0.0: none), the word read as a common word
    name_value: float  # the same, the word read as a name inside a sentence ("Privas")
    negated: float | None  # the valence when negated, for words of negated_fr.tsv
    name_like: bool  # capitalised, not all caps
    caps: bool  # all caps, longer than one character
    stop: bool  # ends boosting and negation: . ! ? … , mais, or two sentences glued ("marrants.je")
    comma: bool
    candidate: bool  # may start a unit: a valence (either reading), a negated valence or an idiom
    contrast: bool  # may start a contrast ("mais", "par contre")
    concessive: bool  # may start a concession ("malgré", "bien que")


# Word forms kept by ``FrenchSentiment``: the forms of a stream repeat; ids and typos do not, so
# past this many the cache is emptied (each entry is a few hundred bytes).
WORD_CACHE_LIMIT = 50_000


class _Text:
    """One text's words and their ``_Word`` readings, for scoring any slice of it."""

    __slots__ = (
        "candidates",
        "caps",
        "comma",
        "folded",
        "lowered",
        "marks",
        "negated",
        "stop",
        "values",
        "words",
    )

    def __init__(self, words: Sequence[str], infos: list[_Word]) -> None:
        self.words = words
        n = len(infos)
        columns = list(zip(*infos, strict=True)) if infos else [()] * len(_Word._fields)
        (
            lowered,
            folded,
            values,
            name_values,
            negated,
            name_like,
            caps,
            stop,
            comma,
            candidate,
            contrast,
            concessive,
        ) = columns
        self.lowered: Sequence[str] = lowered
        self.folded: Sequence[str] = folded
        self.negated: Sequence[float | None] = negated
        self.caps: Sequence[bool] = caps
        self.stop: Sequence[bool] = stop
        self.comma: Sequence[bool] = comma
        # A capitalised word inside a sentence is a name: only the own lexicon's entry for its form.
        named = [i for i in compress(range(n), name_like) if i and words[i - 1] not in _NAME_OPENERS]
        self.values: Sequence[float] = values
        if named:
            mixed = list(values)
            for i in named:
                mixed[i] = name_values[i]
            self.values = mixed
        self.candidates = list(compress(range(n), candidate))
        self.marks = (list(compress(range(n), contrast)), list(compress(range(n), concessive)))


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
        self._word_cache: dict[str, _Word] = {}

    def polarity(self, words: Sequence[str]) -> float:
        return normalize(self.raw(words))

    def raw(self, words: Sequence[str]) -> float:
        """Valence sum of one sentence or clause given as its tokens (spaCy's French tokenisation)."""
        return self.scorer(words)(0, len(words))

    def scorer(self, words: Sequence[str]) -> Callable[[int, int], float]:
        """``raw`` of ``words[start:end]`` for any slice of one text: what does not depend on a
        word's neighbours (case, folding, lexicon look-ups) is done once per form, and each slice
        is scored once (sentences are asked for again by brand targeting)."""
        cache = self._word_cache
        infos = [cache.get(w) or self._word(w) for w in words]
        text = _Text(words, infos)
        scores: dict[tuple[int, int], float] = {}

        def score(start: int, end: int) -> float:
            found = scores.get((start, end))
            if found is None:
                found = scores[start, end] = self._raw(text, start, end)
            return found

        return score

    def _word(self, word: str) -> _Word:
        lower, folded = word.lower(), fold(word)
        # Glued sentences: the word that ends the first one.
        plain = self.lexicon.lookup(re.split(r"[.!?]", lower, maxsplit=1)[0] if _is_glued(lower) else lower)
        value, name_value = plain or 0.0, self.lexicon.valence.get(folded) or 0.0
        negated = self.lexicon.negated_valence(lower)
        info = _Word(
            lower=lower,
            folded=folded,
            value=value,
            name_value=name_value,
            negated=negated,
            name_like=word[:1].isupper() and not word.isupper(),
            caps=word.isupper() and len(word) > 1,
            stop=folded in STOPS or folded in CONTRAST or _is_glued(folded),
            comma=folded == ",",
            candidate=bool(value or name_value or negated is not None or folded in self._idiom_starts),
            contrast=folded in _CONTRAST_FIRST,
            concessive=folded in _CONCESSIVE_FIRST,
        )
        if len(self._word_cache) >= WORD_CACHE_LIMIT:
            self._word_cache.clear()  # rare: a long run that met a very large vocabulary
        self._word_cache[word] = info
        return info

    def _raw(self, text: _Text, start: int, end: int) -> float:
        units = self._units(text, start, end)
        if not units:
            return _punctuation(text.folded, start, end, 0.0)
        contrast = _last_contrast(text, start, end)
        conceded = _concessions(text, start, end)
        caps: bool | None = None  # computed when an all-caps word carries a valence
        total = 0.0
        for unit in units:
            first, value = unit[0], unit[2]
            if value and text.caps[first]:
                if caps is None:
                    caps = _caps_differ(text.words[start:end])
                if caps:
                    value += C_INCR if value > 0 else -C_INCR
            if value:
                value = self._boosted(text, first, unit[1], value, start, end)
            if unit[4] and self._is_negated(text, first, unit[1], start, end):
                value = unit[3] if unit[3] is not None else value * N_SCALAR
            if contrast is not None:
                value *= 0.5 if first < contrast else 1.5 if first > contrast else 1.0
            if first in conceded:
                value *= 0.5
            total += value
        return _punctuation(text.folded, start, end, total)

    def _units(self, text: _Text, start: int, end: int) -> list[_Unit]:
        """The words and idioms of ``[start, end)`` that carry a valence, as (start, end, valence,
        negated valence, negatable)."""
        folded, values, negated = text.folded, text.values, text.negated
        units: list[_Unit] = []
        candidates = text.candidates
        idiom_starts = self._idiom_starts
        after = start  # the end of the last idiom: its words are not read again
        for i in candidates[bisect_left(candidates, start) : bisect_left(candidates, end)]:
            if i < after:
                continue
            word = folded[i]
            idiom = self._idiom_at(folded, i, end) if word in idiom_starts else None
            if idiom is not None:
                length, value = idiom
                # An idiom that contains its own negation ("pas cher") is not negated again.
                if value:
                    units.append((i, i + length, value, None, word not in NEGATORS and word not in NE))
                after = i + length
                continue
            value, negated_value = values[i], negated[i]
            # Most words carry no valence: nothing else to check for them.
            if (value or negated_value is not None) and not (
                word in _STRUCTURAL or (word in DUAL_BOOSTERS and _next_has_valence(text, i, end))
            ):
                units.append((i, i + 1, value, negated_value, True))
        return units

    def _idiom_at(self, folded: Sequence[str], i: int, end: int) -> tuple[int, float] | None:
        lengths = self._idiom_lengths.get(folded[i])
        if lengths is None:
            return None
        for length in lengths:
            if length < 2 or i + length > end:
                continue
            value = self.lexicon.idioms.get(tuple(folded[i : i + length]))
            if value is not None:
                return length, value
        return None

    def _boosted(self, text: _Text, first: int, last: int, value: float, start: int, end: int) -> float:
        folded, stop = text.folded, text.stop
        for distance, factor in ((1, 1.0), (2, 0.95), (3, 0.9)):
            j = first - distance
            if j < start or stop[j]:
                break
            word = folded[j]
            scalar = BOOSTERS.get(word)
            if scalar is None and word in DUAL_BOOSTERS:
                scalar = B_INCR if word != "moyennement" else B_DECR
            if word == "plus" and _ne_before(folded, j, start):
                scalar = None  # "ne … plus" is a negation, handled below
            if scalar is not None:
                value += (scalar if value > 0 else -scalar) * factor
        after = folded[last : min(last + 2, end)]
        if (after[:1] and after[0] in POST_BOOSTERS) or after == ("de", "ouf"):
            value += B_INCR if value > 0 else -B_INCR
        return value

    def _is_negated(self, text: _Text, first: int, last: int, start: int, end: int) -> bool:
        folded, stop, comma = text.folded, text.stop, text.comma
        ne_seen = restricted = False
        for j in range(first - 1, max(start - 1, first - 1 - NEGATION_REACH), -1):
            if stop[j] or comma[j]:
                break
            word = folded[j]
            if word in NEGATORS:
                return True
            if word == "plus" and _ne_before(folded, j, start):
                return True
            if word in NE:
                ne_seen = True
            elif word in RESTRICTIVE and not ne_seen:
                restricted = True  # "je n'ai que des problèmes": "ne … que" before the word
        if ne_seen and restricted:
            return False
        if ne_seen:
            # "ne" before the word: negated unless it is the restrictive "ne … que".
            tail = folded[last : min(last + 4, end)]
            return not (any(w in RESTRICTIVE for w in tail) and not any(w in POST_NEGATORS for w in tail))
        if last - first == 1 and self._is_inflected_verb(text.lowered[first]):
            # Spoken French drops "ne": "j'aime pas", "ça marche plus" (but not "répond plus vite que").
            after = folded[last : min(last + 2, end)]
            comparative = "plus" in after and not RESTRICTIVE.isdisjoint(folded[last : min(last + 5, end)])
            return not comparative and any(w in POST_NEGATORS for w in after)
        return False

    def _is_inflected_verb(self, lower: str) -> bool:
        lemma = self.lexicon.lemma(lower)
        return lemma != lower and lemma.endswith(_VERB_ENDINGS)


# A word or idiom with a valence: (start, end, valence, valence when negated or None, negatable).
_Unit = tuple[int, int, float, float | None, bool]


def _ne_before(folded: Sequence[str], j: int, start: int) -> bool:
    return any(w in NE for w in folded[max(start, j - 3) : j])


def _punctuation(folded: Sequence[str], start: int, end: int, total: float) -> float:
    if not total:
        return total
    joined = "".join(folded[start:end])  # one count over the sentence, not one per word
    exclamations = min(joined.count("!"), 4)
    questions = joined.count("?")
    emphasis = exclamations * 0.292
    if questions > 1:
        emphasis += min(questions * 0.18, 0.96)
    return total + emphasis if total > 0 else total - emphasis


def _next_has_valence(text: _Text, i: int, end: int) -> bool:
    j = i + 1
    return j < end and text.folded[j] not in STOPS and bool(text.values[j])


def _caps_differ(words: Sequence[str]) -> bool:
    alpha = [w for w in words if w.isalpha()]
    upper = sum(1 for w in alpha if w.isupper() and len(w) > 1)
    return 0 < upper < len(alpha)


def _is_glued(word: str) -> bool:
    if "." not in word and "!" not in word and "?" not in word:
        return False
    return bool(_GLUED.fullmatch(word)) and word.rsplit(".", 1)[-1] not in _DOMAIN_ENDS


def _concessions(text: _Text, start: int, end: int) -> set[int]:
    """Indices of the words inside "malgré …" / "bien que …" / "même si …", up to the next comma
    or stop: what the author grants before saying what counts."""
    marks = text.marks[1]
    first = bisect_left(marks, start)
    if first == len(marks) or marks[first] >= end:
        return set()
    folded = text.folded
    out: set[int] = set()
    i = start
    while i < end:
        word = folded[i]
        pair = i + 1 < end and (word, folded[i + 1]) in CONCESSIVE_PAIRS
        if word in CONCESSIVE or pair:
            j = i + (2 if pair else 1)
            while j < end and folded[j] != "," and folded[j] not in STOPS and folded[j] not in CONTRAST:
                out.add(j)
                j += 1
            i = j
        else:
            i += 1
    return out


def _last_contrast(text: _Text, start: int, end: int) -> int | None:
    # "Mais oui" / "Mais non" open a sentence without contrasting anything: the first word is skipped.
    marks = text.marks[0]
    folded = text.folded
    found = None
    for i in marks[bisect_left(marks, start + 1) : bisect_left(marks, end)]:
        word = folded[i]
        if word in CONTRAST or (i + 1 < end and (word, folded[i + 1]) in CONTRAST_PAIRS):
            found = i
    return found
