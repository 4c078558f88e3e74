"""The ``veille`` command line: one click group, commands registered from ``veille.commands``.

Every ``VeilleError`` that escapes a command is printed as one clear line on stderr and turned
into its exit code (2 for configuration errors), never a traceback.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import click

from core.errors import VeilleError
from core.logsetup import setup_logging
from veille.commands import COMMAND_MODULES


class VeilleGroup(click.Group):
    """Translate Veille's errors into messages and exit codes at the CLI boundary."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except VeilleError as exc:
            # One line, as click prints its own errors, and the error's exit code.
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=VeilleGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="VEILLE_CONFIG",
    help="config file (default: ./config.yaml, else the shipped one)",
)
@click.option("-v", "--verbose", count=True, help="more logging (-vv for debug)")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: int) -> None:
    """Veille: brand e-reputation monitoring (forums, blogs, reviews, feeds -> Elasticsearch -> alerts)."""
    setup_logging(logging.WARNING - 10 * verbose)
    ctx.obj = {"config_path": config_path}


for _name in COMMAND_MODULES:
    importlib.import_module(f"veille.commands.{_name}").register(cli)


def main() -> None:
    cli(prog_name="veille")


if __name__ == "__main__":
    main()
