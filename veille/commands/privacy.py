"""``veille forget`` (erasure on request) and ``veille prune`` (apply the retention period now)."""

from __future__ import annotations

import click

from veille.commands.common import loaded_config


@click.command("forget")
@click.option("--author", metavar="NAME", help="erase every mention by this author (exact name)")
@click.option("--source", metavar="S", help="with --author: only on this source")
@click.option("--url", metavar="URL", help="erase the mention(s) at this URL (post or thread)")
@click.pass_context
def forget_command(ctx: click.Context, author: str | None, source: str | None, url: str | None) -> None:
    """Erase a person's mentions (GDPR erasure request) from Elasticsearch, the spool, unsent
    emails and the stored copies of sent ones."""
    from veille.wiring import open_index

    if (author is None) == (url is None):
        raise click.UsageError("give either --author NAME or --url URL")
    if source is not None and author is None:
        raise click.UsageError("--source goes with --author")
    from veille.privacy import forget

    loaded = loaded_config(ctx)
    handle = open_index(loaded, setup=False)
    try:
        erased = forget(loaded, handle.es, author=author, source=source, url=url)
    finally:
        handle.close()
    click.echo(f"erased: {erased}")
    delivered = erased.counts.get("copies of sent emails deleted", 0)
    if delivered:
        click.echo(
            f"note: {delivered} email(s) quoting them had already been delivered; their stored copies are "
            "deleted, but they cannot be recalled from the recipients' mailboxes"
        )


@click.command("prune")
@click.pass_context
def prune_command(ctx: click.Context) -> None:
    """Delete what is older than privacy.retention now (``veille run`` does it daily)."""
    from veille.privacy import apply_retention
    from veille.wiring import open_index

    loaded = loaded_config(ctx)
    if loaded.config.privacy.retention is None:
        click.echo("privacy.retention is not set: everything is kept")
        return
    handle = open_index(loaded, setup=False)
    try:
        erased = apply_retention(loaded, handle.es)
    finally:
        handle.close()
    click.echo(f"retention {loaded.config.privacy.retention}: {erased}")


def register(cli: click.Group) -> None:
    cli.add_command(forget_command)
    cli.add_command(prune_command)
