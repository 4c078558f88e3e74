"""The French sentiment lexicons shipped in ``enrich/data/`` and their look-up rules.

``lexicon_fr.tsv`` (written for Veille) overrides ``lexicon_fr_seed.tsv`` (derived from the MIT
vaderSentiment-fr lexicon); ``idioms_fr.tsv`` scores phrases, ``negated_fr.tsv`` gives the valence of
words that only hurt when negated ("ne répond pas"), ``resolvers_fr.tsv`` the verbs that report a
problem fixed ("a réglé mon souci") and ``problems_fr.tsv`` the problems they fix;
``requests_fr.tsv`` holds the phrases addressed to the readers ("quelqu'un a des retours ?", "merci
d'avance"). Keys are accent- and case-folded.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
# Seed entries weaker than this are mostly translation noise ("sous" 0.2, "nouveau" -0.2): ignored.
SEED_MIN = 0.6
# Forms whose accent is the meaning, looked up before folding: folded, "tâche" (task) would read
# as "tache" (stain, -1.5 in the seed).
EXACT: dict[str, float] = {"tâche": 0.0, "tâches": 0.0}
# The noun "règle" (rule) folds like "réglé": not a fixing verb ("ça règle le problème" is an idiom).
NOT_RESOLVERS = frozenset({"règle", "règles"})


def read_tsv(path: Path) -> list[list[str]]:
    """Rows of a TSV file without its ``#`` comments and header line."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return [row for row in csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE)]


def _valences(path: Path, minimum: float = 0.0) -> dict[str, float]:
    table: dict[str, float] = {}
    for row in read_tsv(path):
        key, value = fold(row[0].strip()), float(row[1])
        if key and abs(value) >= minimum:
            table.setdefault(key, value)
    return table


@dataclass
class FrenchLexicon:
    """Valences (VADER scale, -4..+4) and the rules to find one for a token."""

    valence: dict[str, float]
    seed: dict[str, float]
    negated: dict[str, float]
    idioms: dict[tuple[str, ...], float]
    resolvers: dict[str, float] = field(default_factory=dict)
    problems: frozenset[str] = frozenset()
    requests: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # by first word
    lemmatize: Callable[[str], str] = str
    _cache: dict[str, float | None] = field(default_factory=dict, repr=False)
    _negated_cache: dict[str, float | None] = field(default_factory=dict, repr=False)
    _resolver_cache: dict[str, float | None] = field(default_factory=dict, repr=False)

    @classmethod
    def load(
        cls,
        tokenize: Callable[[str], list[str]],
        lemmatize: Callable[[str], str] = str,
        data_dir: Path = DATA_DIR,
    ) -> FrenchLexicon:
        """Read the shipped files; ``tokenize`` must split idioms the way texts are split."""
        idioms = {
            tuple(fold(t) for t in tokenize(row[0])): float(row[1])
            for row in read_tsv(data_dir / "idioms_fr.tsv")
        }
        return cls(
            valence=_valences(data_dir / "lexicon_fr.tsv"),
            seed=_valences(data_dir / "lexicon_fr_seed.tsv", SEED_MIN),
            negated=_valences(data_dir / "negated_fr.tsv"),
            idioms=idioms,
            resolvers=_valences(data_dir / "resolvers_fr.tsv"),
            problems=frozenset(fold(row[0].strip()) for row in read_tsv(data_dir / "problems_fr.tsv")),
            requests=_by_first(
                tuple(fold(t) for t in tokenize(row[0])) for row in read_tsv(data_dir / "requests_fr.tsv")
            ),
            lemmatize=lemmatize,
        )

    def lemma(self, lower: str) -> str:
        return self.lemmatize(lower)

    def lookup(self, lower: str) -> float | None:
        """Valence of a lower-cased token, or None: own lexicon first (form, lemma, plural/feminine
        stripped), then the seed (form, lemma). A 0 in the own lexicon stops the search."""
        return _remembered(self._cache, lower, self._find_valence)

    def _find_valence(self, lower: str) -> float | None:
        if lower in EXACT:
            return EXACT[lower]
        folded, lemma = fold(lower), fold(self.lemma(lower))
        for key in (folded, lemma, *_deinflect(folded)):
            if key in self.valence:
                return self.valence[key]
        return next((self.seed[key] for key in (folded, lemma) if key in self.seed), None)

    def negated_valence(self, lower: str) -> float | None:
        return _remembered(self._negated_cache, lower, self._find_negated)

    def _find_negated(self, lower: str) -> float | None:
        folded = fold(lower)
        # The lemma table often reads a verb form as a noun ("marche"): also try the -er infinitive.
        keys = (folded, fold(self.lemma(lower)), folded + "r")
        return next((self.negated[k] for k in keys if k in self.negated), None)

    def asks(self, folded: Sequence[str]) -> bool:
        """Whether folded tokens hold a phrase of ``requests_fr.tsv`` (a request for information)."""
        for i, word in enumerate(folded):
            if word not in self.requests or (i and folded[i - 1] == "qu'"):
                continue  # "qu'est-ce que tu racontes ?" asks nothing of the readers
            if any(tuple(folded[i : i + len(phrase)]) == phrase for phrase in self.requests[word]):
                return True
        return False

    def is_problem(self, folded: str) -> bool:
        """A problem noun a fix can solve ("souci", "pannes"), given folded."""
        return folded in self.problems or any(guess in self.problems for guess in _deinflect(folded))

    def resolver_valence(self, lower: str) -> float | None:
        """The valence a fixing verb ("réglé", "réparée") gives a clause whose problem it solves."""
        return _remembered(self._resolver_cache, lower, self._find_resolver)

    def _find_resolver(self, lower: str) -> float | None:
        if lower in NOT_RESOLVERS:
            return None
        folded = fold(lower)
        keys = (folded, fold(self.lemma(lower)), *_deinflect(folded))
        return next((self.resolvers[k] for k in keys if k in self.resolvers), None)


CACHE_LIMIT = 200_000  # forms remembered per lookup table (a long-running process meets new ones)


def _remembered(
    cache: dict[str, float | None], lower: str, find: Callable[[str], float | None]
) -> float | None:
    """``find(lower)``, remembered in ``cache`` while it holds fewer than ``CACHE_LIMIT`` forms."""
    if lower in cache:
        return cache[lower]
    value = find(lower)
    if len(cache) < CACHE_LIMIT:
        cache[lower] = value
    return value


def _by_first(phrases: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        if phrase:
            out.setdefault(phrase[0], []).append(phrase)
    return out


# Feminine and plural endings -> masculine singular, longest first ("nulles" -> "nul",
# "décevantes" -> "décevant", "lentes" -> "lent", "heureuses" -> "heureux", "chères" -> "cher").
_ENDINGS = (
    ("elles", "el"),
    ("elle", "el"),
    ("lles", "l"),
    ("lle", "l"),
    ("nnes", "n"),
    ("nne", "n"),
    ("ives", "if"),
    ("ive", "if"),
    ("euses", "eux"),
    ("euse", "eux"),
    ("eres", "er"),
    ("ere", "er"),
    ("aux", "al"),
    ("es", ""),
    ("s", ""),
    ("x", ""),
    ("e", ""),
)


def _deinflect(word: str) -> list[str]:
    """Masculine singular guesses for a French form the lemma table missed (``injoignables``,
    ``nulle``, ``pas terribles``), on folded words."""
    out = []
    for suffix, replacement in _ENDINGS:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            guess = word[: -len(suffix)] + replacement
            if len(guess) > 2 and guess not in out:
                out.append(guess)
    return out
