"""The ``alerts`` section: rules, one entry per rule, its ``type`` choosing the rule class.

The parameters of each type are validated here; the behaviour lives in ``alerts/rules/``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from core.config.common import EmailAddresses, PositiveDuration, StrictModel, parse_duration


class _RuleBase(StrictModel):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    enabled: bool = True
    brands: list[str] = Field(default_factory=list, description="empty = every brand")
    realert: PositiveDuration = Field(
        default=parse_duration("2h"), description="cool-down before the same key alerts again"
    )
    recipients: EmailAddresses = Field(default_factory=list, description="empty = notifications.email.to")


class SpikeRuleConfig(_RuleBase):
    """Options of the count-series detector (``alerts/rules/detector.py`` explains the statistics)."""

    false_alarms_per_month: float = Field(
        0.5, gt=0, le=30, description="false alerts per brand and month the thresholds are set for"
    )
    min_count: int = Field(3, ge=1, description="never fire below this many mentions in a window")
    min_ratio: float = Field(2.0, gt=1, description="window count / expected count needed to fire")
    escalate_ratio: float = Field(1.5, gt=1, description="growth over the last alert that escalates")
    # The windows look 12 h back: a new alert within 12 h would count the excess already reported
    # (hours after a burst, noise in the last quarter of a long window re-opened it). A bigger
    # crisis still escalates through the cool-down.
    realert: PositiveDuration = Field(
        default=parse_duration("12h"), description="cool-down before the same brand alerts again"
    )


class NegativeSpikeRule(SpikeRuleConfig):
    type: Literal["negative_spike"]
    # A bad buzz is what users must not miss: this rule spends the whole budget of one false alert
    # per brand and month (bench/alert_quality.py: +1 to +4 bursts a seed over 0.5, still 0.2-0.7
    # false alerts); the volume rule, a buzz of any tone, keeps 0.5.
    false_alarms_per_month: float = Field(
        1.0, gt=0, le=30, description="false alerts per brand and month the thresholds are set for"
    )


class VolumeSpikeRule(SpikeRuleConfig):
    type: Literal["volume_spike"]


class CrisisKeywordsRule(_RuleBase):
    type: Literal["crisis_keywords"]
    keywords: list[str] = Field(min_length=1, description="words or phrases; accents and case ignored")
    window: PositiveDuration = Field(
        default=parse_duration("24h"), description="how far back new matches are looked for"
    )
    min_count: int = Field(1, ge=1, description="new matching mentions needed to alert")

    @field_validator("keywords")
    @classmethod
    def _words(cls, value: list[str]) -> list[str]:
        if any(not any(ch.isalnum() for ch in keyword) for keyword in value):
            raise ValueError("every keyword must contain at least one letter or digit")
        return value


class InfluentialAuthorRule(_RuleBase):
    type: Literal["influential_author"]
    min_influence: float = Field(
        90, ge=0, le=100, description="author influence, 0-100: the percentile among the authors seen"
    )
    window: PositiveDuration = Field(
        default=parse_duration("24h"), description="how far back new mentions are looked for"
    )


class RatingDropRule(_RuleBase):
    type: Literal["rating_drop"]
    window: PositiveDuration = Field(default=parse_duration("7d"))
    baseline: PositiveDuration = Field(
        default=parse_duration("90d"), description="the period before the window it compares to"
    )
    min_reviews: int = Field(5, ge=1, description="reviews needed in the window and in the baseline")
    drop: float = Field(0.15, gt=0, le=1, description="fall of the normalised 0..1 average")

    @model_validator(mode="after")
    def _baseline_longer(self) -> RatingDropRule:
        if self.baseline <= self.window:
            raise ValueError("baseline must be longer than window")
        return self


class SourceSilentRule(_RuleBase):
    type: Literal["source_silent"]
    silent_for: PositiveDuration = Field(default=parse_duration("24h"))
    sources: list[str] = Field(default_factory=list, description="empty = every enabled source")
    empty_runs: int = Field(
        2, ge=1, description="crawls in a row that fetched pages but found no post before the source alerts"
    )


Rule = Annotated[
    NegativeSpikeRule
    | VolumeSpikeRule
    | CrisisKeywordsRule
    | InfluentialAuthorRule
    | RatingDropRule
    | SourceSilentRule,
    Field(discriminator="type"),
]


class Alerts(StrictModel):
    kibana_url: str | None = Field(None, description="base URL for Discover links in alert emails")
    kibana_data_view: str = Field("veille-mentions", description="id of the Kibana data view of mentions")
    rules: list[Rule] = Field(default_factory=list)

    @field_validator("kibana_url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("expected an http:// or https:// URL")
        return value.rstrip("/") if value else value

    @model_validator(mode="after")
    def _unique_names(self) -> Alerts:
        names = [rule.name for rule in self.rules]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"rule names must be unique; repeated: {duplicates}")
        return self
