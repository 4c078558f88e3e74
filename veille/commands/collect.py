"""``veille poll``, ``veille crawl`` (collect once, print a per-source summary) and ``veille demo-sites``.

Mentions found go to the spool; a source that fails is reported on its own line and the others
carry on. Exit codes, so that cron and scripts notice: 1 when a source could not be reached or
read at all, or when the spool could not be written (what was found is collected again next
time); for ``veille crawl``, 3 when a site answered but yielded no item at all (its preset or
profile no longer fits: see ``veille try URL``). A source read in part (a malformed feed read as
far as possible) has its problems printed and does not change the exit code. Posts without a
date or an author are counted per source under the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from veille.commands.common import loaded_config
from veille.demo_web.config import DEMO_PORT

if TYPE_CHECKING:
    from crawlers.summary import SourceSummary

EXIT_NOTHING_FOUND = 3
COLUMNS = ("source", "kind", "fetched", "304", "items", "new", "matched", "skipped", "errors")


def failed(summaries: list[SourceSummary]) -> list[str]:
    """The sources that could not be read at all (an error, and no item nor a 304)."""
    return [s.source for s in summaries if s.errors and not s.items and not s.not_modified]


def _report(ctx: click.Context, summaries: list[SourceSummary], *, empty: int | None = None) -> None:
    """Print the table; exit 1 (a source failed, the spool not written), or ``empty`` when given
    and a source answered but nothing could be read from it (crawl: a profile that no longer fits)."""
    click.echo(format_summary(summaries))
    not_spooled = [s.source for s in summaries if s.spool_failed]
    if not_spooled:
        click.echo(
            f"error: the spool could not be written for {', '.join(not_spooled)}; "
            "their new items will be collected again on the next run",
            err=True,
        )
    names = failed(summaries)
    if names:
        click.echo(f"failed: {', '.join(names)}", err=True)
    if empty is not None and any(s.fetched and not s.items and not s.not_modified for s in summaries):
        unreachable = [s for s in summaries if s.source in names and not s.fetched]
        ctx.exit(1 if not_spooled or unreachable else empty)
    if not_spooled or names:
        ctx.exit(1)


def format_summary(summaries: list[SourceSummary]) -> str:
    """The summary table, then one line per error (each names the source and the URL)."""
    if not summaries:
        return "no source to run (none configured or all disabled)"
    rows = [
        (s.source, s.kind, s.fetched, s.not_modified, s.items, s.new, s.matched, s.skipped, len(s.errors))
        for s in summaries
    ]
    total = ("total", "", *(sum(int(row[i]) for row in rows) for i in range(2, len(COLUMNS))))
    table = [COLUMNS, *rows, total]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(COLUMNS))]

    def line(row: tuple[object, ...]) -> str:
        cells = [
            str(v).ljust(w) if i < 2 else str(v).rjust(w)
            for i, (v, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    out = [line(table[0]), "  ".join("-" * w for w in widths), *(line(r) for r in rows), line(total)]
    gaps = [
        f"  {s.source}: {s.empty_pages} page(s) without any post, {s.undated} item(s) without a date,"
        f" {s.anonymous} without an author"
        for s in summaries
        if s.empty_pages or s.undated or s.anonymous
    ]
    if gaps:
        out += ["", "incomplete items (no silent zero):", *gaps]
    errors = [error for s in summaries for error in s.errors]
    if errors:
        out += ["", f"{len(errors)} error(s):", *(f"  {e}" for e in errors)]
    return "\n".join(out)


@click.command("poll")
@click.option("--source", "source", default=None, metavar="NAME", help="poll only this feed")
@click.pass_context
def poll(ctx: click.Context, source: str | None) -> None:
    """Poll the feeds once; new entries that name a brand go to the spool."""
    from crawlers.feeds.poller import poll_feeds

    _report(ctx, poll_feeds(loaded_config(ctx), source))


@click.command("crawl")
@click.option("--source", "source", default=None, metavar="NAME", help="crawl only this site")
@click.pass_context
def crawl(ctx: click.Context, source: str | None) -> None:
    """Crawl the forums, blogs and review sites once (new or edited posts go to the spool).

    Exit code 1 when a site could not be reached or the spool could not be written; 3 when a site
    answered but no post, comment or review was found on it: its preset or profile no longer fits
    the pages (see ``veille try URL``).
    """
    # Submodules, not the package: under pytest, tests/crawlers/ can shadow the package's __init__.
    from crawlers.crawl import crawl_sites

    _report(ctx, crawl_sites(loaded_config(ctx), source), empty=EXIT_NOTHING_FOUND)


@click.command("demo-sites")
@click.option("--port", default=DEMO_PORT, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--seed", default=7, show_default=True, help="same seed, same story")
def demo_sites(port: int, host: str, seed: int) -> None:
    """Serve the demo web (forum, blog, reviews, news feeds) in the foreground; Ctrl-C stops it."""
    from veille.demo_web import DemoServer

    try:
        server = DemoServer(host, port, seed=seed)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    base = server.base_url
    click.echo(
        f"Demo web on {base}/ : forum {base}/forum/ - blog {base}/blog/ - reviews {base}/avis/ - "
        f"news {base}/news/ (RSS {base}/news/rss.xml). Ctrl-C to stop."
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def register(cli: click.Group) -> None:
    cli.add_command(poll)
    cli.add_command(crawl)
    cli.add_command(demo_sites)
