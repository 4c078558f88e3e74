"""`veille run` as a real process: jobs on their intervals, a failing job that does not stop the
others, a clean exit on SIGTERM, and `veille status` reading what it did."""

import json
import os
import signal
import subprocess
import sys

from click.testing import CliRunner

from core.spool import Spool
from tests.support import wait_until
from veille.cli import cli
from veille.demo_web.server import DemoServer
from veille.scheduler import read_jobs, status_path


def job_state(loaded):
    try:
        return json.loads(status_path(loaded).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def test_run_keeps_polling_while_processing_fails_and_stops_cleanly(config_factory):
    with DemoServer() as web:
        loaded = config_factory(
            sources={"feeds": [{"name": "demo-rss", "url": f"{web.base_url}/news/rss.xml", "kind": "news"}]},
            schedule={
                "poll": "2s",
                "crawl": "1h",
                "process": "2s",
                "alerts": "1h",
                "housekeeping": "03:30",
                "misfire_grace": "1m",
            },
            digest={"enabled": True, "time": "08:00"},
        )
        # Elasticsearch "down": nothing listens on port 9 on loopback.
        text = loaded.path.read_text(encoding="utf-8").replace(
            loaded.config.elasticsearch.url, "http://127.0.0.1:9"
        )
        loaded.path.write_text(text, encoding="utf-8")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        run = subprocess.Popen(
            [sys.executable, "-m", "veille.cli", "--config", str(loaded.path), "run"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        try:
            ok = wait_until(
                lambda: (
                    job_state(loaded).get("poll", {}).get("last_ok") is True
                    and job_state(loaded).get("process", {}).get("last_ok") is False
                ),
                timeout=90,
            )
            assert ok, job_state(loaded)
            first_poll = job_state(loaded)["poll"]["last_run"]
            # Polling goes on after processing failed.
            assert wait_until(lambda: job_state(loaded)["poll"]["last_run"] != first_poll, timeout=30)
        finally:
            run.send_signal(signal.SIGTERM)
            output, _ = run.communicate(timeout=60)
        assert run.returncode == 0, output
        assert "stopping" in output
    state = job_state(loaded)
    assert "127.0.0.1:9" in state["process"]["last_error"]
    with Spool(loaded.spool_path) as spool:
        assert spool.stats().ready > 0  # the polled mentions wait for Elasticsearch
    jobs = {job.name: job for job in read_jobs(loaded)}
    assert set(jobs) >= {"poll", "crawl", "process", "alerts", "digest", "housekeeping"}
    assert jobs["digest"].next_run is not None
    status = CliRunner().invoke(cli, ["--config", str(loaded.path), "status"])
    assert "process" in status.output and "FAILED" in status.output
    assert "spool:" in status.output and "elasticsearch: unavailable" in status.output
