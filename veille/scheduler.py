"""``veille run``: APScheduler 3 runs the tasks on the config's intervals and times.

- Persistent job store (SQLite under the state folder): a digest missed while Veille was down
  still runs on restart if within ``schedule.misfire_grace``; jobs are only replaced when their
  trigger changed in config.yaml.
- Coalescing, at most one instance of each job, a thread pool so a long crawl never delays an
  alert check; one failing job is logged and recorded, the others go on.
- Scrapy's Twisted reactor cannot restart in one process, so crawls run in a child process
  (``crawlers.crawl_sites``); the scheduler process never imports the reactor.
- A task that has new data for the next stage runs that stage at once (poll -> process ->
  alerts), which is what keeps feed-to-email latency within the poll interval plus a minute.
- SIGTERM / SIGINT stop scheduling, let running jobs finish, and exit 0.
- One scheduler per data dir (``state/veille-run.lock``): a second ``veille run`` exits with a
  message naming the first one's pid, before it touches the job store.
"""

from __future__ import annotations

import json
import logging
import signal
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.config import LoadedConfig
from core.errors import VeilleError
from core.private_files import private_dir, private_file, write_private
from core.runlock import RunLock
from veille.jobs import tasks
from veille.jobs.runtime import Runtime

logger = logging.getLogger(__name__)

JOB_FUNC = "veille.jobs.tasks:run_task"


def jobstore_path(loaded: LoadedConfig) -> Path:
    return loaded.state_dir / "jobs.sqlite"


def status_path(loaded: LoadedConfig) -> Path:
    return loaded.state_dir / "scheduler-status.json"


def desired_triggers(loaded: LoadedConfig) -> dict[str, BaseTrigger]:
    config = loaded.config
    tz = config.tz
    schedule = config.schedule
    triggers: dict[str, BaseTrigger] = {
        "poll": IntervalTrigger(seconds=int(schedule.poll.total_seconds()), timezone=tz),
        "crawl": IntervalTrigger(seconds=int(schedule.crawl.total_seconds()), timezone=tz),
        "process": IntervalTrigger(seconds=int(schedule.process.total_seconds()), timezone=tz),
        "alerts": IntervalTrigger(seconds=int(schedule.alerts.total_seconds()), timezone=tz),
        "housekeeping": CronTrigger(
            hour=schedule.housekeeping.hour, minute=schedule.housekeeping.minute, timezone=tz
        ),
    }
    if config.digest.enabled:
        triggers["digest"] = CronTrigger(
            hour=config.digest.time.hour, minute=config.digest.time.minute, timezone=tz
        )
    return triggers


class StatusBook:
    """Last run, outcome and error of each job, in a small JSON file ``veille status`` reads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def read(self) -> dict[str, Any]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def record(self, job: str, **fields: Any) -> None:
        with self._lock:
            data = self.read()
            data.setdefault(job, {}).update(fields)
            private_dir(self.path.parent)
            write_private(self.path, json.dumps(data, indent=2, default=str).encode("utf-8"))


class VeilleScheduler:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        loaded = runtime.loaded
        private_dir(loaded.state_dir)
        self.lock = RunLock(loaded.state_dir / "veille-run.lock").acquire()
        self.status = StatusBook(status_path(loaded))
        private_file(jobstore_path(loaded))  # SQLAlchemy would create it with the umask's mode
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{jobstore_path(loaded)}")},
            executors={"default": ThreadPoolExecutor(max_workers=4)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(loaded.config.schedule.misfire_grace.total_seconds()),
            },
            timezone=loaded.config.tz,
        )
        # Failures are logged by _on_event (one line for known errors), not by the executor.
        logging.getLogger("apscheduler.executors.default").setLevel(logging.CRITICAL)
        self.scheduler.add_listener(self._on_event, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)
        self._started_at: dict[str, float] = {}
        self._stop = threading.Event()

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        tasks.bind_runtime(self.runtime, self._on_outcome)
        self.scheduler.start(paused=True)
        now = datetime.now(UTC)
        desired = desired_triggers(self.runtime.loaded)
        for name, trigger in desired.items():
            job = self.scheduler.get_job(name)
            if job is not None and str(job.trigger) == str(trigger):
                continue  # keep the stored next run (a missed digest still runs on restart)
            first = now if isinstance(trigger, IntervalTrigger) else None
            self.scheduler.add_job(
                JOB_FUNC, trigger, args=[name], id=name, name=name, replace_existing=True, next_run_time=first
            )
            if first is None:  # cron: let the trigger compute the next time
                self.scheduler.get_job(name).modify(next_run_time=trigger.get_next_fire_time(None, now))
        for job in self.scheduler.get_jobs():
            if job.id not in desired:
                job.remove()  # e.g. the digest was disabled in config.yaml
        self.scheduler.resume()
        logger.warning(
            "scheduler started: %s",
            ", ".join(f"{job.id} next at {job.next_run_time:%H:%M:%S}" for job in self.scheduler.get_jobs()),
        )

    def run_until_stopped(self) -> None:
        """Block until SIGTERM/SIGINT (or ``stop()``), then shut down cleanly."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self._stop.set())
        self.start()
        try:
            while not self._stop.wait(1.0):
                pass
        finally:
            self.shutdown()

    def stop(self) -> None:
        self._stop.set()

    def shutdown(self) -> None:
        logger.warning("stopping: waiting for running jobs to finish")
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        self.runtime.close()
        self.lock.release()

    def run_now(self, name: str) -> None:
        job = self.scheduler.get_job(name)
        if job is not None:
            job.modify(next_run_time=datetime.now(UTC))

    # -- events --------------------------------------------------------------------------------
    def _on_outcome(self, name: str, outcome: tasks.Outcome) -> None:
        for follow in outcome.follow:
            self.run_now(follow)

    def _on_event(self, event: JobExecutionEvent) -> None:
        when = datetime.now(UTC).isoformat(timespec="seconds")
        if event.code == EVENT_JOB_MISSED:
            self.status.record(event.job_id, last_missed=when)
            logger.warning("job %s missed its run at %s", event.job_id, event.scheduled_run_time)
            return
        if event.exception is not None:
            self.status.record(
                event.job_id, last_run=when, last_ok=False, last_error=str(event.exception)[:500]
            )
            if isinstance(event.exception, VeilleError):  # expected failure: its message says it all
                logger.error("job %s failed: %s", event.job_id, event.exception)
            else:  # a bug: keep the traceback (the executor's own logger is silenced above)
                logger.error("job %s failed: %r\n%s", event.job_id, event.exception, event.traceback)
            return
        self.status.record(event.job_id, last_run=when, last_ok=True, last_error=None, summary=event.retval)


@dataclass(frozen=True)
class JobView:
    name: str
    next_run: datetime | None
    last_run: str | None
    last_ok: bool | None
    detail: str


def read_jobs(loaded: LoadedConfig) -> list[JobView]:
    """Jobs as stored by the last ``veille run`` (read-only: works while it runs)."""
    store = jobstore_path(loaded)
    book = StatusBook(status_path(loaded)).read()
    next_runs: dict[str, float | None] = {}
    if store.exists():
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
            try:
                next_runs = dict(db.execute("SELECT id, next_run_time FROM apscheduler_jobs").fetchall())
            except sqlite3.Error:
                next_runs = {}
    views = []
    for name in sorted(set(next_runs) | set(book)):
        info = book.get(name, {})
        stamp = next_runs.get(name)
        views.append(
            JobView(
                name,
                datetime.fromtimestamp(stamp, UTC) if stamp else None,
                info.get("last_run"),
                info.get("last_ok"),
                info.get("last_error") or info.get("summary") or "",
            )
        )
    return views
