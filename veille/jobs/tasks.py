"""The scheduled tasks: poll, crawl, process, alerts, digest, housekeeping.

APScheduler's persistent job store keeps jobs as a textual reference plus picklable arguments,
so every job is ``run_task(name)`` and finds the live ``Runtime`` that ``veille run`` bound to
this process with ``bind_runtime``. Each task is a plain function of the runtime, also called
directly by ``veille demo``. A task that has news for the next stage says so (``Outcome.follow``)
so the scheduler can run that stage at once instead of waiting for its interval: that is what
keeps a burst in a feed to an alert email within minutes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from core.errors import VeilleError
from veille.jobs.process import process_spool
from veille.jobs.runtime import Runtime

if TYPE_CHECKING:
    from crawlers.summary import SourceSummary

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    summary: str
    follow: list[str] = field(default_factory=list)  # tasks to run now (new data for them)
    details: object = None


def _collected(summaries: list[SourceSummary], what: str) -> Outcome:
    """The outcome of a poll or a crawl: new matching mentions wake the process stage."""
    matched = sum(s.matched for s in summaries)
    errors = sum(len(s.errors) for s in summaries)
    text = f"{len(summaries)} {what}(s), {matched} new matching mention(s), {errors} error(s)"
    return Outcome(text, ["process"] if matched else [], summaries)


def poll(runtime: Runtime) -> Outcome:
    from crawlers import poll_feeds

    return _collected(poll_feeds(runtime.loaded), "feed")


def crawl(runtime: Runtime) -> Outcome:
    from crawlers import crawl_sites

    return _collected(crawl_sites(runtime.loaded), "site")


def process(runtime: Runtime) -> Outcome:
    summary = process_spool(runtime.loaded, runtime.enricher, runtime.indexer())
    if summary.error:
        # Surface the outage as a failed run; the mentions wait in the spool.
        raise VeilleError(summary.describe())
    return Outcome(summary.describe(), ["alerts"] if summary.indexed else [], summary)


def alerts(runtime: Runtime, now: datetime | None = None) -> Outcome:
    from alerts.engine import check_alerts
    from crawlers.state import read_empty_runs

    empty = read_empty_runs(runtime.loaded)  # sources whose crawls find nothing: a source alert
    now = now or datetime.now(UTC)
    result = check_alerts(runtime.loaded, now=now, es=runtime.index().es, empty_runs=empty)
    return Outcome(str(result), [], result)


def digest(runtime: Runtime, now: datetime | None = None) -> Outcome:
    from alerts.digest import send_digest

    result = send_digest(runtime.loaded, now=now or datetime.now(UTC), es=runtime.index().es)
    return Outcome(str(result), [], result)


def housekeeping(runtime: Runtime) -> Outcome:
    from core.spool import Spool

    with Spool(runtime.loaded.spool_path) as spool:
        stats = spool.stats()
        dead = spool.dead_letters(limit=5)
    for mention_id, reason in dead:
        logger.error("spool: mention %s is parked after repeated failures: %s", mention_id, reason)
    text = f"spool: {stats.ready} waiting, {stats.leased} in progress, {stats.dead} parked"
    if runtime.loaded.config.privacy.retention:
        from veille.privacy import apply_retention

        text += f"; retention: {apply_retention(runtime.loaded, runtime.index().es)}"
    return Outcome(text)


TASKS: dict[str, Callable[[Runtime], Outcome]] = {
    "poll": poll,
    "crawl": crawl,
    "process": process,
    "alerts": alerts,
    "digest": digest,
    "housekeeping": housekeeping,
}

_bound: dict[str, object] = {}


def bind_runtime(runtime: Runtime, on_outcome: Callable[[str, Outcome], None] | None = None) -> None:
    """Make ``runtime`` the one ``run_task`` uses in this process (set by ``veille run``)."""
    _bound["runtime"] = runtime
    _bound["on_outcome"] = on_outcome


def run_task(name: str) -> str:
    """Entry point of every scheduled job (a textual reference the job store can keep)."""
    runtime = _bound.get("runtime")
    if not isinstance(runtime, Runtime):
        raise RuntimeError("no runtime bound: tasks run inside `veille run`")
    outcome = TASKS[name](runtime)
    callback = _bound.get("on_outcome")
    if callable(callback):
        callback(name, outcome)
    logger.info("%s: %s", name, outcome.summary)
    return outcome.summary
