"""Jinja2 for the workspace pages: autoescaped, tolerant of missing document fields, French formatting."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape

from alerts import wording

LABEL_FR = {"negative": "négatif", "neutral": "neutre", "positive": "positif", None: "-"}
KIND_FR = {"forum": "forum", "blog": "blog", "review": "avis", "news": "presse", "feed": "flux"}


def _when(value: str | datetime | None, tz: ZoneInfo) -> str:
    if not value:
        return "-"
    when = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    return wording.local_time(when, tz)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("veille.web", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        # Stored documents may lack optional fields (older mappings, partial imports): a missing
        # field renders empty instead of failing the page.
        undefined=ChainableUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["age"] = wording.age
    env.filters["duration"] = wording.duration
    env.filters["percent"] = wording.percent
    env.filters["label_fr"] = lambda v: LABEL_FR.get(v, v)
    env.filters["kind_fr"] = lambda v: KIND_FR.get(v, v)
    return env


def render(name: str, tz: ZoneInfo, **context: Any) -> str:
    return environment().get_template(name).render(when=lambda v: _when(v, tz), **context)
