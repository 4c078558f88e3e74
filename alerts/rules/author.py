"""``influential_author``: a negative mention of the brand by an author above an influence score.

Options (``InfluentialAuthorRule``): ``min_influence`` (0-100, computed by enrichment),
``window`` (how far back new mentions are looked for). Inputs: ids of matching mentions (bounded
``top_hits``). A match says: "Velora : 2 mentions négatives d'auteurs influents (influence ≥ 60)".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alerts import wording
from alerts.queries import AlertQueries, negative_clause, published_between
from alerts.rules.base import Finding, RuleType
from core.config.alerts import InfluentialAuthorRule


class InfluentialAuthor(RuleType):
    """Each negative mention by an influential author is reported once."""

    type_name = "influential_author"
    config_model = InfluentialAuthorRule
    episodic = False
    label = "auteur influent"
    config: InfluentialAuthorRule

    def _clause(self, brand: str) -> dict[str, Any]:
        return {
            "bool": {
                "filter": [
                    negative_clause(brand),
                    {"range": {"author.influence": {"gte": self.config.min_influence}}},
                ]
            }
        }

    def evaluate(self, queries: AlertQueries, now: datetime) -> list[Finding]:
        start = now - self.config.window
        matches = queries.matching_mentions(self.context.brands, self._clause, start, now)
        threshold = wording.number(self.config.min_influence)
        findings = []
        for brand in self.context.brands:
            found = matches.get(brand, {})
            findings.append(
                Finding(
                    key=brand,
                    brand=brand,
                    status="firing" if found else "normal",
                    summary=(
                        f"{brand} : {wording.plural(len(found), 'mention négative', 'mentions négatives')} "
                        f"d'auteurs influents (influence ≥ {threshold})"
                    ),
                    severity=float(len(found)),
                    window_start=start,
                    window_end=now,
                    figures={"matching": len(found), "min_influence": self.config.min_influence},
                    evidence={
                        "bool": {
                            "filter": [
                                {"term": {"brands": brand}},
                                self._clause(brand),
                                published_between(start, now),
                            ]
                        }
                    },
                    kql=(
                        f'brands:"{brand}" and brand_labels:"{brand}:negative" '
                        f"and author.influence >= {self.config.min_influence:g}"
                    ),
                    mentions=found,
                )
            )
        return findings
