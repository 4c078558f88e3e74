"""Apprise notifications against a local webhook receiver: queued, retried, never sent twice."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from alerts.engine import check_alerts
from alerts.push import flush_pushes, push_queue, queue_push
from tests.support import free_port


class Receiver:
    """A webhook endpoint on 127.0.0.1 that refuses the first ``fail_first`` posts with a 500."""

    def __init__(self, fail_first: int = 0) -> None:
        self.posts: list[dict] = []
        self.fail_first = fail_first
        self.port = free_port()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                if owner.fail_first > 0:
                    owner.fail_first -= 1
                    self.send_response(500)
                else:
                    owner.posts.append(json.loads(body))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(fail_first=1)
    yield r
    r.stop()


def push_config(config_factory, **extra):
    notifications = {
        "email": {"from": "veille@example.org", "to": ["cm@example.org"]},
        "apprise": [{"name": "equipe", "url_env": "VEILLE_TEST_HOOK", "send": ["alert", "digest"]}],
    }
    return config_factory(notifications=notifications, **extra)


def test_push_is_retried_after_a_failure_and_sent_once(make_config, receiver, monkeypatch):
    monkeypatch.setenv("VEILLE_TEST_HOOK", receiver.url)
    loaded = push_config(make_config)
    assert queue_push(loaded, "alert", "n-1", "[Veille] Velora : pic", "12 mentions négatives") == 1
    assert queue_push(loaded, "alert", "n-1", "[Veille] Velora : pic", "12 mentions négatives") == 0
    first = flush_pushes(loaded, due_only=False)
    # One attempt got a 500, the retry in the same flush went through.
    assert (first.sent, first.failed, first.dead) == (1, 0, 0)
    assert [p["title"] for p in receiver.posts] == ["[Veille] Velora : pic"]
    assert "12 mentions négatives" in receiver.posts[0]["message"]
    again = flush_pushes(loaded, due_only=False)
    assert (again.sent, again.failed) == (0, 0)
    assert len(receiver.posts) == 1


def test_a_down_target_keeps_the_push_queued(make_config, monkeypatch):
    down = Receiver(fail_first=100)
    monkeypatch.setenv("VEILLE_TEST_HOOK", down.url)
    loaded = push_config(make_config)
    queue_push(loaded, "alert", "n-2", "titre", "corps")
    report = flush_pushes(loaded, due_only=False)
    assert (report.sent, report.failed) == (0, 1)
    with push_queue(loaded) as queue:
        assert queue.stats().pending == 1
    down.fail_first = 0
    assert flush_pushes(loaded, due_only=False).sent == 1
    assert down.posts and down.posts[0]["title"] == "titre"
    down.stop()


def test_missing_env_var_is_named_and_skipped(make_config, monkeypatch, caplog):
    monkeypatch.delenv("VEILLE_TEST_HOOK", raising=False)
    loaded = push_config(make_config)
    assert queue_push(loaded, "alert", "n-3", "t", "b") == 0
    assert (
        "notifications.apprise[0] (equipe): environment variable VEILLE_TEST_HOOK is not set" in caplog.text
    )


def test_an_alert_run_pushes_the_incident(history, config_factory, now, receiver, monkeypatch):
    monkeypatch.setenv("VEILLE_TEST_HOOK", receiver.url)
    history.steady(days=15, per_hour=4)
    history.burst(now - timedelta(minutes=55), 30)
    history.flush()
    loaded = push_config(config_factory, alerts={"rules": [{"name": "neg", "type": "negative_spike"}]})
    check_alerts(loaded, now)
    assert receiver.posts, "the incident reached the webhook"
    title = receiver.posts[0]["title"]  # the incident's subject gives its size
    assert title.startswith("[Veille] Velora : ") and "mentions négatives en" in title, title
    assert "http://127.0.0.1:8080/inbox?" in receiver.posts[0]["message"]
    check_alerts(loaded, now + timedelta(minutes=1))
    assert len(receiver.posts) == 1  # not pushed twice
