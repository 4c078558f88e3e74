"""Dates as sites print them, French and English, absolute and relative, to timezone-aware UTC.

A fast path of regular expressions covers the common forms ("21 nov. 2026 à 14:32", "il y a
3 heures", "hier à 14:32", "Nov 21, 2026 2:32 pm", "2 days ago", ISO 8601, RFC 2822, epoch);
anything else goes to dateparser, which is slow (milliseconds per call) but knows much more.
A date without an offset is read in the site's timezone.
"""

from __future__ import annotations

import logging
import re
import warnings
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from core.sanitize import plausible_published
from core.text import fold

logger = logging.getLogger(__name__)

MONTHS = {
    # French (folded: no accents), full and abbreviated
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "novembre": 11, "decembre": 12,
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    # Italian, Spanish, German: review sites (Amazon .it/.es/.de, Trustpilot) print these
    "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "agosto": 8, "settembre": 9, "ottobre": 10, "dicembre": 12,
    "enero": 1, "febrero": 2, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "septiembre": 9,
    "octubre": 10, "noviembre": 11, "diciembre": 12,
    "januar": 1, "februar": 2, "marz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME = (
    r"(?P<hour>\d{1,2})\s*(?::|h)\s*(?P<minute>\d{2})?(?:\s*min)?(?::(?P<second>\d{2}))?\s*(?P<ampm>am|pm)?"
)
_SEP = r"[\s,]*(?:a|at|-|,)?\s*"

ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:z|[+-]\d{2}:?\d{2})?", re.IGNORECASE
)
RFC2822 = re.compile(
    r"[a-z]{3},\s+\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|[a-z]{1,3})\b"
)
DAY_MONTH_YEAR = re.compile(
    # "3 mars 2023", "12 de agosto de 2022", "3. März 2023"
    rf"(?<!\d)(?P<day>\d{{1,2}})(?:er|st|nd|rd|th|\.)?\s+(?:de\s+)?(?P<month>{_MONTH})(?![a-z])\.?"
    rf"(?:\s+(?:de\s+)?(?P<year>\d{{4}}))?"
    rf"(?:{_SEP}{_TIME})?"
)
MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH})(?![a-z])\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?:{_SEP}{_TIME})?"
)
NUMERIC = re.compile(
    rf"(?<!\d)(?P<a>\d{{1,2}})[/.](?P<b>\d{{1,2}})[/.](?P<year>\d{{4}}|\d{{2}})(?!\d)(?:{_SEP}{_TIME})?"
)
RELATIVE_FR = re.compile(
    r"il y a\s+(?P<n>\d+|une?|quelques)\s+"
    r"(?P<unit>secondes?|sec|minutes?|mins?|heures?|h|jours?|semaines?|mois|ans?)\b"
)
RELATIVE_EN = re.compile(
    r"(?P<n>\d+|an?|one|a few)\s+"
    r"(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b"
)
NAMED_DAY = re.compile(rf"\b(?P<day>avant-hier|hier|aujourd'hui|yesterday|today)\b(?:{_SEP}{_TIME})?")
JUST_NOW = re.compile(r"\b(?:a l'instant|maintenant|just now|now)\b")
EPOCH = re.compile(r"^\d{10}(?:\.\d+)?$")

_UNIT_SECONDS = {
    "s": 1, "m": 60, "h": 3600, "j": 86400, "d": 86400, "w": 604800, "mo": 30 * 86400, "y": 365 * 86400,
}  # fmt: skip
_UNITS = {
    "seconde": "s", "sec": "s", "second": "s", "minute": "m", "min": "m", "heure": "h", "h": "h",
    "hour": "h", "hr": "h", "jour": "j", "day": "d", "semaine": "w", "week": "w", "mois": "mo",
    "month": "mo", "an": "y", "year": "y",
}  # fmt: skip
_NAMED_OFFSET = {"aujourd'hui": 0, "today": 0, "hier": 1, "yesterday": 1, "avant-hier": 2}


def _unit(word: str) -> str:
    base = word if word in _UNITS else word.rstrip("s")
    return _UNITS[base]


def _count(word: str) -> int:
    if word.isdigit():
        return int(word)
    return 3 if word in {"quelques", "a few"} else 1


def _clock(match: re.Match[str]) -> time | None:
    if match.group("hour") is None:
        return None
    hour = int(match.group("hour"))
    minute = int(match.group("minute") or 0)
    second = int(match.group("second") or 0)
    ampm = match.group("ampm")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _local(day: date, clock: time | None, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock or time(0, 0), tzinfo=tz).astimezone(UTC)


def _dated(
    year: int | None, month: int, day: int, match: re.Match[str], tz: ZoneInfo, now: datetime
) -> datetime:
    local_now = now.astimezone(tz)
    guessed = year is None
    year = local_now.year if year is None else (2000 + year if year < 100 else year)
    result = _local(date(year, month, day), _clock(match), tz)
    if guessed and result > now + timedelta(days=1):
        # "21 nov. à 14:32" printed without a year is in the past: last year's, not next month's.
        result = _local(date(year - 1, month, day), _clock(match), tz)
    return result


def _fast(text: str, tz: ZoneInfo, now: datetime, day_first: bool) -> datetime | None:
    raw = text.strip()
    if EPOCH.match(raw):
        return datetime.fromtimestamp(float(raw), UTC)
    lowered = fold(raw)
    if (m := ISO.search(lowered)) is not None:
        parsed = datetime.fromisoformat(m.group(0).upper().replace(" ", "T"))
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)
    if (m := RFC2822.search(lowered)) is not None:
        return parsedate_to_datetime(m.group(0)).astimezone(UTC)
    if (m := RELATIVE_FR.search(lowered) or RELATIVE_EN.search(lowered)) is not None:
        seconds = _count(m.group("n")) * _UNIT_SECONDS[_unit(m.group("unit"))]
        return now - timedelta(seconds=seconds)
    if (m := NAMED_DAY.search(lowered)) is not None:
        day = now.astimezone(tz).date() - timedelta(days=_NAMED_OFFSET[m.group("day")])
        return _local(day, _clock(m), tz)
    if JUST_NOW.search(lowered):
        return now
    if (m := DAY_MONTH_YEAR.search(lowered)) is not None:
        year = int(m.group("year")) if m.group("year") else None
        return _dated(year, MONTHS[m.group("month")], int(m.group("day")), m, tz, now)
    if (m := MONTH_DAY_YEAR.search(lowered)) is not None:
        return _dated(int(m.group("year")), MONTHS[m.group("month")], int(m.group("day")), m, tz, now)
    if (m := NUMERIC.search(lowered)) is not None:
        first, second = int(m.group("a")), int(m.group("b"))
        day_of_month, month = (first, second) if day_first else (second, first)
        return _dated(int(m.group("year")), month, day_of_month, m, tz, now)
    return None


def _slow(text: str, tz: ZoneInfo, now: datetime, languages: list[str]) -> datetime | None:
    import dateparser

    settings = {
        "TIMEZONE": tz.key,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": now.astimezone(tz).replace(tzinfo=None),
    }
    with warnings.catch_warnings():
        # dateparser still calls a few deprecated stdlib/regex APIs; they are its business.
        warnings.simplefilter("ignore")
        parsed = dateparser.parse(text, languages=languages, settings=settings)
    return None if parsed is None else parsed.astimezone(UTC)


def parse_date(
    text: str | None,
    *,
    tz: ZoneInfo | str = "Europe/Paris",
    now: datetime | None = None,
    language: str | None = None,
    slow: bool = True,
) -> datetime | None:
    """The instant ``text`` designates, in UTC; None when it is not a date.

    ``tz`` is the site's timezone (for dates printed without an offset), ``now`` the reference
    for relative dates (default: the current time), ``language`` a hint ("en" reads 11/21/2026
    month first). ``slow=False`` skips the dateparser fallback.
    """
    if not text or not text.strip():
        return None
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    reference = (now or datetime.now(UTC)).astimezone(UTC)
    try:
        result = _fast(text, zone, reference, day_first=language != "en")
    except (ValueError, OverflowError, KeyError):
        result = None  # e.g. "31/02/2026": looked like a date, is not one; let dateparser try
    if result is None and slow:
        result = _slow(text[:200], zone, reference, [language] if language else ["fr", "en"])
    # Year 9999 or 0001 is not a publication date: unknown stays unknown (core/sanitize.py).
    # Against the later of ``now`` and the clock, so a test's fixed "now" never narrows the window.
    checked, reason = plausible_published(result, max(reference, datetime.now(UTC)))
    if reason:
        logger.info("date %r ignored: %s", text[:80], reason)
    return checked
