"""Helpers shared by command modules: the config named on the command line, brand names and
start times as users type them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from core.config import LoadedConfig


def loaded_config(ctx: click.Context) -> LoadedConfig:
    """The config of this invocation, loaded once and cached on the click context."""
    from core.config import load_config

    root = ctx.find_root()
    if "loaded" not in root.obj:
        root.obj["loaded"] = load_config(root.obj.get("config_path"))
    return root.obj["loaded"]


def resolve_brand(loaded: LoadedConfig, name: str, option: str = "--brand") -> str:
    """The configured brand ``name`` designates, whatever its case and accents ("cafes lantier").

    An unknown name is a usage error listing the valid ones.
    """
    from core.text import fold

    wanted = fold(" ".join(name.split()))
    for brand in loaded.config.brands:
        if wanted in {fold(n) for n in brand.names}:
            return brand.name
    known = ", ".join(repr(b.name) for b in loaded.config.brands) or "none configured"
    raise click.BadParameter(f"unknown brand {name!r}; the configured brands are {known}", param_hint=option)


def parse_since(value: str, tz: tzinfo = UTC, option: str = "--since") -> datetime:
    """A start time: an ISO date (local ``tz`` when it has no offset) or a duration back from now
    (``24h``, ``7d``, ``7j``...)."""
    from core.config.common import parse_duration

    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value.strip()):
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise click.BadParameter(f"{value!r}: not a valid ISO date", param_hint=option) from exc
        return when if when.tzinfo else when.replace(tzinfo=tz)
    try:
        return datetime.now(UTC) - parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r}: expected a duration such as 24h, 7d (or 7j), or an ISO date", param_hint=option
        ) from exc
