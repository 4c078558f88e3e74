"""The ``privacy`` section (GDPR): how long data is kept, and whether authors are named at all."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import datetime, timedelta

from pydantic import Field, field_validator

from core.config.common import EnvVarName, StrictModel

_PERIOD = re.compile(
    r"^\s*(\d+)\s*(months?|mois|years?|ans?|weeks?|semaines?|w|days?|jours?|d)\s*$", re.IGNORECASE
)


def parse_period(text: str) -> tuple[int, int]:
    """``"13 months"`` -> (13, 0); ``"2 years"`` -> (24, 0); ``"400d"`` -> (0, 400): (months, days)."""
    match = _PERIOD.match(text)
    if not match:
        raise ValueError("expected a period such as '13 months', '1 year', '26 weeks' or '400 days'")
    amount, unit = int(match[1]), match[2].lower()
    if amount <= 0:
        raise ValueError("must be more than 0")
    if unit.startswith(("month", "mois")):
        return amount, 0
    if unit.startswith(("year", "an")):
        return amount * 12, 0
    if unit.startswith(("week", "semaine")) or unit == "w":
        return 0, amount * 7
    return 0, amount


def subtract_period(moment: datetime, text: str) -> datetime:
    """``moment`` minus the period, calendar months included (31 March - 1 month = 28/29 Feb)."""
    months, days = parse_period(text)
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day) - timedelta(days=days)


class Privacy(StrictModel):
    retention: str | None = Field(
        None, description="e.g. '13 months': older mentions, emails and state are deleted; null = kept"
    )
    pseudonymise_authors: bool = Field(
        False, description="replace author names by a keyed hash before anything is indexed"
    )
    pseudonym_key_env: EnvVarName = Field(
        "VEILLE_PSEUDONYM_KEY", description="environment variable holding the hash key (keep it secret)"
    )

    @field_validator("retention")
    @classmethod
    def _period(cls, value: str | None) -> str | None:
        if value is not None:
            parse_period(value)
        return value
