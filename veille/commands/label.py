"""``veille label``: correct a mention's sentiment by hand, or export every correction for training."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from pathlib import Path

import click

from veille.commands.common import loaded_config

LABELS = ("positive", "neutral", "negative")  # index.workflow.LABELS, without importing ES at --help


@click.command("label")
@click.argument("mention_id", required=False)
@click.argument("label", required=False, type=click.Choice(LABELS))
@click.option("--brand", help="the verdict is towards this brand (default: the whole text)")
@click.option(
    "--export",
    "export_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="write every correction to this JSON lines file (text, label, lang, brand) and exit",
)
@click.pass_context
def label(
    ctx: click.Context, mention_id: str | None, label: str | None, brand: str | None, export_path: Path | None
) -> None:
    """Set the sentiment of MENTION_ID to LABEL (positive, neutral or negative).

    The verdict is kept across re-crawls and re-enrichment, and alerts and the digest count it.
    """
    from index.workflow import Workflow
    from veille.wiring import open_index

    loaded = loaded_config(ctx)
    handle = open_index(loaded, setup=export_path is None)
    workflow = Workflow(handle.es, handle.names)
    try:
        if export_path is not None:
            count = 0
            with export_path.open("w", encoding="utf-8") as out:
                for row in workflow.corrections():
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    count += 1
            click.echo(f"{count} correction(s) written to {export_path}")
            return
        if not mention_id or not label:
            raise click.UsageError("give MENTION_ID and LABEL, or --export FILE")
        if brand is not None and brand not in [b.name for b in loaded.config.brands]:
            raise click.BadParameter(f"unknown brand {brand!r}", param_hint="--brand")
        try:
            doc = workflow.correct(
                mention_id, label, brand=brand, by=f"cli:{getpass.getuser()}", when=datetime.now(UTC)
            )
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from exc
        if doc is None:
            click.echo(f"no mention with id {mention_id}", err=True)
            ctx.exit(1)
        target = f"towards {brand}" if brand else "overall"
        click.echo(f"mention {mention_id}: sentiment {target} set to {label}")
    finally:
        handle.close()


def register(cli: click.Group) -> None:
    cli.add_command(label)
