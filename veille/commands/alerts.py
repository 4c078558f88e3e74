"""``veille alerts check|replay|flush|rules`` and ``veille digest``: alert rules and the daily digest."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from veille.commands.common import loaded_config, parse_since


def parse_when(value: str | None, tz: ZoneInfo, option: str) -> datetime | None:
    """ISO 8601 date or date-time; without an offset it is read in the configured timezone."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r}: expected an ISO date such as 2026-11-20T14:00", param_hint=option
        ) from exc
    return when if when.tzinfo else when.replace(tzinfo=tz)


@click.group("alerts")
def alerts_group() -> None:
    """Alert rules: check them now, replay them over history, send queued emails."""


@alerts_group.command("check")
@click.option("--dry-run", is_flag=True, help="evaluate and show what would be sent; write and send nothing")
@click.option("--now", "now_text", metavar="ISO", help="evaluate as if it were this time (default: now)")
@click.option("--rule", "only", metavar="NAME", help="only this rule")
@click.pass_context
def check(ctx: click.Context, dry_run: bool, now_text: str | None, only: str | None) -> None:
    """Evaluate every enabled rule once and notify what fired (each alert is sent once)."""
    from alerts.engine import check_alerts

    loaded = loaded_config(ctx)
    now = parse_when(now_text, loaded.config.tz, "--now")
    from crawlers.state import read_empty_runs

    report = check_alerts(loaded, now, dry_run, only=only, empty_runs=read_empty_runs(loaded))
    for decision in report.decisions:
        t = decision.transition
        mark = t.kind or decision.finding.status
        click.echo(
            f"{decision.rule.name:<22} {decision.finding.key:<20} {mark:<10} {decision.finding.summary}"
        )
        if t.kind is None and decision.finding.status == "firing":
            click.echo(f"{'':22} {'':20} {'':10} (no email: {t.note})")
    verb = "would be sent" if dry_run else "queued"
    click.echo(f"{len(report.notifications)} notification(s) {verb}")
    for payload in report.notifications:
        click.echo(f"  {payload['subject']}  -> {', '.join(payload['recipients']) or '(no recipient)'}")
    if report.recovered:
        click.echo(f"{report.recovered} notification(s) left by an interrupted run queued")
    if report.flush is not None:
        click.echo(f"email: {report.flush}")
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    waiting = report.flush.waiting if report.flush is not None else 0
    if waiting:
        click.echo(f"{waiting} email(s) not delivered yet: they stay queued for a later retry", err=True)
    if report.errors or waiting:
        ctx.exit(1)


@alerts_group.command("replay")
@click.option(
    "--since",
    "since_text",
    default="7d",
    show_default=True,
    help="start: an ISO date, or a duration back (7j)",
)
@click.option("--until", "until_text", metavar="ISO", help="end of the replay (default: now)")
@click.option("--step", default="15m", show_default=True, help="time between two evaluations")
@click.option("--rule", "only", metavar="NAME", help="only this rule (enabled or not)")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per line")
@click.pass_context
def replay_command(
    ctx: click.Context, since_text: str, until_text: str | None, step: str, only: str | None, as_json: bool
) -> None:
    """Evaluate the rules over stored history and print when each would have fired, and why."""
    from alerts.replay import replay
    from core.config.common import format_duration, parse_duration

    loaded = loaded_config(ctx)
    tz = loaded.config.tz
    try:
        step_delta = parse_duration(step)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--step") from exc
    if step_delta < timedelta(minutes=1):
        raise click.BadParameter("must be at least 1m", param_hint="--step")
    since = parse_since(since_text, tz)
    until = parse_since(until_text, tz, "--until") if until_text else datetime.now(UTC)
    steps = max(int((until - since) / step_delta) + 1, 1)
    if as_json:  # machine output: one object per line and nothing else, not even on stderr
        events = replay(loaded, since, until, step=step_delta, only=only)
    else:  # the bar goes to stderr, so the listing can still be piped
        with click.progressbar(length=steps, label=f"replaying {steps} step(s)", file=sys.stderr) as bar:
            events = replay(
                loaded, since, until, step=step_delta, only=only, on_step=lambda _at: bar.update(1)
            )
    if as_json:
        for event in events:
            click.echo(json.dumps(event.to_json(), ensure_ascii=False))
        return
    for event in events:
        when = event.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        click.echo(f"{when}  {event.kind:<10} {event.rule:<22} {event.key:<20} {event.summary}")
        click.echo(f"{'':18}why: {event.why}")
    click.echo(
        f"{len(events)} notification(s) would have been sent between {since.isoformat()} and "
        f"{until.isoformat()} (step {format_duration(step_delta)})"
    )


@alerts_group.command("flush")
@click.pass_context
def flush(ctx: click.Context) -> None:
    """Send every email waiting in the outgoing queue now (SMTP, or the outbox folder)."""
    from alerts.outgoing import flush_outgoing, mail_queue

    loaded = loaded_config(ctx)
    report = flush_outgoing(loaded, due_only=False)
    with mail_queue(loaded) as queue:
        stats = queue.stats()
        dead = queue.dead_letters()
    click.echo(f"email: {report}; queue: {stats.pending} waiting, {stats.sent} sent (kept a month)")
    for msg_id, reason in dead:
        click.echo(f"refused for good: {msg_id}: {reason}", err=True)
    if stats.pending:
        ctx.exit(1)


@alerts_group.command("rules")
@click.pass_context
def rules(ctx: click.Context) -> None:
    """List the configured rules and what they watch."""
    from alerts.engine import build_rules
    from core.config.common import format_duration

    loaded = loaded_config(ctx)
    enabled = {rule.name for rule in build_rules(loaded.config)}
    for cfg in loaded.config.alerts.rules:
        state = "on " if cfg.name in enabled else "off"
        if cfg.type == "source_silent":
            brands = ", ".join(cfg.sources) or "every enabled source"
        else:
            brands = ", ".join(cfg.brands) or "every brand"
        click.echo(
            f"{state} {cfg.name:<24} {cfg.type:<20} {brands} (cool-down {format_duration(cfg.realert)})"
        )
        click.echo(f"    {rule_settings(cfg)}")


# Shown on the rule's first line (or not worth showing) rather than among its thresholds.
_SHOWN_APART = {"name", "type", "enabled", "brands", "sources", "realert", "recipients"}


def rule_settings(cfg: Any) -> str:
    """A rule's thresholds and windows as written in config.yaml: ``window 1h, min_count 8, ...``."""
    from datetime import timedelta

    from core.config.common import format_duration

    parts = []
    for key, value in cfg.model_dump().items():
        if key in _SHOWN_APART or value is None or value == []:
            continue
        if isinstance(value, timedelta):
            shown = format_duration(value)
        elif isinstance(value, list):
            shown = ", ".join(map(str, value))
        else:
            shown = str(value)
        parts.append(f"{key} {shown}")
    return ", ".join(parts) or "no threshold"


@click.command("digest")
@click.option("--preview", "preview", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.html",
              help="write the digest as HTML to FILE (charts embedded) instead of sending it")  # fmt: skip
@click.option("--send", "send", is_flag=True, help="queue and send today's digest (once a day)")
@click.option("--force", is_flag=True, help="with --send: send again even if already sent today")
@click.option("--now", "now_text", metavar="ISO", help="as if it were this time (default: now)")
@click.pass_context
def digest(ctx: click.Context, preview: Path | None, send: bool, force: bool, now_text: str | None) -> None:
    """The daily digest: preview it in a browser, or send it."""
    from alerts.digest import preview_digest, send_digest

    if not preview and not send:
        raise click.UsageError("choose --preview FILE.html or --send")
    loaded = loaded_config(ctx)
    now = parse_when(now_text, loaded.config.tz, "--now")
    if preview:
        rendered = preview_digest(loaded, preview, now)
        click.echo(f"{preview}: digest of {rendered.day} written (and its text version, .txt)")
    if send:
        result = send_digest(loaded, now, force=force)
        if result.queued:
            click.echo(f"digest of {result.day} queued as {result.message_id}; email: {result.note}")
        else:
            click.echo(f"digest of {result.day}: {result.note}; nothing sent (--force to send again)")


def register(cli: click.Group) -> None:
    cli.add_command(alerts_group)
    cli.add_command(digest)
