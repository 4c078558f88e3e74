"""Helpers shared by command modules: loading the config named on the command line."""

from __future__ import annotations

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
