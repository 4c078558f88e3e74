"""``influential_author``: a negative mention of the brand by an author above an influence score.

Options (``InfluentialAuthorRule``): ``min_influence`` (0-100, computed by enrichment),
``window`` (how far back new mentions are looked for). Inputs: ids of matching mentions (bounded
``top_hits``). A match says: "Velora : 2 mentions négatives d'auteurs influents (influence ≥ 60)".
"""

from __future__ import annotations

from typing import Any

from alerts import wording
from alerts.queries import negative_clause
from alerts.rules.events import MatchingMentionsRule
from core.config.alerts import InfluentialAuthorRule


class InfluentialAuthor(MatchingMentionsRule):
    """Each negative mention by an influential author is reported once."""

    type_name = "influential_author"
    config_model = InfluentialAuthorRule
    label = "auteur influent"
    config: InfluentialAuthorRule

    def clause(self, brand: str) -> dict[str, Any]:
        return {
            "bool": {
                "filter": [
                    negative_clause(brand),
                    {"range": {"author.influence": {"gte": self.config.min_influence}}},
                ]
            }
        }

    def summary(self, brand: str, count: int) -> str:
        threshold = wording.number(self.config.min_influence)
        return (
            f"{brand} : {wording.plural(count, 'mention négative', 'mentions négatives')} "
            f"d'auteurs influents (influence ≥ {threshold})"
        )

    def figures(self, count: int) -> dict[str, Any]:
        return {"matching": count, "min_influence": self.config.min_influence}

    def kql(self, brand: str) -> str:
        return (
            f'brands:"{brand}" and brand_labels:"{brand}:negative" '
            f"and author.influence >= {self.config.min_influence:g}"
        )
