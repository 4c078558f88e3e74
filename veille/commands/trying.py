"""``veille try URL``: show what would be extracted from one page, before adding it as a source."""

from __future__ import annotations

from typing import get_args

import click

from core.config.sources import Preset


@click.command("try")
@click.argument("url")
@click.option("--kind", type=click.Choice(["forum", "blog", "review", "news"]), default="forum")
@click.option(
    "--preset",
    type=click.Choice(list(get_args(Preset))),  # every preset config.yaml accepts
    default="auto",
    show_default=True,
)
@click.option("--tz", default="Europe/Paris", show_default=True, help="the site's timezone")
def try_url(url: str, kind: str, preset: str, tz: str) -> None:
    """Fetch URL once and print each item found: layer, author, date, rating, anchor, text start.

    Exit code 1 when nothing is found (no silent zero), 2 when the page cannot be fetched.
    """
    from crawlers.http import FetchError
    from crawlers.trypage import describe, extract_url

    try:
        result, note = extract_url(url, kind=kind, tz=tz, preset=preset)
    except FetchError as exc:
        raise click.ClickException(f"{url}: {exc.reason}") from exc
    click.echo(describe(result, note, tz))
    if not result.mentions:
        raise SystemExit(1)


def register(cli: click.Group) -> None:
    cli.add_command(try_url)
