"""Event rules: each matching mention of a brand is reported once (crisis words, influential authors).

A subclass says which mentions match (``clause``), how the match reads (``summary``), its figures
and its Kibana query; ``evaluate`` gathers the matching mention ids per brand over the window (a
bounded aggregation) and turns them into one finding per brand. The episode logic reports each
mention once, however many checks see it.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import datetime
from typing import Any

from alerts.queries import AlertQueries, published_between
from alerts.rules.base import Finding, RuleType
from core.config.alerts import CrisisKeywordsRule, InfluentialAuthorRule


class MatchingMentionsRule(RuleType):
    episodic = False
    config: CrisisKeywordsRule | InfluentialAuthorRule

    @abstractmethod
    def clause(self, brand: str) -> dict[str, Any]:
        """The ES filter (besides brand and window) a mention of ``brand`` must pass."""

    @abstractmethod
    def summary(self, brand: str, count: int) -> str:
        """One French sentence for ``count`` matching mentions of ``brand``."""

    @abstractmethod
    def kql(self, brand: str) -> str:
        """The same selection in Kibana's query language (for the Discover link)."""

    def figures(self, count: int) -> dict[str, Any]:
        return {"matching": count}

    def evaluate(self, queries: AlertQueries, now: datetime) -> list[Finding]:
        start = now - self.config.window
        matches = queries.matching_mentions(self.context.brands, self.clause, start, now)
        findings = []
        for brand in self.context.brands:
            found = matches.get(brand, {})
            findings.append(
                Finding(
                    key=brand,
                    brand=brand,
                    status="firing" if found else "normal",
                    summary=self.summary(brand, len(found)),
                    severity=float(len(found)),
                    window_start=start,
                    window_end=now,
                    figures=self.figures(len(found)),
                    evidence={
                        "bool": {
                            "filter": [
                                {"term": {"brands": brand}},
                                self.clause(brand),
                                published_between(start, now),
                            ]
                        }
                    },
                    kql=self.kql(brand),
                    mentions=found,
                )
            )
        return findings
