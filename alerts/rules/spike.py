"""``negative_spike`` and ``volume_spike``: more mentions than expected, judged by ``detector``.

Options (``SpikeRuleConfig``): ``false_alarms_per_month`` (the budget the thresholds derive from),
``min_count``, ``min_ratio``, ``escalate_ratio``, ``realert``. Inputs: per brand, hourly counts of
the last four weeks (up to 12 h ago) and 5-minute counts of the last 12 h, from two
``date_histogram`` aggregations (a story counts once; mentions without a publication date are in
neither). A match says: "Velora : 15 mentions négatives en 1 h (×30)".
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any, ClassVar

from alerts import wording
from alerts.queries import AlertQueries, negative_clause, published_between
from alerts.rules import detector
from alerts.rules.base import Finding, LateFinding, RuleType, Words
from alerts.series import Series
from core.config.alerts import NegativeSpikeRule, SpikeRuleConfig, VolumeSpikeRule

SCANNED = max(detector.WINDOWS)


def detector_params(config: SpikeRuleConfig, *, negative: bool) -> detector.Params:
    return detector.Params(
        false_alarms_per_month=config.false_alarms_per_month,
        min_count=config.min_count,
        min_ratio=config.min_ratio,
        check_share=negative,
    )


def history_span(now: datetime) -> tuple[datetime, datetime]:
    """Whole clock hours, ending at least 12 h before ``now`` (a buzz under way is not history)."""
    end = (now - SCANNED).replace(minute=0, second=0, microsecond=0)
    return end - detector.HISTORY, end


def _rounded_ratio(ratio: float) -> float:
    """×2,5 but ×30: one decimal only where it says something (rounded once, here)."""
    return float(round(ratio)) if ratio >= 10 else round(ratio, 1)


class _SpikeRule(RuleType):
    negative: ClassVar[bool]
    noun: ClassVar[tuple[str, str]]
    config: NegativeSpikeRule | VolumeSpikeRule

    _profiles: dict[str, detector.Profile | None]
    _profiles_at: datetime | None = None

    @functools.cached_property
    def params(self) -> detector.Params:
        return detector_params(self.config, negative=self.negative)

    def evaluate(self, queries: AlertQueries, now: datetime) -> list[Finding]:
        start, end = history_span(now)
        spans = {"recent": (now - SCANNED, now, detector.STEP)}
        # The profile only changes when its last whole hour does: a replay reuses it for an hour.
        if self._profiles_at != end:
            spans["history"] = (start, end, detector.HOUR)
        counts = queries.binned_counts(self.context.brands, spans, negative=self.negative, once={"recent"})
        if "history" in spans:
            self._profiles = {
                b: detector.learn(counts[b]["history"], self.context.tz) for b in self.context.brands
            }
            self._profiles_at = end
        return [
            self.judge(brand, self._profiles[brand], counts[brand]["recent"]) for brand in self.context.brands
        ]

    def judge(self, brand: str, profile: detector.Profile | None, recent: Series) -> Finding:
        """The finding for ``brand`` at ``recent.end`` (pure: the engine, replay and bench call it)."""
        now = recent.end
        if profile is None:  # a brand younger than a day: cold start on the 12 h scanned
            profile = detector.learn_recent(recent, self.context.tz)
        if profile is None:
            verdict = detector.Verdict("learning", None, [], "learning: less than 3 h of known history")
        else:
            verdict = detector.scan(recent, profile, self.context.tz, self.params)
        best = verdict.best
        start = now - (best.length if best else timedelta(hours=1))
        # Severity (compared across checks for escalation): the largest excess of a firing window.
        excess = max((w.count - w.expected for w in verdict.windows if w.fires), default=0.0)
        words = functools.partial(self._words, brand, profile, verdict, start, now)
        severity = round(max(excess, 0.0), 1)
        return LateFinding(
            brand, brand, verdict.status, words, severity=severity, window_start=start, window_end=now
        )

    def _words(
        self,
        brand: str,
        profile: detector.Profile | None,
        verdict: detector.Verdict,
        start: datetime,
        now: datetime,
    ) -> Words:
        """Summary, figures, evidence and Kibana query of a verdict (written when read)."""
        best = verdict.best
        clauses: list[dict[str, Any]] = [{"term": {"brands": brand}}, published_between(start, now)]
        kql = f'brands:"{brand}"'
        if self.negative:
            clauses.append(negative_clause(brand))
            kql += f' and brand_labels:"{brand}:negative"'
        figures: dict[str, Any] = {"why": verdict.why}
        if best is not None:
            figures.update(
                current=best.count,
                expected=round(best.expected, 1),
                ratio=_rounded_ratio(best.ratio) if best.expected > 0 else None,
                window_minutes=int(best.length.total_seconds() // 60),
                p_value=float(f"{best.p_value:.2g}"),
                negative_share=None if best.share is None else round(best.share, 2),
                usual_negative_share=None
                if profile is None or profile.usual_share is None
                else round(profile.usual_share, 2),
            )
            if verdict.status != "normal":
                figures["why_fr"] = self._why(best, verdict.status)
        return self._summary(brand, figures), figures, {"bool": {"filter": clauses}}, kql

    def _summary(self, brand: str, figures: dict[str, Any]) -> str:
        """ "Velora : 15 mentions négatives en 1 h (×30)", from the rounded figures (formatted once)."""
        if "current" not in figures:
            if figures["why"] == "normal":
                return f"{brand} : rien d'inhabituel"
            return f"{brand} : pas encore assez d'historique pour juger"
        singular, plural = self.noun
        text = (
            f"{brand} : {wording.plural(figures['current'], singular, plural)} en "
            f"{wording.duration(timedelta(minutes=figures['window_minutes']))}"
        )
        if figures["ratio"] is not None:
            text += f" (×{wording.number(figures['ratio'])})"
        return text

    def _why(self, best: detector.Window, status: str) -> str:
        """The reason in plain French, for the email."""
        singular, plural = self.noun
        text = (
            f"{wording.plural(best.count, singular, plural)} en {wording.duration(best.length)}, "
            f"alors qu'on en attend {wording.number(round(best.expected, 1))} à ce moment de la "
            "semaine (historique des quatre dernières semaines, corrigé de la tendance récente)"
        )
        if status == "firing":
            chance = max(1, round(1 / best.p_value)) if best.p_value > 1e-6 else None  # 1/1e-320 = inf
            # Past a million the exact figure means nothing to a reader (and the model is not that precise).
            text += (
                f". Un tel écart n'arrive par hasard qu'une fois sur {wording.number(chance, 0)}"
                if chance and chance < 1_000_000
                else ". Un tel écart n'arrive pratiquement jamais par hasard (moins d'une fois sur un"
                " million)"
            )
            text += (
                f" ; le seuil est réglé pour au plus {wording.number(self.config.false_alarms_per_month)} "
                "fausse alerte par mois et par marque"
            )
        if self.negative and best.share is not None:
            text += f". Part de mentions négatives : {wording.percent(round(best.share, 2))}"  # as in figures
        return text + "."


class NegativeSpike(_SpikeRule):
    """Negative mentions (towards the brand) well above what is expected, with a risen negative share."""

    type_name = "negative_spike"
    config_model = NegativeSpikeRule
    label = "pic de mentions négatives"
    negative = True
    noun = ("mention négative", "mentions négatives")


class VolumeSpike(_SpikeRule):
    """All mentions of the brand well above what is expected (a buzz, good or bad)."""

    type_name = "volume_spike"
    config_model = VolumeSpikeRule
    label = "pic de volume"
    negative = False
    noun = ("mention", "mentions")
