"""``negative_spike`` and ``volume_spike``: more mentions in the current window than the baseline.

Options (``SpikeRuleConfig``): ``window``, ``baseline_windows``, ``baseline_weeks``, ``min_count``,
``min_baseline``, ``ratio``, ``escalate_ratio``; ``negative_spike`` adds ``min_negative_share``.
Inputs: per brand, counts of the windows laid out by ``spike_windows`` (one ES search with
``date_range`` buckets; a story counts once). A match says: "Velora : 42 mentions négatives en
1 h contre 6 habituellement (×7) ; 61 % des mentions sont négatives".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from alerts import wording
from alerts.queries import AlertQueries, negative_clause, published_between
from alerts.rules.base import Finding, RuleType
from alerts.rules.spike_logic import (
    SpikeParams,
    SpikeVerdict,
    decide_spike,
    series_from_counts,
    spike_windows,
)
from core.config.alerts import NegativeSpikeRule, SpikeRuleConfig, VolumeSpikeRule


def spike_params(config: SpikeRuleConfig) -> SpikeParams:
    return SpikeParams(
        window=config.window,
        baseline_windows=config.baseline_windows,
        baseline_weeks=config.baseline_weeks,
        min_count=config.min_count,
        min_baseline=config.min_baseline,
        ratio=config.ratio,
        min_share=getattr(config, "min_negative_share", 0.0),
        min_share_rise=getattr(config, "min_share_rise", 0.0),
    )


class _SpikeRule(RuleType):
    negative: ClassVar[bool]
    noun: ClassVar[tuple[str, str]]
    config: NegativeSpikeRule | VolumeSpikeRule

    def evaluate(self, queries: AlertQueries, now: datetime) -> list[Finding]:
        params = spike_params(self.config)
        windows = spike_windows(now, params)
        counts = queries.window_counts(self.context.brands, windows, negative=self.negative)
        findings = []
        for brand in self.context.brands:
            by_kind = counts[brand]
            if self.negative:
                series = series_from_counts(by_kind["neg"], by_kind["all"], params)
            else:
                series = series_from_counts(by_kind["all"], None, params)
            verdict = decide_spike(series, params)
            findings.append(self._finding(brand, verdict, windows["cur"][0], now))
        return findings

    def _finding(self, brand: str, verdict: SpikeVerdict, start: datetime, now: datetime) -> Finding:
        clauses: list[dict[str, Any]] = [{"term": {"brands": brand}}, published_between(start, now)]
        kql = f'brands:"{brand}"'
        if self.negative:
            clauses.append(negative_clause(brand))
            kql += f' and brand_labels:"{brand}:negative"'
        figures = {
            "current": verdict.current,
            "baseline": round(verdict.baseline, 2),
            "threshold": round(verdict.threshold, 2) if verdict.status != "learning" else None,
            "ratio": round(verdict.ratio, 2) if verdict.baseline else None,
            "previous_median": round(verdict.level, 2),
            "same_hour_weeks": None if verdict.seasonal_level is None else round(verdict.seasonal_level, 2),
            "negative_share": None if verdict.share is None else round(verdict.share, 3),
            "usual_negative_share": None if verdict.usual_share is None else round(verdict.usual_share, 3),
            "why": verdict.why,
        }
        return Finding(
            key=brand,
            brand=brand,
            status=verdict.status,
            summary=self._summary(brand, verdict),
            severity=float(verdict.current),
            window_start=start,
            window_end=now,
            figures=figures,
            evidence={"bool": {"filter": clauses}},
            kql=kql,
        )

    def _summary(self, brand: str, verdict: SpikeVerdict) -> str:
        singular, plural = self.noun
        text = (
            f"{brand} : {wording.plural(verdict.current, singular, plural)} en "
            f"{wording.duration(self.config.window)}, contre {wording.number(verdict.baseline)} "
            f"habituellement"
        )
        if verdict.baseline:
            text += f" (×{wording.number(verdict.ratio)})"
        if self.negative and verdict.share is not None:
            text += f" ; {wording.percent(verdict.share)} des mentions sont négatives"
        return text


class NegativeSpike(_SpikeRule):
    """Negative mentions (towards the brand) well above their usual level, and a high negative share."""

    type_name = "negative_spike"
    config_model = NegativeSpikeRule
    label = "pic de mentions négatives"
    negative = True
    noun = ("mention négative", "mentions négatives")


class VolumeSpike(_SpikeRule):
    """All mentions of the brand well above their usual level (a buzz, good or bad)."""

    type_name = "volume_spike"
    config_model = VolumeSpikeRule
    label = "pic de volume"
    negative = False
    noun = ("mention", "mentions")
