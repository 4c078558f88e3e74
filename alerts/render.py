"""Jinja2 rendering of emails: HTML templates autoescaped (mention text may hold HTML or script),
plain-text templates not (nothing there is interpreted)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined

from alerts import wording


def _is_html(name: str | None) -> bool:
    return name is not None and name.endswith((".html", ".html.j2"))


def _when(value: str | datetime | None, tz: ZoneInfo) -> str:
    if value is None:
        return "-"
    when = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    return wording.local_time(when, tz)


def _safe_url(value: str | None) -> str:
    """Only http(s) links are made clickable: a ``javascript:`` URL in a mention stays inert."""
    return value if value and value.startswith(("http://", "https://")) else "#"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("alerts", "templates"),
        autoescape=_is_html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = wording.number
    env.filters["percent"] = wording.percent
    env.filters["duration"] = wording.duration
    env.filters["age"] = wording.age
    env.filters["safe_url"] = _safe_url
    return env


def render(name: str, tz: ZoneInfo, **context: Any) -> str:
    template = environment().get_template(name)
    return template.render(when=lambda value: _when(value, tz), **context)
