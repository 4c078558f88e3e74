"""Comparisons, contrasts and switches between two parties in one sentence, found from cue words:
"A plus/moins/mieux/pire … que B", "A better than B", "contrairement à / à la différence de /
unlike / compared to B, A …", "j'ai quitté B pour A", "I switched from B to A", "A beats B",
"B ne vaut pas A", and a party named right after "done with" / "passe chez" / "moving to".

Each ``Comparison`` says who the clause speaks about (``subject``), who it is measured against
(``other``: what the clause says goes the other way for it), whether the wording turns the
clause's own polarity around for the subject ("moins fiable que"), and whether the cue is itself
a verdict whatever the words around it ("j'ai quitté B pour A": A preferred).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from core.text import fold

# "plus fiable que", "better than": the party after the conjunction is the yardstick.
COMPARATIVES = frozenset(
    "plus moins mieux pire pires meilleur meilleure meilleurs meilleures superieur superieure "
    "inferieur inferieure more less fewer better worse cheaper faster slower best worst autre".split()
)
LESS = frozenset({"moins", "less", "fewer"})
EQUAL = frozenset({"aussi", "autant"})  # "aussi lent que SFR": the yardstick is the same
COMPARE_TO = frozenset({"que", "qu'", "qu", "than"})
# Marker word -> words of which one must come just before it (empty: the marker alone).
CONTRAST_OF: dict[str, frozenset[str]] = {
    "contrairement": frozenset(),
    "unlike": frozenset(),
    "difference": frozenset({"la"}),
    "oppose": frozenset({"par"}),  # "par opposition à"
    "opposed": frozenset({"as"}),
    "compare": frozenset(),
    "comparee": frozenset(),
    "compared": frozenset(),
    "comparaison": frozenset({"en"}),
    "rapport": frozenset({"par"}),
    "like": frozenset({"nothing"}),  # "nothing like AT&T"
    "voir": frozenset({"rien"}),  # "rien à voir avec Orange"
    "loin": frozenset({"bien", "tres"}),  # "bien loin de l'agence SFR"
}
# "comparé à / compared to X" contrasts; "je compare X et Y" (weighing two offers) does not.
COMPARE_VERB = frozenset({"compare", "comparee", "compared"})
COMPARE_WITH = frozenset({"a", "au", "aux", "to", "with", "avec"})
# Leaving a party: "quitté Orbitel", "left Orbitel", "switched from Velora", "gave up on Lantier".
LEAVE = frozenset(
    "quitte quitter quittons quittez quittes abandonne abandonner resilie resilier left leave leaving "
    "ditched dropped switched moved quit cancelled canceled dumped".split()
)
QUIT_PAIRS = frozenset({("done", "with"), ("up", "on"), ("fini", "avec"), ("marre", "de"), ("sick", "of")})
# Going to a party: "je passe chez Velora", "je pars quand même chez Velora", "moving to Velora".
JOIN_HEADS = frozenset(
    "passe passer passee passes pars part partir partons finir migre moving moved move switching "
    "switched switch went going".split()
)
JOIN_BEFORE = frozenset({"chez", "to", "with", "vers"})  # the word just before the party joined
REGRET = frozenset({"regrette", "regretter", "regret", "regretting", "regrets"})
# "les deux", "both": a clause naming nobody speaks about every party of its sentence.
BOTH_PAIRS = frozenset({("les", "deux"), ("tous", "deux"), ("toutes", "deux"), ("meme", "combat")})


def says_both(folded: list[str]) -> bool:
    """ "both", "les deux", "même combat": what follows is said of every party named."""
    return "both" in folded or not BOTH_PAIRS.isdisjoint(pairwise(folded))


# "Lantier beats Duval", "Velora gagne": the subject is preferred whatever the other words say.
WINS = frozenset("beats beat outperforms surpasses bat battent surpasse ecrase gagne gagnent".split())
# "A n'a rien à envier à B", "A est loin derrière": the subject alone is judged.
ENVY = frozenset({"envier"})
BEHIND = frozenset({"derriere", "behind"})
VALUE = frozenset({"vaut", "valent", "vaux"})  # "B ne vaut pas A": A preferred
NEGATION = frozenset({"ne", "n'", "pas", "not", "n't", "no", "never", "jamais"})
NOT_COMPARATIVE = frozenset({"other", "rather", "never", "ever", "over", "under", "order", "number"})
NEAR = 3  # a left or joined party comes within this many words of the cue


@dataclass(frozen=True)
class Comparison:
    subject: str  # what the clause speaks about, as said
    other: str  # the yardstick: the clause goes the other way for it (or the same way if ``same``)
    cue: int  # token index of the cue word
    pivot: tuple[int, int] | None = None  # "moins … que": the words compared, reversed for the subject
    flip: bool = False  # "moins … que": the clause's polarity is reversed for the subject too
    verdict: int = 0  # +1: the cue alone says the subject is preferred (a switch, "beats")
    same: bool = False  # "aussi … que": the yardstick gets the clause as said
    negated: bool = False  # "pas meilleur que", "no better than": nothing follows for the yardstick
    scope: str = "clause"  # "clause": only the cue's clause; "sentence": the subject's clauses after it


@dataclass(frozen=True)
class Verdict:
    """A party given a side by one cue with nobody to compare to in the sentence ("done with X")."""

    party: str
    sign: int


def comparisons(
    words: list[str], spans: list[tuple[int, int, str]], start: int, end: int
) -> list[Comparison]:
    """Comparisons in the sentence ``words[start:end]``; ``spans`` are its parties (start, end, owner)."""
    folded = [fold(w) for w in words[start:end]]
    out: list[Comparison] = []
    for k, word in enumerate(folded):
        i = start + k
        before = [o for s, _, o in spans if s < i]
        after = [(s, o) for s, _, o in spans if s > i]
        if not after and word not in WINS and word not in BEHIND:
            continue
        subject_end = max((e for s, e, _ in spans if e <= i), default=start)
        found = _compare(folded, k, i, word, before, after, subject_end)
        if found is not None and found.subject != found.other:
            out.append(found)
    return out


def _compare(
    folded: list[str],
    k: int,
    i: int,
    word: str,
    before: list[str],
    after: list[tuple[int, str]],
    subject_end: int,
) -> Comparison | None:
    if word in COMPARE_TO and before:
        used = [j for j, w in enumerate(folded[:k]) if _comparative(w, j == k - 1 or j == k - 2)]
        if not used:
            return None
        pivot = used[-1]
        last = folded[pivot]
        negated = any(w in NEGATION for w in folded[max(0, pivot - 2) : pivot])
        if last in EQUAL and negated:  # "pas aussi fiable que B": B is better
            return Comparison(before[-1], after[0][1], i)
        if negated:
            return Comparison(before[-1], after[0][1], i, negated=True)
        flip = last in LESS
        # "moins fiable que": "fiable" reversed; "chauffent beaucoup moins que": "chauffent".
        stretch = (i - k + pivot + 1, i) if pivot + 1 < k else (subject_end, i - k + pivot)
        return Comparison(
            before[-1], after[0][1], i, pivot=stretch if flip else None, flip=flip, same=last in EQUAL
        )
    if (
        word in CONTRAST_OF
        and _preceded(folded, k, CONTRAST_OF[word])
        and (word not in COMPARE_VERB or (k + 1 < len(folded) and folded[k + 1] in COMPARE_WITH))
    ):
        other = after[0][1]
        subject = next((o for _, o in after[1:] if o != other), None) or (before[-1] if before else None)
        return None if subject is None else Comparison(subject, other, i, scope="sentence")
    if word in LEAVE or (k > 0 and (folded[k - 1], word) in QUIT_PAIRS):
        left_at, other = after[0]
        winner = next((o for _, o in after[1:] if o != other), None)
        if left_at - i > NEAR or winner is None:
            return None
        regret = any(
            w in REGRET and not any(n in NEGATION for n in folded[max(0, j - 2) : j])
            for j, w in enumerate(folded[:k])
        )
        return Comparison(winner, other, i, verdict=-1 if regret else 1, scope="sentence")
    if word in WINS and before:
        return Comparison(before[-1], after[0][1] if after else "", i, verdict=1)
    if word in ENVY and before and "rien" in folded[max(0, k - 3) : k]:
        return Comparison(before[-1], "", i, verdict=1)
    if word in BEHIND and before:
        return Comparison(before[-1], "", i, verdict=-1)
    if word in VALUE and before and any(w in NEGATION for w in folded[max(0, k - 2) : k + 2]):
        return Comparison(after[0][1], before[-1], i, verdict=1)
    return None


def verdicts(words: list[str], spans: list[tuple[int, int, str]]) -> list[Verdict]:
    """Parties left or joined: "done with X", "j'ai résilié chez X", "je passe chez X", "moving to
    X" (the party within a few words of the cue), and "X, c'est fini"."""
    folded = [fold(w) for w in words]
    out: list[Verdict] = []
    for s, e, owner in spans:
        window = folded[max(0, s - NEAR) : s]
        pairs = set(pairwise(window))
        if window and window[-1] in JOIN_BEFORE and not JOIN_HEADS.isdisjoint(folded[max(0, s - 5) : s - 1]):
            out.append(Verdict(owner, 1))
        elif pairs & QUIT_PAIRS or any(w in LEAVE for w in window) or _finished(folded[e : e + 5]):
            out.append(Verdict(owner, -1))
    return out


def _comparative(word: str, close: bool) -> bool:
    """A comparative word; English "-er" adjectives only right before "than" ("fresher than")."""
    if word in COMPARATIVES or word in EQUAL:
        return True
    return close and len(word) > 4 and word.endswith("er") and word not in NOT_COMPARATIVE


def _finished(tail: list[str]) -> bool:
    # "Nexa Mobile, c'est fini" / "c'est terminé": a party dropped.
    text = " ".join(tail)
    return any(cue in text for cue in ("c'est fini", "c' est fini", "c'est termine", "c' est termine"))


def _preceded(folded: list[str], k: int, heads: frozenset[str]) -> bool:
    """``heads`` is empty (the word alone marks the contrast) or holds a word just before."""
    return not heads or (k > 0 and folded[k - 1] in heads) or (k > 1 and folded[k - 2] in heads)
