"""``crisis_keywords``: a mention of the brand with a crisis word (arnaque, boycott, rappel produit…).

Options (``CrisisKeywordsRule``): ``keywords`` (words or phrases), ``window`` (how far back new
matches are looked for), ``min_count`` (new matches needed). Inputs: the ids of matching mentions
(bounded ``top_hits``). Matching ignores case and accents and accepts a French elision and a
plural ("l'arnaque", "Arnaques", "scandâle" match "arnaque"/"scandale"), with core ES queries only:
each word becomes a ``regexp`` on the analysed tokens, a phrase a ``span_near`` of them.
A match says: "Cafés Lantier : 3 nouvelles mentions avec « rappel produit », « plainte »".
"""

from __future__ import annotations

import re
from typing import Any

from alerts import wording
from alerts.rules.events import MatchingMentionsRule
from core.config.alerts import CrisisKeywordsRule
from core.text import fold

FIELDS = ("text", "title")
# Letters a French writer may or may not accent; each base letter matches all of its forms.
_VARIANTS = {
    "a": "aàâäáã",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîïíì",
    "o": "oôöóòõ",
    "u": "uùûüú",
    "y": "yÿý",
    "n": "nñ",
}
_LIGATURES = {"oe": "œ", "ae": "æ"}
_ELISION = "([a-z]{1,2}['’])?"  # l'arnaque, d’escroquerie, qu'arnaque


def keyword_tokens(keyword: str) -> list[str]:
    """The words of a keyword as the standard analyzer splits them, folded."""
    return [token for token in re.split(r"[^\w]+", fold(keyword)) if token]


def token_regexp(token: str) -> str:
    """Lucene regexp matching ``token`` whatever its accents, with an elision and a plural."""
    return f"{_ELISION}{_spellings(token)}(s|x)?"


def _spellings(token: str) -> str:
    # The fold writes "œ"/"æ" as "oe"/"ae"; the standard analyzer keeps the ligature: match both.
    parts, i = [], 0
    while i < len(token):
        pair = token[i : i + 2]
        if pair in _LIGATURES:
            parts.append(f"({_letters(pair)}|{_LIGATURES[pair]})")
            i += 2
        else:
            parts.append(_letters(token[i]))
            i += 1
    return "".join(parts)


def _letters(text: str) -> str:
    return "".join(f"[{_VARIANTS[ch]}]" if ch in _VARIANTS else re.escape(ch) for ch in text)


def keyword_clause(keyword: str) -> dict[str, Any]:
    """Query matching ``keyword`` as a word or a phrase in the title or the text."""
    tokens = keyword_tokens(keyword)
    per_field: list[dict[str, Any]] = []
    for field in FIELDS:
        if len(tokens) == 1:
            per_field.append({"regexp": {field: {"value": token_regexp(tokens[0])}}})
        else:
            per_field.append(
                {
                    "span_near": {
                        "clauses": [
                            {"span_multi": {"match": {"regexp": {field: {"value": token_regexp(t)}}}}}
                            for t in tokens
                        ],
                        "slop": 0,
                        "in_order": True,
                    }
                }
            )
    return {"bool": {"should": per_field, "minimum_should_match": 1}}


def keywords_clause(keywords: list[str]) -> dict[str, Any]:
    return {"bool": {"should": [keyword_clause(k) for k in keywords], "minimum_should_match": 1}}


class CrisisKeywords(MatchingMentionsRule):
    """Immediate alert on crisis words; each mention is reported once."""

    type_name = "crisis_keywords"
    config_model = CrisisKeywordsRule
    label = "mots de crise"
    config: CrisisKeywordsRule

    def clause(self, brand: str) -> dict[str, Any]:
        return keywords_clause(self.config.keywords)

    def summary(self, brand: str, count: int) -> str:
        quoted = ", ".join(f"« {k} »" for k in self.config.keywords[:6])
        return (
            f"{brand} : {wording.plural(count, 'mention')} avec un mot de crise "
            f"({quoted}) sur {wording.duration(self.config.window)}"
        )

    def figures(self, count: int) -> dict[str, Any]:
        return {"matching": count, "keywords": list(self.config.keywords)}

    def kql(self, brand: str) -> str:
        return f'brands:"{brand}" and (' + " or ".join(f'"{k}"' for k in self.config.keywords) + ")"
