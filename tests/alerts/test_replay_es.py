"""Replay on a real Elasticsearch: the in-memory answers match live queries, any cadence goes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alerts.engine import build_rules, check_alerts
from alerts.notify import INCIDENT_KINDS
from alerts.queries import AlertQueries
from alerts.replay import replay
from alerts.replay_queries import ReplayQueries

pytestmark = pytest.mark.es

RULES = (
    {"name": "neg", "type": "negative_spike"},
    {"name": "vol", "type": "volume_spike"},
    {"name": "crisis", "type": "crisis_keywords", "keywords": ["arnaque"]},
    {"name": "vip", "type": "influential_author", "min_influence": 60},
)


def seen(findings):
    return [(f.key, f.status, f.figures.get("current"), sorted(f.mentions)) for f in findings]


def test_replay_queries_answer_like_the_live_ones(history, alert_config, es_client, index_names, now):
    history.steady(days=15, per_hour=4, end=now + timedelta(hours=2))
    history.burst(now - timedelta(minutes=55), 30)
    # Copies of one story spread over hours (live counts it once in the 12 h scanned, once per
    # hour in the history) and a negative story that is also among all mentions.
    for i in range(6):
        history.mention(now - timedelta(hours=30, minutes=-50 * i), story_id="story-old")
    history.burst(now - timedelta(minutes=170), 8, minutes=160, story_id="story-copied")
    history.mention(now - timedelta(hours=2), label="negative", text="Velora : une arnaque")
    history.mention(now - timedelta(minutes=20), label="negative", author={"name": "Guru", "influence": 80})
    history.flush()
    loaded = alert_config(*RULES)
    live_rules, replay_rules = build_rules(loaded.config), build_rules(loaded.config)
    live = AlertQueries(es_client, index_names)
    memory = ReplayQueries(es_client, index_names, now - timedelta(hours=1), now + timedelta(hours=1))
    compared = 0
    for k in range(0, 25, 3):
        at = now - timedelta(hours=1) + k * timedelta(minutes=5)
        for a, b in zip(live_rules, replay_rules, strict=True):
            expected = seen(a.evaluate(live, at))
            assert expected, a.name
            assert seen(b.evaluate(memory, at)) == expected, (a.name, at)
            compared += 1
    assert compared == 9 * len(RULES)
    # Counts themselves, also at instants off the 5-minute grid (a 1- or 7-minute cadence).
    for minutes in (0, 1, 7, 33, 61):
        at = now - timedelta(hours=1) + timedelta(minutes=minutes)
        hour, recent_start = timedelta(hours=1), at - timedelta(hours=12)
        spans = {"recent": (recent_start, at, timedelta(minutes=5)),
                 "history": (at - timedelta(days=3), recent_start, hour)}  # fmt: skip
        for negative in (False, True):
            expected = live.binned_counts(["Velora"], spans, negative=negative, once={"recent"})
            got = memory.binned_counts(["Velora"], spans, negative=negative, once={"recent"})
            assert got == expected, (minutes, negative)
    statuses = {s for r in live_rules for s, *_ in [(f.status,) for f in r.evaluate(live, now)]}
    assert "firing" in statuses  # the comparison covered a burst, not only calm


def test_a_one_minute_replay_runs_and_reports_the_burst(history, alert_config, now):
    history.steady(days=15, per_hour=4, end=now + timedelta(hours=2))
    history.burst(now - timedelta(minutes=55), 30)
    history.flush()
    loaded = alert_config(RULES[0])
    events = replay(loaded, now - timedelta(hours=2), now + timedelta(hours=2), step=timedelta(minutes=1))
    alerts = [e for e in events if e.kind == "open"]
    assert alerts and now - timedelta(minutes=55) < alerts[0].at <= now
    assert " mentions négatives en " in alerts[0].summary


def test_replay_lists_the_emails_the_live_engine_sends(history, alert_config, now):
    """The same checks run live (engine, ES state, outbox) and replayed: the same emails, at the
    same instants, with the same subjects; rules firing together are one incident, one email."""
    history.steady(days=15, per_hour=4, end=now + timedelta(hours=5))
    history.burst(now - timedelta(minutes=55), 30, text="Velora : une arnaque, la box ne marche plus")
    history.mention(now - timedelta(minutes=20), label="negative", author={"name": "Guru", "influence": 80})
    history.flush()
    loaded = alert_config(*RULES)
    step, since, until = timedelta(minutes=15), now - timedelta(hours=1), now + timedelta(hours=4)
    live = []
    at = since
    while at <= until:
        for sent in check_alerts(loaded, at).notifications:
            live.append((at, sent["kind"], sent["subject"]))
        at += step
    replayed = [
        (e.at, INCIDENT_KINDS.get(e.kind, e.kind), f"[Veille] {e.summary}")
        for e in replay(loaded, since, until, step=step)
    ]
    assert replayed == live
    kinds = [kind for _, kind, _ in live]
    assert kinds[0] == "alert" and "recovery" in kinds  # an incident opened and closed
    assert kinds.count("alert") == 1  # four rules fired, one email opened the incident
