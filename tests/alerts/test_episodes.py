"""Cool-down, escalation and back to normal, as decided by ``episodes.advance`` (no ES)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.episodes import AlertState, Policy, advance
from alerts.rules.base import Finding

T0 = datetime(2026, 11, 20, 14, tzinfo=UTC)
SPIKE = Policy(episodic=True, realert=timedelta(hours=2), escalate_ratio=1.5)
EVENTS = Policy(episodic=False, realert=timedelta(hours=1), min_new=1)


def finding(status, severity=10.0, mentions=None):
    return Finding(
        "Velora", "Velora", status, "", severity, T0 - timedelta(days=1), T0, mentions=mentions or {}
    )


def run(policy, steps):
    state, kinds = AlertState("r", "Velora"), []
    for minutes, f in steps:
        t = advance(state, f, T0 + timedelta(minutes=minutes), policy)
        state = t.state
        kinds.append(t.kind)
    return kinds, state


def test_an_episode_alerts_once_then_says_back_to_normal():
    kinds, state = run(SPIKE, [(0, finding("firing")), (5, finding("firing")), (10, finding("elevated")),
                               (15, finding("normal"))])  # fmt: skip
    assert kinds == ["alert", None, None, "recovery"]
    assert state.status == "normal"


def test_the_cool_down_holds_back_a_repeat_of_the_same_size():
    kinds, _ = run(SPIKE, [(0, finding("firing")), (20, finding("normal")), (40, finding("firing", 11)),
                           (60, finding("normal")), (130, finding("firing"))])  # fmt: skip
    assert kinds == ["alert", "recovery", None, None, "alert"]


def test_a_bigger_crisis_goes_through_the_cool_down():
    kinds, _ = run(SPIKE, [(0, finding("firing")), (20, finding("normal")), (40, finding("firing", 30))])
    assert kinds == ["alert", "recovery", "alert"]


def test_a_growing_spike_escalates_each_time_it_grows_by_the_ratio():
    severities = [10, 14, 15, 24, 30]
    kinds, state = run(SPIKE, [(5 * i, finding("firing", s)) for i, s in enumerate(severities)])
    assert kinds == ["alert", None, "escalation", "escalation", None]
    assert state.level == 2


def test_learning_changes_nothing():
    kinds, _ = run(SPIKE, [(0, finding("firing")), (5, finding("learning"))])
    assert kinds == ["alert", None]


def test_event_rules_report_each_mention_once_and_group_during_the_cool_down():
    a = {"m1": "2026-11-20T13:00:00+00:00"}
    ab = {**a, "m2": "2026-11-20T13:30:00+00:00"}
    abc = {**ab, "m3": "2026-11-20T14:10:00+00:00"}
    steps = [(0, finding("firing", mentions=a)), (5, finding("firing", mentions=a)),
             (10, finding("firing", mentions=ab)), (30, finding("firing", mentions=abc)),
             (61, finding("firing", mentions=abc)), (70, finding("firing", mentions=abc))]  # fmt: skip
    state, kinds, reported = AlertState("r", "Velora"), [], []
    for minutes, f in steps:
        t = advance(state, f, T0 + timedelta(minutes=minutes), EVENTS)
        state = t.state
        kinds.append(t.kind)
        reported.append(sorted(t.mentions))
    assert kinds == ["alert", None, None, None, "alert", None]
    assert reported[0] == ["m1"] and reported[4] == ["m2", "m3"]
