"""The engine on a real Elasticsearch: one email per episode, nothing twice, nothing forgotten."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest

from alerts.engine import AlertEngine, check_alerts
from alerts.notify import build_notification
from alerts.outgoing import mail_queue
from alerts.queries import AlertQueries
from alerts.store import EsAlertStore

pytestmark = pytest.mark.es

SPIKE = {"name": "neg-spike", "type": "negative_spike", "realert": "2h"}


def outbox_messages(loaded):
    return sorted(loaded.outbox_dir.glob("*.eml")) if loaded.outbox_dir.exists() else []


def parse(path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


@pytest.fixture
def burst_history(history, now):
    history.steady(days=15, per_hour=4)
    history.burst(now - timedelta(minutes=55), 30)
    history.flush()
    return history


def test_burst_sends_one_explanatory_email_and_a_second_run_none(burst_history, alert_config, now):
    loaded = alert_config(SPIKE)
    report = check_alerts(loaded, now)
    assert [n["kind"] for n in report.notifications] == ["alert"]
    files = outbox_messages(loaded)
    assert len(files) == 1
    msg = parse(files[0])
    assert msg["Subject"] == "[Veille] Velora : pic de mentions négatives"
    assert msg["Message-ID"] == report.notifications[0]["message_id"]
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "Velora : " in text and "mentions négatives en 1 h" in text
    assert "Niveau habituel" in text and "Part de mentions négatives" in text
    assert "https://forum.example.fr/t/" in text  # the top mentions, with their links
    assert "Voir ces mentions dans Kibana" in html and "http://kibana.test:5601/app/discover#/" in html

    again = check_alerts(loaded, now + timedelta(minutes=5))
    assert again.notifications == []
    assert len(outbox_messages(loaded)) == 1


def test_a_restart_resends_nothing(burst_history, alert_config, es_client, index_names, now):
    loaded = alert_config(SPIKE)
    check_alerts(loaded, now)
    # New objects, as after a restart of the process: state comes from ES only.
    with mail_queue(loaded) as queue:
        engine = AlertEngine(
            loaded.config, es_client, index_names, EsAlertStore(es_client, index_names), queue
        )
        report = engine.check(now + timedelta(minutes=1))
    assert report.notifications == []
    assert len(outbox_messages(loaded)) == 1


def test_a_crash_after_deciding_but_before_queuing_is_recovered_once(
    burst_history, alert_config, es_client, index_names, now
):
    loaded = alert_config(SPIKE)
    store = EsAlertStore(es_client, index_names)
    store.ensure()
    with mail_queue(loaded) as queue:
        engine = AlertEngine(loaded.config, es_client, index_names, store, queue)
        # Simulate the crash: the state (with its pending notification) is written, the process
        # dies before queuing the email.
        from alerts.engine import build_rules, evaluate

        decisions, _ = evaluate(build_rules(loaded.config), AlertQueries(es_client, index_names), store, now)
        decision = next(d for d in decisions if d.transition.kind == "alert")
        payload = build_notification(decision, loaded.config, es_client, index_names, now)
        assert engine._save(decision, payload, now)
        assert outbox_messages(loaded) == []

    report = check_alerts(loaded, now + timedelta(minutes=2))
    assert report.recovered == 1
    assert report.notifications == []  # the episode is already open: no second alert
    files = outbox_messages(loaded)
    assert len(files) == 1
    assert parse(files[0])["Message-ID"] == payload["message_id"]
    assert check_alerts(loaded, now + timedelta(minutes=3)).recovered == 0
    assert len(outbox_messages(loaded)) == 1


def test_dry_run_writes_and_sends_nothing(burst_history, alert_config, es_client, index_names, now):
    loaded = alert_config(SPIKE)
    report = check_alerts(loaded, now, dry_run=True)
    assert [n["kind"] for n in report.notifications] == ["alert"]
    assert outbox_messages(loaded) == []
    assert not es_client.indices.exists(index=f"{index_names.prefix}-alerts")
    assert [n["kind"] for n in check_alerts(loaded, now).notifications] == ["alert"]
