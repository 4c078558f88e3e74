"""``veille import`` (load mentions from JSON lines) and ``veille search`` (query what is indexed)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from veille.commands.common import loaded_config, parse_since, resolve_brand

if TYPE_CHECKING:
    from core.mention import Mention

IMPORT_BATCH = 2000


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_mentions(ctx: click.Context, file: Path) -> None:
    """Index the Mentions of FILE (JSON lines). Bad lines are named and skipped; exit 1 if any."""
    from core.jsonl import BadLine, read_mentions
    from index.indexer import IndexReport
    from veille.privacy import pseudonymiser
    from veille.wiring import open_index

    loaded = loaded_config(ctx)
    handle = open_index(loaded)
    indexer = handle.indexer(refresh=True)
    hide_authors = pseudonymiser(loaded)
    report, bad, batch = IndexReport(), [], []
    for item in read_mentions(file):
        if isinstance(item, BadLine):
            bad.append(item)
            click.echo(f"{file}: {item}", err=True)
            continue
        batch.append(hide_authors([item])[0] if hide_authors else item)
        if len(batch) >= IMPORT_BATCH:
            report.merge(indexer.index(batch))
            batch = []
    report.merge(indexer.index(batch))
    for doc_id, reason in report.failed.items():
        click.echo(f"{file}: mention {doc_id} rejected by Elasticsearch: {reason}", err=True)
    click.echo(
        f"{file}: {report.indexed} mention(s) indexed ({report.created} new, {report.updated} updated, "
        f"{report.unchanged} unchanged), {len(bad)} bad line(s), {len(report.failed)} rejected"
    )
    if bad or report.failed:
        ctx.exit(1)


@click.command("search")
@click.argument("query", required=False)
@click.option("--brand", help="only mentions of this brand")
@click.option("--sentiment", type=click.Choice(["positive", "neutral", "negative"]), help="towards the brand")
@click.option("--since", help="24h, 7d (or 7j)… or an ISO date")
@click.option("--source", "source_kind", type=click.Choice(["forum", "blog", "review", "news", "feed"]))
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="one JSON document per line")
@click.pass_context
def search(
    ctx: click.Context,
    query: str | None,
    brand: str | None,
    sentiment: str | None,
    since: str | None,
    source_kind: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Search indexed mentions, newest first (QUERY uses simple query syntax: "panne box" -fibre)."""
    from core.mention import Mention
    from core.sanitize import for_terminal
    from index.queries import MentionFilter
    from veille.wiring import open_index

    loaded = loaded_config(ctx)
    if brand is not None:
        brand = resolve_brand(loaded, brand)
    handle = open_index(loaded, setup=False)
    flt = MentionFilter(
        brand=brand,
        sentiment=sentiment,
        since=parse_since(since, loaded.config.tz) if since else None,
        source_kind=source_kind,
        query=query,
    )
    total = handle.queries.count(flt)
    hits = handle.queries.matching(flt, size=limit)
    if as_json:
        for hit in hits:
            click.echo(json.dumps(hit.source, ensure_ascii=False))
        return
    tz = loaded.config.tz
    click.echo(f"{total} mention(s) match; showing {len(hits)}")
    for hit in hits:
        mention = Mention.from_document(hit.source)
        label = _label(mention, brand)
        published = mention.published_at
        when = published.astimezone(tz).strftime("%d/%m %H:%M") if published else "undated"
        who = for_terminal(mention.author.name or "?")
        # Stored text is already clean; for_terminal also covers documents indexed by older versions.
        click.echo(
            f"{when}  {label:<8} {mention.source.kind:<6} {for_terminal(mention.source.domain):<22} {who:<16}"
        )
        if hit.fragments:
            for fragment in hit.fragments:
                click.echo(f"{'':14}… {_emphasise(fragment)} …")
        else:
            text = for_terminal(mention.snippet or mention.title or mention.text)[:110]
            click.echo(f"{'':14}{text}")
        status = "" if mention.status == "new" else f" [{mention.status}]"
        click.echo(f"{'':14}{mention.id}{status}  {for_terminal(mention.url)}")


def _emphasise(fragment: str) -> str:
    """Elasticsearch's <em> marks as bold on a terminal (plain text, marks removed, in a pipe)."""
    from core.sanitize import for_terminal

    parts = [for_terminal(part) for part in re.split(r"</?em>", " ".join(fragment.split()))]
    return "".join(click.style(part, bold=True) if i % 2 else part for i, part in enumerate(parts))


@click.command("handled")
@click.argument("ids", nargs=-1, required=True)
@click.option("--undo", is_flag=True, help="back to new (waiting for an answer)")
@click.pass_context
def handled(ctx: click.Context, ids: tuple[str, ...], undo: bool) -> None:
    """Mark mentions (by id, as shown by `search --json`) as answered, which stops their response clock."""
    from veille.wiring import open_index

    handle = open_index(loaded_config(ctx), setup=False)
    found = handle.indexer().set_status(
        list(ids), "new" if undo else "handled", None if undo else datetime.now(UTC)
    )
    missing = [doc_id for doc_id, ok in found.items() if not ok]
    click.echo(f"{len(ids) - len(missing)} mention(s) marked {'new' if undo else 'handled'}")
    for doc_id in missing:
        click.echo(f"no mention with id {doc_id}", err=True)
    if missing:
        ctx.exit(1)


def _label(mention: Mention, brand: str | None) -> str:
    for bs in mention.brand_sentiments:
        if brand is None or bs.brand == brand:
            return bs.label
    return mention.sentiment.label if mention.sentiment else "-"


def register(cli: click.Group) -> None:
    cli.add_command(import_mentions)
    cli.add_command(search)
    cli.add_command(handled)
