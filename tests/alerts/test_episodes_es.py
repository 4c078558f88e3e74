"""A whole episode through the engine and ES: alert, escalation, back to normal, cool-down."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest

from alerts.engine import check_alerts

pytestmark = pytest.mark.es


def messages(loaded):
    files = sorted(loaded.outbox_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in files]


def test_alert_escalation_recovery_and_cool_down(history, alert_config, now):
    history.steady(days=15, per_hour=4, end=now + timedelta(hours=6))
    history.burst(now - timedelta(minutes=55), 30)
    history.flush()
    loaded = alert_config({"name": "neg", "type": "negative_spike", "realert": "6h"})

    assert [n["kind"] for n in check_alerts(loaded, now).notifications] == ["alert"]
    assert check_alerts(loaded, now + timedelta(minutes=10)).notifications == []  # same episode

    history.burst(now, 80, minutes=30)  # it keeps growing
    history.flush()
    grown = check_alerts(loaded, now + timedelta(minutes=30)).notifications
    assert [n["kind"] for n in grown] == ["escalation"]
    assert grown[0]["subject"].endswith("— ça s'aggrave")

    # Back to normal once the last quarter of every window is calm again (3 h after the burst).
    calm = check_alerts(loaded, now + timedelta(hours=4)).notifications
    assert [n["kind"] for n in calm] == ["recovery"]
    assert calm[0]["subject"] == "[Veille] Velora : retour à la normale"

    # A new burst of the first one's size within the 6 h cool-down: held back.
    history.burst(now + timedelta(hours=4, minutes=10), 30)
    history.flush()
    held = check_alerts(loaded, now + timedelta(hours=5))
    assert held.notifications == []
    (decision,) = [d for d in held.decisions if d.finding.key == "Velora"]
    assert decision.finding.status == "firing" and "cool-down" in decision.transition.note

    # One thread: the escalation and the back-to-normal note reply to the first email.
    first, update, close = messages(loaded)
    assert update["In-Reply-To"] == first["Message-ID"] == close["In-Reply-To"]
    assert update["References"] == first["Message-ID"]
    assert " mentions négatives en " in first["Subject"] and "(×" in first["Subject"]


def test_rules_firing_together_for_a_brand_send_one_email(history, alert_config, now):
    history.steady(days=15, per_hour=4)
    history.burst(now - timedelta(minutes=55), 30, text="Velora : une arnaque, la box ne marche plus")
    history.flush()
    loaded = alert_config(
        {"name": "neg", "type": "negative_spike"},
        {"name": "crisis", "type": "crisis_keywords", "keywords": ["arnaque"]},
        {"name": "vip", "type": "influential_author", "min_influence": 5},
    )
    sent = check_alerts(loaded, now).notifications
    assert len(sent) == 1 and len(messages(loaded)) == 1
    (msg,) = messages(loaded)
    text = msg.get_body(("plain",)).get_content()
    # One section per rule, the spike first, French only.
    assert text.index("== Pic de mentions négatives ==") < text.index("== Mots de crise")
    assert "Veille alert" not in text and "(en)" not in text
    assert sent[0]["rule"] == "incident" and msg["In-Reply-To"] is None


def test_a_mention_is_shown_once_per_email_even_when_two_spikes_cite_it(history, alert_config, now):
    history.steady(days=15, per_hour=4)
    history.burst(now - timedelta(minutes=55), 40, text="Velora : la box ne marche plus depuis ce matin")
    history.flush()
    loaded = alert_config(
        {"name": "neg", "type": "negative_spike"},
        {"name": "vol", "type": "volume_spike", "min_count": 5, "min_ratio": 2.0},
    )
    sent = check_alerts(loaded, now).notifications
    assert len(sent) == 1 and set(sent[0]["figures"]) == {"neg", "vol"}  # both fired, one email
    text = messages(loaded)[0].get_body(("plain",)).get_content()
    urls = [
        line.strip() for line in text.splitlines() if line.strip().startswith("https://forum.example.fr/")
    ]
    assert urls and len(urls) == len(set(urls))
    volume = text[text.index("== Pic de volume ==") :]
    assert "les mêmes que ci-dessus" in volume or "déjà citée" in volume
