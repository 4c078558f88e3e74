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
from alerts.rules.base import Finding, RuleContext, RuleType
from core.config.alerts import CrisisKeywordsRule, InfluentialAuthorRule, Rule


class MatchingMentionsRule(RuleType):
    episodic = False
    config: CrisisKeywordsRule | InfluentialAuthorRule

    def __init__(self, config: Rule, context: RuleContext) -> None:
        super().__init__(config, context)
        self._worded: dict[tuple[str, int], tuple[str, str]] = {}  # see ``_words``

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
        window = published_between(start, now)
        findings = []
        for brand in self.context.brands:
            found = matches.get(brand, {})
            summary, kql = self._words(brand, len(found))
            findings.append(
                Finding(
                    key=brand,
                    brand=brand,
                    status="firing" if found else "normal",
                    summary=summary,
                    severity=float(len(found)),
                    window_start=start,
                    window_end=now,
                    figures=self.figures(len(found)),
                    evidence={"bool": {"filter": [{"term": {"brands": brand}}, self.clause(brand), window]}},
                    kql=kql,
                    mentions=found,
                )
            )
        return findings

    def _words(self, brand: str, count: int) -> tuple[str, str]:
        """Summary and Kibana query for ``count`` matches: the same from one check to the next, so
        a replay writes each once (a few counts per brand)."""
        words = self._worded.get((brand, count))
        if words is None:
            words = self._worded[(brand, count)] = (self.summary(brand, count), self.kql(brand))
        return words
