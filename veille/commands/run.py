"""``veille process``, ``veille run`` (the scheduler) and ``veille status``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from core.errors import IndexUnavailable
from veille.commands.common import loaded_config

if TYPE_CHECKING:
    from crawlers.state import SourceRun


@click.command("process")
@click.option("--max-batches", type=click.IntRange(1), help="stop after this many batches")
@click.pass_context
def process(ctx: click.Context, max_batches: int | None) -> None:
    """Enrich the spooled mentions and index them (exit 1 if Elasticsearch is unavailable)."""
    from veille.jobs.process import process_spool
    from veille.jobs.runtime import Runtime

    runtime = Runtime(loaded_config(ctx))
    try:
        summary = process_spool(runtime.loaded, runtime.enricher, runtime.indexer(), max_batches=max_batches)
    finally:
        runtime.close()
    for doc_id, reason in summary.rejected.items():
        click.echo(f"rejected {doc_id}: {reason}", err=True)
    click.echo(summary.describe())
    if summary.error:
        ctx.exit(1)


@click.command("run")
@click.pass_context
def run(ctx: click.Context) -> None:
    """Run the scheduler until SIGTERM/SIGINT: poll, crawl, process, alerts, digest, housekeeping."""
    from veille.jobs.runtime import Runtime
    from veille.scheduler import VeilleScheduler

    VeilleScheduler(Runtime(loaded_config(ctx))).run_until_stopped()


@click.command("status")
@click.pass_context
def status(ctx: click.Context) -> None:
    """Jobs, the last collection, the spool, what is indexed, alerts sent and email waiting."""
    from datetime import timedelta

    from alerts.outgoing import mail_queue
    from alerts.store import EsAlertStore
    from core.spool import Spool
    from crawlers.state import StateStore, state_path
    from index.client import client_url, connect, ensure_available
    from index.names import IndexNames
    from index.queries import MentionFilter, MentionQueries
    from veille.scheduler import read_jobs

    loaded = loaded_config(ctx)
    tz = loaded.config.tz
    jobs = read_jobs(loaded)
    click.echo("jobs:" if jobs else "jobs: none yet (start `veille run`)")
    for job in jobs:
        nxt = job.next_run.astimezone(tz).strftime("%d/%m %H:%M:%S") if job.next_run else "-"
        state = {True: "ok", False: "FAILED", None: "never run"}[job.last_ok]
        click.echo(
            f"  {job.name:<13} next {nxt:<15} last {job.last_run or '-':<26} {state:<9} {job.detail[:80]}"
        )
    now = datetime.now(UTC)

    def local(when: datetime) -> str:
        return when.astimezone(tz).strftime("%d/%m %H:%M")

    with StateStore(state_path(loaded)) as collected:
        last = collected.last_activity()
        runs = collected.source_runs()
    when = local(datetime.fromtimestamp(last, UTC)) if last else "never (run `veille poll` or `veille crawl`)"
    click.echo(f"last collection: {when}")
    for line in source_run_lines(runs, local):
        click.echo(line)
    with Spool(loaded.spool_path) as spool:
        stats = spool.stats()
    click.echo(
        f"spool: {stats.ready} waiting, {stats.leased} in progress, {stats.dead} parked ({loaded.spool_path})"
    )
    with mail_queue(loaded) as queue:
        mail = queue.stats()
    click.echo(
        f"email: {mail.pending} waiting to be sent, {mail.sent} sent this month (outbox {loaded.outbox_dir})"
    )
    es = connect(loaded.config.elasticsearch)
    names = IndexNames(loaded.config.elasticsearch.index_prefix)
    try:
        health = ensure_available(es)
        click.echo(f"elasticsearch: {health.get('status')} at {client_url(es)}")
        queries = MentionQueries(es, names)
        total = queries.count(MentionFilter())
        recent = queries.count(MentionFilter(since=now - timedelta(hours=24)))
        click.echo(f"mentions indexed: {total} ({recent} published in the last 24 h)")
        sent = EsAlertStore(es, names).history(now - timedelta(hours=24), now)
        latest = (
            f"; latest {local(datetime.fromisoformat(sent[0]['at']))}: {sent[0].get('subject', '')}"
            if sent
            else ""
        )
        click.echo(f"alerts sent in the last 24 h: {len(sent)}{latest}")
    except IndexUnavailable as exc:  # the status command reports a down cluster, it does not fail on it
        click.echo(f"elasticsearch: unavailable ({exc})")
    finally:
        es.close()


def source_run_lines(runs: list[SourceRun], local: Callable[[datetime], str]) -> list[str]:
    """Per source, what its last run found, with what is missing: no silent zero."""
    if not runs:
        return []
    lines = ["sources (last run):"]
    for run in runs:
        when = local(datetime.fromtimestamp(run.at, UTC))
        line = (
            f"  {run.source:<20} {run.kind:<6} {when}  {run.items} item(s) from {run.fetched} document(s);"
            f" {run.empty_pages} page(s) without any post, {run.undated} undated,"
            f" {run.anonymous} without an author"
        )
        if run.errors:
            line += f"; {run.errors} error(s)"
        if run.empty_runs:
            line += f"; NOTHING FOUND on {run.empty_runs} run(s) in a row (see `veille try URL`)"
        lines.append(line)
    return lines


def register(cli: click.Group) -> None:
    cli.add_command(process)
    cli.add_command(run)
    cli.add_command(status)
