"""``veille check-config``: validate a config file and say what is wrong, key by key."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("check-config")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def check_config(ctx: click.Context, path: Path | None) -> None:
    """Validate PATH (default: the active config); exit 0 if valid, 2 if not."""
    from core.config import load_config

    loaded = load_config(path or ctx.find_root().obj.get("config_path"))
    config = loaded.config
    sources = config.sources
    click.echo(
        f"{loaded.path}: OK — {len(config.brands)} brand(s), "
        f"{len(sources.feeds)} feed(s), {len(sources.forums)} forum(s), {len(sources.blogs)} blog(s), "
        f"{len(sources.reviews)} review site(s), {len(config.alerts.rules)} alert rule(s)"
    )


def register(cli: click.Group) -> None:
    cli.add_command(check_config)
