"""The search box a marketer expects, turned into an Elasticsearch query.

    panne box            both words (any form: "pannes", "Panne")
    "box en panne"       this phrase
    panne OR arnaque     either (``OU`` and ``|`` too); OR binds tighter than the implicit AND
    -fibre               without this word (or -"phrase")
    rembours*            words starting with this

Each word or phrase is matched on the language-analysed sub-fields (``.fr``, ``.en``: stems,
elisions and accents ignored), the ``.folded`` one (accents ignored, for prefixes) and the
exact field, whichever the index has; an absent sub-field simply matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from index.stopwords import STOPWORDS

SEARCH_FIELDS = (
    "title^2",
    "title.fr^2",
    "title.en^2",
    "title.folded^2",
    "text",
    "text.fr",
    "text.en",
    "text.folded",
    "snippet",
    "snippet.fr",
    "snippet.en",
    "snippet.folded",
)
OR_WORDS = {"OR", "OU", "|"}
AND_WORDS = {"AND", "ET", "&", "+"}
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# simple_query_string operators that must stay literal inside one word.
_SPECIAL = re.compile(r'([+|\-"~()\\])')


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    negated: bool = False

    def clause(self, fields: tuple[str, ...]) -> dict[str, Any]:
        if self.phrase:
            query = '"' + self.text.replace('"', "") + '"'
        else:
            prefix = self.text.endswith("*")
            body = _SPECIAL.sub(r"\\\1", self.text.rstrip("*"))
            query = body + ("*" if prefix else "")
        return {
            "simple_query_string": {
                "query": query,
                "fields": list(fields),
                "default_operator": "and",
                "analyze_wildcard": True,
                "lenient": True,
            }
        }


def parse(text: str) -> list[list[Term]]:
    """Groups ANDed together; the terms of one group are ORed. Exclusions are one-term groups."""
    groups: list[list[Term]] = []
    join_next = False
    for match in _TOKEN.finditer(text):
        negated, quoted, word = match.group(1) == "-", match.group(2), match.group(3)
        if word is not None and word.upper() in OR_WORDS:
            join_next = bool(groups)
            continue
        if word is not None and word.upper() in AND_WORDS:
            continue
        if quoted is not None:
            term = Term(quoted.strip(), phrase=True, negated=negated)
        else:
            assert word is not None
            negated = word.startswith("-") and len(word) > 1
            term = Term(word[1:] if negated else word, negated=negated)
        if not term.text.strip("*") or (not term.phrase and term.text.lower() in STOPWORDS):
            # A lone "de" or "the" would be required on the exact field while the language
            # fields drop it: skip it, as web search engines do (phrases keep theirs).
            continue
        if join_next and not term.negated and not groups[-1][0].negated:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return groups


def to_query(text: str, fields: tuple[str, ...] = SEARCH_FIELDS) -> dict[str, Any] | None:
    """The bool query for ``text`` (None when it holds no term at all)."""
    must: list[dict[str, Any]] = []
    must_not: list[dict[str, Any]] = []
    for group in parse(text):
        if group[0].negated:
            must_not.append(group[0].clause(fields))
        elif len(group) == 1:
            must.append(group[0].clause(fields))
        else:
            must.append({"bool": {"should": [t.clause(fields) for t in group], "minimum_should_match": 1}})
    if not must and not must_not:
        return None
    return {"bool": {"must": must or [{"match_all": {}}], "must_not": must_not}}
