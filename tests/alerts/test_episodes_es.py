"""A whole episode through the engine and ES: alert, escalation, back to normal, cool-down."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest

from alerts.engine import check_alerts

pytestmark = pytest.mark.es


def subjects(loaded):
    files = sorted(loaded.outbox_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes())["Subject"] for p in files]


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
    assert "ça s'aggrave" in grown[0]["subject"]

    # Back to normal once the last quarter of every window is calm again (3 h after the burst).
    calm = check_alerts(loaded, now + timedelta(hours=4)).notifications
    assert [n["kind"] for n in calm] == ["recovery"]
    assert calm[0]["subject"] == "[Veille] Velora : retour à la normale (pic de mentions négatives)"

    # A new burst of the first one's size within the 6 h cool-down: held back.
    history.burst(now + timedelta(hours=4, minutes=10), 30)
    history.flush()
    held = check_alerts(loaded, now + timedelta(hours=5))
    assert held.notifications == []
    (decision,) = [d for d in held.decisions if d.finding.key == "Velora"]
    assert decision.finding.status == "firing" and "cool-down" in decision.transition.note

    assert subjects(loaded) == [
        "[Veille] Velora : pic de mentions négatives",
        "[Veille] Velora : pic de mentions négatives — ça s'aggrave (niveau 2)",
        "[Veille] Velora : retour à la normale (pic de mentions négatives)",
    ]
