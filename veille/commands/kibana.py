"""``veille kibana export`` (saved objects as NDJSON) and ``veille kibana import`` (into Kibana)."""

from __future__ import annotations

from pathlib import Path

import click

from veille.commands.common import loaded_config


@click.group("kibana")
def kibana_group() -> None:
    """Kibana saved objects: a data view on the mentions alias, saved searches, a dashboard."""


@kibana_group.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="file to write, like FILE (default: standard output)",
)
@click.pass_context
def export(ctx: click.Context, file: Path | None, output: Path | None) -> None:
    """Write the saved objects for this config (index prefix, brands, crisis words) as NDJSON to
    FILE (or -o FILE; default: standard output)."""
    from veille.kibana import build_saved_objects, to_ndjson

    if file is not None and output is not None and file != output:
        raise click.UsageError("give the file once: FILE or -o FILE")
    output = output or file
    objects = build_saved_objects(loaded_config(ctx).config)
    text = to_ndjson(objects)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"{output}: {len(objects)} saved object(s)", err=True)


@kibana_group.command("import")
@click.option(
    "--url", envvar="KIBANA_URL", help="Kibana's base URL (default: $KIBANA_URL, else alerts.kibana_url)"
)
@click.option("--space", help="Kibana space to import into (default: the default space)")
@click.option(
    "--file",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="NDJSON to import (default: the objects built from this config)",
)
@click.pass_context
def import_(ctx: click.Context, url: str | None, space: str | None, file: Path | None) -> None:
    """Import (overwrite) the saved objects; credentials from KIBANA_API_KEY or KIBANA_USERNAME/PASSWORD."""
    from veille.kibana import build_saved_objects, import_saved_objects, to_ndjson

    config = loaded_config(ctx).config
    url = url or config.alerts.kibana_url
    if not url:
        raise click.UsageError("give Kibana's URL with --url (or KIBANA_URL, or alerts.kibana_url in config)")
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url!r}: expected an http:// or https:// URL", param_hint="--url")
    ndjson = file.read_text(encoding="utf-8") if file else to_ndjson(build_saved_objects(config))
    result = import_saved_objects(url, ndjson, space=space)
    click.echo(f"imported {result.success_count} saved object(s) into Kibana (existing ones overwritten)")


def register(cli: click.Group) -> None:
    cli.add_command(kibana_group)
