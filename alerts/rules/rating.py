"""``rating_drop``: the average review rating of the brand falls against its own past.

Options (``RatingDropRule``): ``window`` (recent period), ``baseline`` (the period before it),
``min_reviews`` (needed in both), ``drop`` (fall of the normalised 0..1 average). Inputs: ``avg`` of
``rating.normalized`` and the number of rated mentions per period (one ES search). A match says:
"Cafés Lantier : note moyenne 2,1/5 sur 7 j (12 avis) contre 3,9/5 auparavant (85 avis)".
"""

from __future__ import annotations

import functools
from datetime import datetime

from alerts import wording
from alerts.queries import AlertQueries, published_between
from alerts.rules.base import Finding, LateFinding, RuleType, Status, Words
from core.config.alerts import RatingDropRule


def stars(normalized: float) -> str:
    """A 0..1 average shown on the usual 1-5 scale."""
    return wording.number(1 + 4 * normalized)


class RatingDrop(RuleType):
    """Lasts while the recent average stays low; back to normal when it recovers half the drop."""

    type_name = "rating_drop"
    config_model = RatingDropRule
    label = "baisse de la note"
    config: RatingDropRule

    def evaluate(self, queries: AlertQueries, now: datetime) -> list[Finding]:
        recent = (now - self.config.window, now)
        before = (now - self.config.baseline, now - self.config.window)
        stats = queries.rating_averages(self.context.brands, {"cur": recent, "base": before})
        findings: list[Finding] = []
        for brand in self.context.brands:
            (cur, n_cur), (base, n_base) = stats[brand]["cur"], stats[brand]["base"]
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
            words = functools.partial(self._words, brand, (cur, n_cur), (base, n_base), fall, recent)
            findings.append(
                LateFinding(brand, brand, status, words, severity=round(fall, 4),
                            window_start=recent[0], window_end=now)
            )  # fmt: skip
        return findings

    def _words(
        self,
        brand: str,
        current: tuple[float | None, int],
        baseline: tuple[float | None, int],
        fall: float,
        recent: tuple[datetime, datetime],
    ) -> Words:
        """Summary, figures, evidence and Kibana query of a brand's finding (written when read)."""
        (cur, n_cur), (base, n_base) = current, baseline
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
        evidence = {
            "bool": {
                "filter": [
                    {"term": {"brands": brand}},
                    {"range": {"rating.normalized": {"lte": 0.5}}},
                    published_between(*recent),
                ]
            }
        }
        return summary, figures, evidence, f'brands:"{brand}" and rating.normalized <= 0.5'
