"""``forget`` reaches the copies: an alert email quoting a forgotten author is withdrawn while it
waits (a real SMTP server then receives nothing), and stored copies of a sent one are deleted
(mail queue, outbox), with counts; alert documents lose the pending notification and the ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from alerts.engine import check_alerts
from alerts.episodes import AlertState
from alerts.outgoing import flush_outgoing, mail_queue
from alerts.store import EsAlertStore, Stored
from core.mention import Mention
from index.indexer import Indexer
from tests.alerts.conftest import History, Inbox, SmtpServer
from tests.support import free_port
from veille.cli import cli
from veille.erase_copies import email_text
from veille.privacy import forget

pytestmark = pytest.mark.es

NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
SPIKE = {"name": "neg", "type": "negative_spike"}
LOUD = {"name": "Claire Dubois", "influence": 95.0}  # the most influential author: first in the email


@pytest.fixture
def burst(es_client, index_names, make_mention) -> list[Mention]:
    """Ordinary chatter, then 30 negative posts by Claire Dubois within the hour: a spike alert."""
    history = History(Indexer(es_client, index_names, refresh=True), make_mention)
    history.steady(days=15, per_hour=4)
    history.flush()
    history.burst(NOW - timedelta(minutes=55), 30, author=LOUD)
    claire = list(history.mentions)
    history.flush()
    return claire


@pytest.fixture
def alert_config(config_factory):
    def make(smtp=None):
        alerts = {"kibana_url": "http://kibana.test:5601", "rules": [SPIKE]}
        email = {"from": "veille@example.org", "to": ["cm@example.org"], "smtp": smtp}
        return config_factory(alerts=alerts, notifications={"email": email})

    return make


@pytest.fixture
def smtp_server():
    server = SmtpServer(free_port(), Inbox())
    yield server
    server.stop()


def test_an_unsent_alert_quoting_a_forgotten_author_is_withdrawn(
    burst, alert_config, smtp_server, es_client, monkeypatch
):
    monkeypatch.setenv("VEILLE_TEST_SMTP_PASSWORD", "s3cret-pass")
    smtp = {"host": "127.0.0.1", "port": smtp_server.port, "security": "none", "username": "veille",
            "password_env": "VEILLE_TEST_SMTP_PASSWORD", "timeout": "5s", "retries": 0}  # fmt: skip
    loaded = alert_config(smtp)
    report = check_alerts(loaded, NOW)  # the server is down: the email waits in the queue
    assert len(report.notifications) == 1
    with mail_queue(loaded) as queue:
        [(_, state, payload)] = queue.rows()
    assert state == "pending" and "Claire Dubois" in email_text(payload)

    nobody = forget(loaded, es_client, author="Somebody Else")
    assert nobody.counts["unsent emails withdrawn"] == 0  # an email not quoting them stays

    erased = forget(loaded, es_client, author="Claire Dubois")
    assert erased.counts["mentions deleted from Elasticsearch"] == 30
    assert erased.counts["unsent emails withdrawn"] == 1
    smtp_server.start()
    assert flush_outgoing(loaded, due_only=False).sent == 0
    assert smtp_server.inbox.messages == []


def test_copies_of_a_sent_alert_are_deleted_and_the_delivery_is_stated(burst, alert_config, es_client):
    loaded = alert_config()  # no SMTP: emails are written to the outbox
    assert len(check_alerts(loaded, NOW).notifications) == 1
    [eml] = loaded.outbox_dir.glob("*.eml")
    shown = email_text(eml.read_bytes())
    quoted = next(m for m in burst if m.url in shown)  # one post the email quotes

    result = CliRunner().invoke(cli, ["-c", str(loaded.path), "forget", "--url", quoted.url])
    assert result.exit_code == 0, result.output
    assert "1 mentions deleted from Elasticsearch" in result.output
    assert "1 copies of sent emails deleted" in result.output
    assert "1 outbox files deleted" in result.output
    assert "cannot be recalled from the recipients' mailboxes" in result.output
    assert list(loaded.outbox_dir.glob("*.eml")) == []
    with mail_queue(loaded) as queue:
        assert queue.rows() == []


def test_alert_documents_lose_the_pending_notification_and_the_ids(
    burst, config_factory, es_client, index_names
):
    loaded = config_factory()
    quoted = burst[0]
    store = EsAlertStore(es_client, index_names)
    store.ensure()
    pending = {"id": "n1", "subject": "Pic négatif", "evidence": {"mentions": [{"url": quoted.url}]}}
    assert store.save(Stored(AlertState(rule="neg", key="Velora")), AlertState(rule="neg", key="Velora"),
                      pending=pending, now=NOW)  # fmt: skip
    other = burst[1].id
    store.record("n0", {"doc_type": "event", "notification_id": "n0", "mention_ids": [quoted.id, other]})
    erased = forget(loaded, es_client, url=quoted.url)
    assert erased.counts["pending alert notifications withdrawn"] == 1
    assert erased.counts["alert records cleaned"] == 1
    assert store.with_pending() == []
    assert es_client.get(index=index_names.alerts, id="n0")["_source"]["mention_ids"] == [other]
