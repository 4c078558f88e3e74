"""Rule types, registered by name: the ``type:`` of a rule in config.yaml picks its class here.

To add a type: write a ``RuleType`` subclass (see ``base.py`` for the contract), add its config
model to ``core/config/alerts.py`` and register the class in ``RULE_TYPES`` below.
"""

from __future__ import annotations

from alerts.rules.author import InfluentialAuthor
from alerts.rules.base import Finding, RuleContext, RuleType
from alerts.rules.keywords import CrisisKeywords
from alerts.rules.rating import RatingDrop
from alerts.rules.silent import SourceSilent
from alerts.rules.spike import NegativeSpike, VolumeSpike
from core.config.alerts import Rule

RULE_TYPES: dict[str, type[RuleType]] = {
    cls.type_name: cls
    for cls in (NegativeSpike, VolumeSpike, CrisisKeywords, InfluentialAuthor, RatingDrop, SourceSilent)
}


def build_rule(config: Rule, context: RuleContext) -> RuleType:
    """The rule object for one validated rule config."""
    return RULE_TYPES[config.type](config, context)


__all__ = ["RULE_TYPES", "Finding", "RuleContext", "RuleType", "build_rule"]
