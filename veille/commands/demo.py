"""``veille demo``: the one-command first run (see veille/demo.py), then the web workspace."""

from __future__ import annotations

import sys

import click

from veille.commands.common import loaded_config
from veille.demo_web.config import DEMO_PORT


@click.command("demo")
@click.option("--demo-port", default=DEMO_PORT, show_default=True, help="port of the bundled demo web")
@click.option(
    "--serve/--no-serve",
    default=None,
    help="keep the web workspace running after the cycle (default: when run from a terminal)",
)
@click.pass_context
def demo(ctx: click.Context, demo_port: int, serve: bool | None) -> None:
    """Start ES and the demo web, run poll, crawl, process, alerts and the digest preview once,
    then open the web workspace (its address and a login are printed)."""
    from rich.console import Console

    from veille.demo import run_demo
    from veille.web.server import demo_login
    from veille.web.server import serve as serve_web

    loaded = loaded_config(ctx)
    console = Console()
    report = run_demo(loaded, console, demo_port=demo_port)
    if report.failures:
        ctx.exit(1)
    web = loaded.config.web
    name, password = demo_login(loaded)
    address = f"http://{web.host}:{web.port}"
    console.print(f"Web workspace: {address}  login: {name}  password: {password}")
    if serve if serve is not None else sys.stdin.isatty():
        console.print("Serving the workspace; Ctrl+C to stop.")
        serve_web(loaded, web.host, web.port)
    else:
        console.print(f"Start it with:  .venv/bin/veille web   (then open {address})")


def register(cli: click.Group) -> None:
    cli.add_command(demo)
