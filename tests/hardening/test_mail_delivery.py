"""Email delivery under overlap and ambiguous failures, on a real local SMTP server (aiosmtpd).

Two flushes at once must send each message once; a connection lost after the body but before the
server's ``250`` must not be resent at once (at most one later resend); a non-ASCII password logs in.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from alerts.mail.message import build_message
from alerts.mail.queue import UNCERTAIN_WAIT, MailQueue
from alerts.mail.transports import SmtpTransport
from core.config.notifications import Smtp
from tests.support import free_port

PASSWORD = "mötdepasse-été"


class Handler:
    """Keeps every message; ``drop_next`` stores one then cuts the connection before ``250``."""

    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[Envelope] = []
        self.delay = delay
        self.drop_next = 0

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        self.messages.append(envelope)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.drop_next:
            self.drop_next -= 1
            server.transport.close()  # the message is stored; the client never hears "250"
        return "250 OK"


def _authenticate(server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data.login == b"veille" and data.password == PASSWORD.encode()
    return AuthResult(success=ok)


@pytest.fixture
def smtp() -> Iterator[tuple[Handler, int]]:
    handler = Handler()
    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, authenticator=_authenticate, auth_require_tls=False
    )
    controller.start()
    yield handler, port
    controller.stop()


def transport(port: int, *, retries: int = 0) -> SmtpTransport:
    cfg = Smtp(
        host="127.0.0.1", port=port, security="none", username="veille",
        password_env="VEILLE_TEST_SMTP_PW", timeout="5s", retries=retries, backoff="0s",
    )  # fmt: skip
    return SmtpTransport(cfg, "veille@example.org")


def queue_messages(queue: MailQueue, count: int) -> None:
    for i in range(count):
        msg = build_message(
            sender="veille@example.org", recipients=["cm@example.org"], subject=f"alerte {i}",
            text="texte", html="<p>texte</p>", msg_id=f"<m{i}@example.org>", date=datetime.now(UTC),
        )  # fmt: skip
        assert queue.put(msg, ["cm@example.org"])


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VEILLE_TEST_SMTP_PW", PASSWORD)


def test_two_concurrent_flushes_send_each_message_once(tmp_path, smtp):
    handler, port = smtp
    handler.delay = 0.2  # each send is slow, so the two flushes overlap
    path = tmp_path / "mail-queue.sqlite"
    with MailQueue(path) as queue:
        queue_messages(queue, 4)
    reports = []

    def flush() -> None:
        with MailQueue(path) as queue:
            reports.append(queue.flush(transport(port)))

    threads = [threading.Thread(target=flush) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(envelope.content.count(b"alerte") for envelope in handler.messages)  # real messages
    subjects = sorted(m.original_content.split(b"Subject: ")[1].split(b"\r\n")[0] for m in handler.messages)
    assert subjects == [b"alerte 0", b"alerte 1", b"alerte 2", b"alerte 3"]
    assert sum(r.sent for r in reports) == 4
    with MailQueue(path) as queue:
        assert queue.stats().sent == 4 and queue.stats().pending == 0


def test_connection_lost_before_250_is_not_resent_at_once(tmp_path, smtp):
    handler, port = smtp
    handler.drop_next = 1
    with MailQueue(tmp_path / "q.sqlite") as queue:
        queue_messages(queue, 1)
        report = queue.flush(transport(port, retries=3))  # in-run retries must not resend it
        assert report.uncertain == 1 and report.sent == 0
        assert len(handler.messages) == 1
        assert queue.stats().uncertain == 1 and queue.stats().pending == 1
        # Neither the next flush nor a forced one ("alerts flush") resends it...
        assert queue.flush(transport(port)).sent == 0
        assert queue.flush(transport(port), due_only=False).sent == 0
        assert len(handler.messages) == 1
        # ...but once UNCERTAIN_WAIT has passed it is sent once more, and never again.
        later = time.time() + UNCERTAIN_WAIT + 1
        assert queue.flush(transport(port), now=lambda: later).sent == 1
        assert queue.flush(transport(port), now=lambda: later + 10 * UNCERTAIN_WAIT, due_only=False).sent == 0
    assert len(handler.messages) == 2


def test_two_ambiguous_failures_make_the_message_dead(tmp_path, smtp):
    handler, port = smtp
    handler.drop_next = 2
    with MailQueue(tmp_path / "q.sqlite") as queue:
        queue_messages(queue, 1)
        assert queue.flush(transport(port)).uncertain == 1
        later = time.time() + UNCERTAIN_WAIT + 1
        assert queue.flush(transport(port), now=lambda: later).dead == 1
        ((_, reason),) = queue.dead_letters()
        assert "uncertain twice" in reason
    assert len(handler.messages) == 2


def test_a_non_ascii_password_logs_in(tmp_path, smtp):
    handler, port = smtp
    with MailQueue(tmp_path / "q.sqlite") as queue:
        queue_messages(queue, 1)
        assert queue.flush(transport(port)).sent == 1
    assert len(handler.messages) == 1
