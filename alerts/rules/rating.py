"""``rating_drop``: the average review rating of the brand falls against its own past.

Options (``RatingDropRule``): ``window`` (recent period), ``baseline`` (the period before it),
``min_reviews`` (needed in both), ``drop`` (fall of the normalised 0..1 average). Inputs: ``avg`` of
``rating.normalized`` and the number of rated mentions per period (one ES search). A match says:
"Cafés Lantier : note moyenne 2,1/5 sur 7 j (12 avis) contre 3,9/5 auparavant (85 avis)".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from alerts import wording
from alerts.queries import AlertQueries, published_between
from alerts.rules.base import Finding, RuleContext, RuleType, Status
from core.config.alerts import RatingDropRule, Rule

# Recent average, reviews, baseline average, reviews.
Averages = tuple[float | None, int, float | None, int]


def stars(normalized: float) -> str:
    """A 0..1 average shown on the usual 1-5 scale."""
    return wording.number(1 + 4 * normalized)


class RatingDrop(RuleType):
    """Lasts while the recent average stays low; back to normal when it recovers half the drop."""

    type_name = "rating_drop"
    config_model = RatingDropRule
    label = "baisse de la note"
    config: RatingDropRule

    def __init__(self, config: Rule, context: RuleContext) -> None:
        super().__init__(config, context)
        # Per brand, the last averages seen and their wording (see ``evaluate``).
        self._described: dict[str, tuple[Averages, Status, float, str, dict[str, Any]]] = {}

    def evaluate(self, queries: AlertQueries, now: datetime) -> list[Finding]:
        recent = (now - self.config.window, now)
        before = (now - self.config.baseline, now - self.config.window)
        stats = queries.rating_averages(self.context.brands, {"cur": recent, "base": before})
        findings = []
        for brand in self.context.brands:
            seen = (*stats[brand]["cur"], *stats[brand]["base"])
            # The averages only move when a review enters or leaves a period: a replay, checking
            # every few minutes, words them once per change (one remembered per brand).
            described = self._described.get(brand)
            if described is None or described[0] != seen:
                described = self._described[brand] = (seen, *self._describe(brand, *seen))
            _, status, fall, summary, figures = described
            findings.append(
                Finding(
                    key=brand,
                    brand=brand,
                    status=status,
                    summary=summary,
                    severity=round(fall, 4),
                    window_start=recent[0],
                    window_end=now,
                    figures=dict(figures),
                    evidence={
                        "bool": {
                            "filter": [
                                {"term": {"brands": brand}},
                                {"range": {"rating.normalized": {"lte": 0.5}}},
                                published_between(*recent),
                            ]
                        }
                    },
                    kql=f'brands:"{brand}" and rating.normalized <= 0.5',
                )
            )
        return findings

    def _describe(
        self, brand: str, cur: float | None, n_cur: int, base: float | None, n_base: int
    ) -> tuple[Status, float, str, dict[str, Any]]:
        """Status, fall, summary and figures for the recent and baseline averages of ``brand``."""
        status: Status
        enough = min(n_cur, n_base) >= self.config.min_reviews
        if cur is None or base is None or not enough:
            status = "learning"
            fall = 0.0
        else:
            fall = base - cur
            if fall >= self.config.drop:
                status = "firing"
            elif fall <= self.config.drop / 2:
                status = "normal"
            else:
                status = "elevated"
        now_avg = stars(cur) if cur is not None else "-"
        before_avg = stars(base) if base is not None else "-"
        summary = (
            f"{brand} : note moyenne {now_avg}/5 sur {wording.duration(self.config.window)} "
            f"({wording.plural(n_cur, 'avis', 'avis')}) contre {before_avg}/5 auparavant "
            f"({wording.plural(n_base, 'avis', 'avis')})"
        )
        figures = {
            "current_avg": None if cur is None else round(cur, 3),
            "current_reviews": n_cur,
            "baseline_avg": None if base is None else round(base, 3),
            "baseline_reviews": n_base,
            "drop": round(fall, 3),
        }
        return status, fall, summary, figures
