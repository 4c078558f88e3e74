"""``veille spool status|requeue``: what waits between collection and processing, and what was parked."""

from __future__ import annotations

import click

from veille.commands.common import loaded_config


@click.group("spool")
def spool_group() -> None:
    """Inspect the durable queue between collection and processing."""


@spool_group.command("status")
@click.option("--limit", default=20, show_default=True, help="parked mentions to list")
@click.pass_context
def status(ctx: click.Context, limit: int) -> None:
    """Mentions waiting, in progress, and parked after repeated failures (with the reason)."""
    from core.spool import Spool

    loaded = loaded_config(ctx)
    with Spool(loaded.spool_path) as spool:
        stats = spool.stats()
        dead = spool.dead_letters(limit)
    click.echo(f"{loaded.spool_path}: {stats.ready} waiting, {stats.leased} in progress, {stats.dead} parked")
    for mention_id, reason in dead:
        click.echo(f"  parked {mention_id}: {reason}")


@spool_group.command("requeue")
@click.pass_context
def requeue(ctx: click.Context) -> None:
    """Give every parked mention another chance (after fixing what rejected it)."""
    from core.spool import Spool

    with Spool(loaded_config(ctx).spool_path) as spool:
        count = spool.requeue_dead()
    click.echo(f"{count} parked mention(s) are waiting again")


def register(cli: click.Group) -> None:
    cli.add_command(spool_group)
