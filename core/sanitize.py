"""The one sanitising boundary for text that comes from outside (feeds, pages, imports, config).

- ``clean_text``: what is stored. Lone surrogates become U+FFFD (they cannot be encoded, so one
  would break JSON, SQLite and Elasticsearch later); terminal escape sequences, C0/C1 control
  characters and DEL are dropped; ``\\r\\n`` and ``\\r`` become ``\\n``. Tabs and newlines stay.
- ``for_terminal``: what is printed. ``clean_text`` plus newlines and tabs folded to spaces, so a
  mention can neither clear a screen nor forge a line of output.
- ``check_published``: a publication date outside [1990-01-01, now + 1 day] is refused with a
  reason (a year 9999 would create an index ``*-mentions-9999.12`` that breaks every search).
- ``find_surrogate`` and ``decode_utf8``: used where an item must be refused whole, with its reason.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)  # clocks and time zones of the sites we read may be ahead

# ESC [ ... final (CSI), ESC ] ... BEL or ESC \ (OSC), ESC P/X/^/_ ... ESC \ (DCS, SOS, PM, APC),
# then any two-character ESC sequence; their content would otherwise be left behind as text.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n?")
_BREAKS = re.compile(r"[\n\t\u2028\u2029\x85]+")


def clean_text(value: str) -> str:
    """``value`` safe to store (see the module docstring); the same string when already clean."""
    if value.isascii() and value.isprintable():
        return value  # the common case, kept fast
    value = _SURROGATES.sub("\ufffd", value)
    value = _ESCAPES.sub("", value)
    value = _NEWLINES.sub("\n", value)
    return _CONTROLS.sub("", value)


def for_terminal(value: str) -> str:
    """``value`` safe to print on one line of a terminal."""
    return _BREAKS.sub(" ", clean_text(value))


def find_surrogate(value: Any, path: str = "") -> str | None:
    """The path of the first string holding a lone surrogate in a JSON-like value, else None."""
    if isinstance(value, str):
        return (path or "(value)") if _SURROGATES.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = find_surrogate(key, path) or find_surrogate(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = find_surrogate(item, f"{path}[{index}]")
            if found:
                return found
    return None


def decode_utf8(data: bytes) -> str:
    """Strict UTF-8; the ValueError names the first bad byte (often Latin-1 text) instead of
    silently replacing it."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1]
        guess = f", {bad.decode('latin-1')!r} in Latin-1?" if bad and bad[0] >= 0xA0 else ""
        raise ValueError(f"not UTF-8: byte 0x{bad.hex()} at column {exc.start + 1}{guess}") from exc


def check_published(value: datetime, now: datetime | None = None) -> datetime:
    """``value`` if plausible for a publication date, else ValueError with the reason."""
    latest = (now or datetime.now(UTC)) + FUTURE_SLACK
    if value < EARLIEST or value > latest:
        raise ValueError(
            f"publication date {value.isoformat()} is outside [{EARLIEST:%Y-%m-%d}, now + 1 day]"
        )
    return value


def plausible_published(value: datetime | None, now: datetime | None = None) -> tuple[datetime | None, str]:
    """(value, "") when plausible; (None, reason) when not: callers treat it as an unknown date."""
    if value is None:
        return None, ""
    try:
        return check_published(value, now), ""
    except ValueError as exc:
        return None, str(exc)


_CHARREF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _xml_char_ok(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def neutralise_charrefs(body: bytes) -> tuple[bytes, int]:
    """Replace character references XML forbids (``&#xD800;``, ``&#0;``...) by ``&#xFFFD;``.

    feedparser's loose parser raises on a surrogate reference, which would lose the whole feed;
    this keeps every entry and costs one character. Returns the body and the count replaced."""
    count = 0

    def fix(match: re.Match[bytes]) -> bytes:
        nonlocal count
        code = int(match[1], 16) if match[1] else int(match[2])
        if _xml_char_ok(code):
            return match[0]
        count += 1
        return b"&#xFFFD;"

    return _CHARREF.sub(fix, body), count
