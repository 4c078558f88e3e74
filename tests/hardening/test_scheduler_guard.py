"""One `veille run` per data dir (the second says why and exits), and a job's bug keeps its traceback."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent

from core.runlock import AlreadyRunning, RunLock
from tests.support import wait_until
from veille.jobs.runtime import Runtime
from veille.scheduler import VeilleScheduler

QUIET = {
    "poll": "1h",
    "crawl": "1h",
    "process": "1h",
    "alerts": "1h",
    "housekeeping": "03:30",
    "misfire_grace": "1m",
}


def test_a_second_run_on_one_data_dir_is_refused(make_config):
    loaded = make_config(schedule=QUIET, sources={"feeds": []})
    lock = loaded.state_dir / "veille-run.lock"
    cmd = [sys.executable, "-m", "veille.cli", "--config", str(loaded.path), "run"]
    env = {**os.environ, "ES_URL": "http://127.0.0.1:9"}
    first = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        assert wait_until(lambda: lock.exists() and lock.read_text().strip() == str(first.pid), timeout=60)
        second = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=60, env=env)
        assert second.returncode == 1
        assert f"another `veille run` (pid {first.pid}) already uses this data dir" in second.stderr
        assert "Traceback" not in second.stderr
        assert first.poll() is None  # the first one is unharmed
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(60)
    assert oct(lock.stat().st_mode & 0o777) == "0o600"


def test_the_lock_is_released_for_the_next_holder(tmp_path):
    path = tmp_path / "state" / "x.lock"
    with RunLock(path):
        try:
            RunLock(path).acquire()
        except AlreadyRunning as exc:
            assert str(os.getpid()) in str(exc)
        else:
            raise AssertionError("a second holder got the lock")
    RunLock(path).acquire().release()


def test_a_failing_jobs_traceback_is_logged(make_config, caplog):
    loaded = make_config(schedule=QUIET)
    scheduler = VeilleScheduler(Runtime(loaded))
    try:
        try:
            {}["missing"]  # a real bug, raised for real
        except KeyError as exc:
            import traceback

            event = JobExecutionEvent(
                EVENT_JOB_ERROR, "process", "default", datetime.now(UTC), exception=exc,
                traceback="".join(traceback.format_exception(exc)),
            )  # fmt: skip
        with caplog.at_level(logging.ERROR, logger="veille.scheduler"):
            scheduler._on_event(event)
    finally:
        scheduler.lock.release()
    (record,) = [r for r in caplog.records if "job process failed" in r.getMessage()]
    assert "Traceback (most recent call last)" in record.getMessage()
    assert "test_scheduler_guard.py" in record.getMessage()
