"""``veille es start|stop|status``: the local single-node Elasticsearch."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from veille.commands.common import loaded_config

if TYPE_CHECKING:
    from veille.services.es_node import LocalNode


def _node(ctx: click.Context, port: int | None) -> LocalNode:
    from veille.services.es_node import LocalNode

    return LocalNode.from_config(loaded_config(ctx).config.elasticsearch.local, port=port)


@click.group("es")
def es_group() -> None:
    """Manage the local Elasticsearch node (downloaded from Maven Central on first start)."""


@es_group.command("start")
@click.option("--port", type=int, help="HTTP port (default: elasticsearch.local.port)")
@click.pass_context
def start(ctx: click.Context, port: int | None) -> None:
    """Start the node (no-op if it runs already) and print its URL."""
    status = _node(ctx, port).start()
    click.echo(f"Elasticsearch {status.version} is up ({status.health}) at {status.url}")
    click.echo(status.url)


@es_group.command("stop")
@click.option("--port", type=int)
@click.pass_context
def stop(ctx: click.Context, port: int | None) -> None:
    """Stop the node."""
    node = _node(ctx, port)
    click.echo(
        f"stopped Elasticsearch at {node.url}" if node.stop() else f"no node was running at {node.url}"
    )


@es_group.command("status")
@click.option("--port", type=int)
@click.pass_context
def status(ctx: click.Context, port: int | None) -> None:
    """Say whether the node runs; exit 1 if it does not."""
    current = _node(ctx, port).status()
    if current.running:
        click.echo(
            f"running: Elasticsearch {current.version} ({current.health}) at {current.url}, pid {current.pid}"
        )
    else:
        click.echo(f"not running at {current.url}: {current.detail}")
        ctx.exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(es_group)
