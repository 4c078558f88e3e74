"""Incident planning: one thread per brand and period, updates while open, one close note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.episodes import AlertState
from alerts.incident import INCIDENT_RULE, QUIET, plan_incident

NOW = datetime(2026, 11, 20, 14, tzinfo=UTC)
CLOSED = AlertState(rule=INCIDENT_RULE, key="Velora")


def test_first_alerts_open_one_incident_then_updates_reply_to_it():
    opened = plan_incident(CLOSED, "Velora", ["alert", "alert", "alert"], False, True, NOW)
    assert opened.kind == "open" and opened.root_message_id is None
    update = plan_incident(opened.state, "Velora", ["escalation"], True, True, NOW + timedelta(minutes=30))
    assert update.kind == "update" and update.root_message_id == opened.notification_id
    assert update.notification_id != opened.notification_id
    again = plan_incident(update.state, "Velora", ["alert"], True, True, NOW + timedelta(hours=1))
    assert again.kind == "update" and again.notification_id != update.notification_id


def test_one_back_to_normal_note_when_no_episode_is_firing_any_more():
    opened = plan_incident(CLOSED, "Velora", ["alert", "alert"], False, True, NOW).state
    # One rule back to normal while another still fires: nothing sent yet.
    assert plan_incident(opened, "Velora", ["recovery"], True, True, NOW + timedelta(hours=1)).kind is None
    close = plan_incident(opened, "Velora", ["recovery"], True, False, NOW + timedelta(hours=2))
    assert close.kind == "close" and close.state.status == "normal"
    assert (
        plan_incident(close.state, "Velora", ["recovery"], True, False, NOW + timedelta(hours=3)).kind is None
    )


def test_an_incident_of_event_rules_only_ends_quietly():
    opened = plan_incident(CLOSED, "Velora", ["alert"], False, False, NOW).state  # crisis words only
    later = plan_incident(opened, "Velora", ["alert"], False, True, NOW + QUIET + timedelta(minutes=5))
    assert later.kind == "open"  # a new incident, a new thread, even if a spike starts with it
    assert plan_incident(opened, "Velora", ["alert"], False, False, NOW + timedelta(hours=2)).kind == "update"
