"""Building blocks shared by every config section: strict models, durations, clock times."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer

# Keys that would hold a secret in clear; the file must name an environment variable instead.
SECRET_KEYS = frozenset({"password", "passwd", "api_key", "apikey", "token", "secret"})


class StrictModel(BaseModel):
    """Every config section: unknown keys are rejected at every level."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


# English and French units: 7d = 7j (jours), 2w = 2sem (semaines), 3h, 30min = 30mn.
_UNIT_SECONDS = {
    **dict.fromkeys(["s", "sec"], 1),
    **dict.fromkeys(["m", "min", "mn"], 60),
    **dict.fromkeys(["h"], 3600),
    **dict.fromkeys(["d", "j"], 86400),
    **dict.fromkeys(["w", "sem"], 604800),
}
_DURATION = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(" + "|".join(sorted(_UNIT_SECONDS, key=len, reverse=True)) + r")\s*$",
    re.IGNORECASE,
)


def parse_duration(value: Any) -> timedelta:
    """``"90s"``, ``"5m"``, ``"24h"``, ``"7d"`` (or ``"7j"``), ``"2w"`` (or ``"2sem"``), or seconds."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a duration such as '5m', '24h' or '7d'")
    if isinstance(value, int | float):
        return timedelta(seconds=value)
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            amount, unit = match.groups()
            return timedelta(seconds=float(amount) * _UNIT_SECONDS[unit.lower()])
    raise ValueError("expected a duration such as '90s', '5m', '24h' or '7d' (or '7j')")


def format_duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def parse_clock(value: Any) -> time:
    """``"08:00"`` (local time of the configured timezone)."""
    if isinstance(value, time):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        hours, minutes = (int(x) for x in value.strip().split(":"))
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise ValueError("expected a local time as 'HH:MM', e.g. '08:00'")


Duration = Annotated[
    timedelta, BeforeValidator(parse_duration), PlainSerializer(format_duration, return_type=str)
]


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("must be more than 0 (a zero interval would run without pause)")
    return value


# Intervals, timeouts, windows and cool-downs: zero would mean a busy loop or no cool-down at all.
PositiveDuration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    AfterValidator(_positive),
    PlainSerializer(format_duration, return_type=str),
]
ClockTime = Annotated[time, BeforeValidator(parse_clock), PlainSerializer(lambda t: t.strftime("%H:%M"))]


def _env_name(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        raise ValueError("expected the NAME of an environment variable, e.g. SMTP_PASSWORD")
    return value


EnvVarName = Annotated[str, BeforeValidator(_env_name)]


def check_addresses(value: list[str]) -> list[str]:
    """Email addresses (something@somewhere, no spaces); the error lists the bad ones."""
    bad = [address for address in value if "@" not in address or any(c.isspace() for c in address)]
    if bad:
        raise ValueError(f"not an email address: {bad}")
    return value


EmailAddresses = Annotated[list[str], AfterValidator(check_addresses)]
