"""French wording helpers shared by rule summaries and emails: numbers, durations, dates."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def number(value: float, decimals: int = 1) -> str:
    """``7.0`` -> ``"7,0"``; integers stay integers (``12`` -> ``"12"``)."""
    if float(value).is_integer() and decimals <= 1:
        return str(int(value))
    return f"{value:.{decimals}f}".replace(".", ",")


def percent(share: float | None) -> str:
    return "-" if share is None else f"{round(share * 100)} %"


def duration(value: timedelta) -> str:
    """``1 h``, ``15 min``, ``7 j``, ``1 h 30``."""
    minutes = int(value.total_seconds() // 60)
    if minutes >= 2 * 24 * 60 and minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)} j"
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest:02d}"
    if hours:
        return f"{hours} h"
    return f"{rest} min"


def age(value: timedelta) -> str:
    """An age such as ``3 h 05`` or ``2 j 4 h``."""
    minutes = max(0, int(value.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} j {hours} h"
    if hours:
        return f"{hours} h {mins:02d}"
    return f"{mins} min"


def local_time(when: datetime, tz: ZoneInfo) -> str:
    """``20/11 à 14h05`` in the team's timezone."""
    local = when.astimezone(tz)
    return f"{local:%d/%m} à {local:%H}h{local:%M}"


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    word = singular if abs(count) < 2 else (plural_form or singular + "s")
    return f"{number(count)} {word}"
