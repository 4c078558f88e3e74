"""``veille demo``: the one-command first run (see veille/demo.py)."""

from __future__ import annotations

import click

from veille.commands.common import loaded_config
from veille.demo_web.config import DEMO_PORT


@click.command("demo")
@click.option("--demo-port", default=DEMO_PORT, show_default=True, help="port of the bundled demo web")
@click.pass_context
def demo(ctx: click.Context, demo_port: int) -> None:
    """Start ES and the demo web, run poll, crawl, process, alerts and the digest preview once."""
    from rich.console import Console

    from veille.demo import run_demo

    report = run_demo(loaded_config(ctx), Console(), demo_port=demo_port)
    if report.failures:
        ctx.exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(demo)
