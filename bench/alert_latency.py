"""Alert latency: from a burst of negative entries appearing in a feed to the alert email.

    .venv/bin/python bench/alert_latency.py [--bursts 2] [--es-url URL]

Runs the real thing: a local Elasticsearch node, the demo web (its story shifted three days into
the past, so its own bad buzz is old news and the rules have a history to learn from), a local
SMTP server (aiosmtpd on 127.0.0.1), and ``veille run`` as a child process with the shipped
config on a 1-minute poll. Once the first cycle has settled, it publishes a burst of negative
entries in the demo news feed (``POST /_demo/burst``) and measures the seconds until an alert
email about it reaches the SMTP server. Target: within 2 minutes (120 s).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import yaml
from aiosmtpd.controller import Controller

from veille.demo_web.config import rebase_config, shipped_config_text
from veille.demo_web.server import DemoServer

REPO = Path(__file__).resolve().parents[1]
BRANDS = ("Velora", "Cafés Lantier")


class Inbox:
    """An SMTP handler that timestamps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[float, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        subject = str(make_header(decode_header(message_from_bytes(envelope.content)["Subject"] or "")))
        with self.lock:
            self.messages.append((time.monotonic(), subject))
        return "250 Message accepted for delivery"

    def since(self, start: float) -> list[tuple[float, str]]:
        with self.lock:
            return [m for m in self.messages if m[0] >= start]


def wait_for(predicate, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def job_status(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bursts", type=int, default=2, help="bursts to measure, brands taken in turn")
    parser.add_argument("--burst-size", type=int, default=25)
    parser.add_argument("--es-url", help="default: the local node (started if needed)")
    args = parser.parse_args()
    es_url = args.es_url
    if not es_url:
        from veille.services.es_node import LocalNode

        es_url = LocalNode.from_config().start().url

    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd needs a real port number up front
        probe.bind(("127.0.0.1", 0))
        smtp_port = probe.getsockname()[1]
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    web = DemoServer(now=datetime.now(UTC) - timedelta(days=3)).start()
    work = Path(tempfile.mkdtemp(prefix="veille-latency-"))
    raw = yaml.safe_load(rebase_config(shipped_config_text(), web.base_url))
    raw["data_dir"] = str(work / "var")
    raw["elasticsearch"]["url"] = es_url
    raw["elasticsearch"]["index_prefix"] = f"latency-{uuid.uuid4().hex[:8]}"
    raw["notifications"]["email"]["smtp"] = {"host": "127.0.0.1", "port": smtp_port, "security": "none"}
    raw["schedule"].update({"poll": "1m", "process": "1m", "alerts": "1m", "crawl": "6h"})
    config = work / "config.yaml"
    config.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    status_file = work / "var" / "state" / "scheduler-status.json"

    log = (work / "veille-run.log").open("w")
    run = subprocess.Popen(
        [sys.executable, "-m", "veille.cli", "-v", "--config", str(config), "run"],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    latencies: list[float] = []
    try:
        print("waiting for the first cycle (crawl of the demo history, enrichment, alerts)…", flush=True)
        settled = wait_for(
            lambda: all(
                job_status(status_file).get(job, {}).get("last_ok") for job in ("crawl", "process", "alerts")
            ),
            timeout=300,
        )
        if not settled:
            raise SystemExit(f"veille run did not complete its first cycle: {job_status(status_file)}")
        time.sleep(5)
        print(f"first cycle done; {len(inbox.messages)} alert email(s) about the old story", flush=True)
        for number in range(1, args.bursts + 1):
            start = time.monotonic()
            # Alternate brands: a second burst on the same brand within its cool-down is an
            # escalation, not a new alert, and would measure something else.
            brand = BRANDS[(number - 1) % len(BRANDS)]
            query = urllib.parse.urlencode({"count": args.burst_size, "brand": brand})
            request = urllib.request.Request(f"{web.base_url}/_demo/burst?{query}", method="POST")
            urllib.request.urlopen(request, timeout=10).read()
            arrived = wait_for(lambda start=start: inbox.since(start), timeout=240)
            if not arrived:
                print(f"burst {number}: no alert email within 240 s", flush=True)
                continue
            when, subject = inbox.since(start)[0]
            latencies.append(when - start)
            print(f"burst {number}: {when - start:.1f} s to the first alert email ({subject})", flush=True)
            # Let the cool-down and the next windows settle before the next burst.
            time.sleep(5)
    finally:
        run.send_signal(signal.SIGTERM)
        try:
            run.wait(timeout=120)
        except subprocess.TimeoutExpired:
            run.kill()
        web.stop()
        smtp.stop()
        log.close()
        print(f"veille run's log: {work / 'veille-run.log'}")
    if latencies:
        print(
            f"alert latency: median {sorted(latencies)[len(latencies) // 2]:.1f} s, "
            f"max {max(latencies):.1f} s over {len(latencies)} burst(s) (target <= 120 s, 1-minute poll)"
        )
    else:
        print("alert latency: no burst produced an alert")
        sys.exit(1)


if __name__ == "__main__":
    main()
