"""The ``alerts`` section: rules, one entry per rule, its ``type`` choosing the rule class.

The parameters of each type are validated here; the behaviour lives in ``alerts/rules/``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from core.config.common import Duration, StrictModel


class _RuleBase(StrictModel):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    enabled: bool = True
    brands: list[str] = Field(default_factory=list, description="empty = every brand")
    realert: Duration = Field(default="2h", description="cool-down before the same key alerts again")
    recipients: list[str] = Field(default_factory=list, description="empty = notifications.email.to")


class SpikeRuleConfig(_RuleBase):
    window: Duration = Field(default="1h", description="the current window")
    baseline_windows: int = Field(24, ge=1, le=24 * 14, description="previous windows averaged")
    baseline_weeks: int = Field(2, ge=0, le=8, description="same hour of previous weeks also averaged")
    min_count: int = Field(5, ge=1, description="never fire below this many mentions in the window")
    ratio: float = Field(3.0, gt=1, description="current / baseline that makes a spike")
    escalate_ratio: float = Field(1.5, gt=1, description="growth over the last alert that escalates")


class NegativeSpikeRule(SpikeRuleConfig):
    type: Literal["negative_spike"]
    min_negative_share: float = Field(0.3, ge=0, le=1, description="negative / all in the window")


class VolumeSpikeRule(SpikeRuleConfig):
    type: Literal["volume_spike"]


class CrisisKeywordsRule(_RuleBase):
    type: Literal["crisis_keywords"]
    keywords: list[str] = Field(min_length=1)
    window: Duration = Field(default="15m")
    min_count: int = Field(1, ge=1)


class InfluentialAuthorRule(_RuleBase):
    type: Literal["influential_author"]
    min_influence: float = Field(60, ge=0, le=100)
    window: Duration = Field(default="1h")


class RatingDropRule(_RuleBase):
    type: Literal["rating_drop"]
    window: Duration = Field(default="7d")
    baseline: Duration = Field(default="90d")
    min_reviews: int = Field(5, ge=1)
    drop: float = Field(0.15, gt=0, le=1, description="fall of the normalised 0..1 average")


class SourceSilentRule(_RuleBase):
    type: Literal["source_silent"]
    silent_for: Duration = Field(default="24h")
    sources: list[str] = Field(default_factory=list, description="empty = every enabled source")


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
    rules: list[Rule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> Alerts:
        names = [rule.name for rule in self.rules]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"rule names must be unique; repeated: {duplicates}")
        return self
