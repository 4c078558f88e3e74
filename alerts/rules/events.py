"""Event rules: each matching mention of a brand is reported once (crisis words, influential authors).

A subclass says which mentions match (``clause``), how the match reads (``summary``), its figures
and its Kibana query; ``evaluate`` gathers the matching mention ids per brand over the window (a
bounded aggregation) and turns them into one finding per brand. The episode logic reports each
mention once, however many checks see it.
"""

from __future__ import annotations

import functools
from abc import abstractmethod
from datetime import datetime
from typing import Any

from alerts.queries import AlertQueries, published_between
from alerts.rules.base import Finding, LateFinding, RuleType, Words
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
        findings: list[Finding] = []
        for brand in self.context.brands:
            found = matches.get(brand, {})
            words = functools.partial(self._words, brand, len(found), start, now)
            findings.append(
                LateFinding(brand, brand, "firing" if found else "normal", words, severity=float(len(found)),
                            window_start=start, window_end=now, mentions=found)
            )  # fmt: skip
        return findings

    def _words(self, brand: str, count: int, start: datetime, now: datetime) -> Words:
        """Summary, figures, evidence and Kibana query of a brand's finding (written when read)."""
        window = published_between(start, now)
        evidence = {"bool": {"filter": [{"term": {"brands": brand}}, self.clause(brand), window]}}
        return self.summary(brand, count), self.figures(count), evidence, self.kql(brand)
