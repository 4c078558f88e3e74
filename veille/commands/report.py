"""``veille report``: the monthly or weekly management report (HTML that prints, or PDF)."""

from __future__ import annotations

from pathlib import Path

import click

from veille.commands.common import loaded_config


@click.command("report")
@click.option("--period", required=True, help="a month (2026-11) or an ISO week (2026-W47)")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help=".html (prints cleanly) or .pdf (through headless Chromium)",
)
@click.pass_context
def report(ctx: click.Context, period: str, output: Path) -> None:
    """Write the report: volume, sentiment, share of voice, topics, sources, incidents, response times."""
    from alerts.report import parse_period, write_report

    loaded = loaded_config(ctx)
    span = parse_period(period, loaded.config.tz)
    path = write_report(loaded, span, output)
    click.echo(f"report for {span.label} written to {path}")


def register(cli: click.Group) -> None:
    cli.add_command(report)
