"""From findings to notifications: cool-down, escalation and "back to normal", as a pure function.

``advance(state, finding, now, policy)`` returns the next state and what to notify, if anything.
The engine persists the state in Elasticsearch; replay and the benchmark keep it in memory. Both
call this same function, so what replay shows is what the engine would have sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Literal, NamedTuple

from alerts.rules.base import Finding

Kind = Literal["alert", "escalation", "recovery"]


@dataclass(frozen=True)
class Policy:
    """What the engine needs from a rule's options to decide."""

    episodic: bool
    realert: timedelta
    escalate_ratio: float | None = None  # None = this rule type does not escalate
    min_new: int = 1  # event rules: new matching mentions needed to alert


@dataclass(frozen=True)
class AlertState:
    """One rule and key: where its episode stands and what was last notified."""

    rule: str
    key: str
    status: Literal["normal", "firing"] = "normal"
    since: datetime | None = None  # start of the current episode
    last_alert_at: datetime | None = None  # last alert or escalation notified (the cool-down)
    last_severity: float = 0.0
    level: int = 0  # escalations in the current episode
    notified: dict[str, str] = field(default_factory=dict)  # event rules: mention id -> published


NO_MENTIONS: Mapping[str, str] = MappingProxyType({})


class Transition(NamedTuple):
    """What ``advance`` decided. A named tuple, not a frozen dataclass: a replay makes one per rule,
    key and step (hundreds of thousands), and a tuple is built three times faster."""

    kind: Kind | None
    state: AlertState
    note: str  # why this, or why nothing (for logs, dry runs and replays)
    mentions: Mapping[str, str] = NO_MENTIONS  # event rules: the new mentions reported (read-only)

    @property
    def changed(self) -> bool:
        return self.kind is not None


def advance(state: AlertState, finding: Finding, now: datetime, policy: Policy) -> Transition:
    """The next state of ``state`` given ``finding`` at ``now``."""
    if policy.episodic:
        return _episode(state, finding, now, policy)
    return _events(state, finding, now, policy)


def _cool_until(state: AlertState, policy: Policy) -> datetime | None:
    return state.last_alert_at + policy.realert if state.last_alert_at else None


def _episode(state: AlertState, finding: Finding, now: datetime, policy: Policy) -> Transition:
    if finding.status == "learning":
        return Transition(None, state, "not enough history yet")
    grown = (
        policy.escalate_ratio is not None
        and state.last_severity > 0
        and finding.severity >= state.last_severity * policy.escalate_ratio
    )
    if state.status == "normal":
        if finding.status != "firing":
            return Transition(None, state, "normal")
        cool_until = _cool_until(state, policy)
        # The cool-down holds back a repeat of the same size, never a bigger crisis.
        if cool_until is not None and now < cool_until and not grown:
            return Transition(None, state, f"firing but in cool-down until {cool_until.isoformat()}")
        new = replace(
            state, status="firing", since=now, last_alert_at=now, last_severity=finding.severity, level=0
        )
        return Transition("alert", new, "threshold crossed")
    if finding.status == "normal":
        new = replace(state, status="normal", since=None, level=0)
        return Transition("recovery", new, "back to normal")
    if finding.status == "firing" and grown:
        new = replace(state, last_alert_at=now, last_severity=finding.severity, level=state.level + 1)
        note = f"grew from {state.last_severity:g} to {finding.severity:g} since the last alert"
        return Transition("escalation", new, note)
    return Transition(None, state, "episode still open")


def _events(state: AlertState, finding: Finding, now: datetime, policy: Policy) -> Transition:
    if not finding.mentions and not state.notified and policy.min_new > 0:
        return Transition(None, state, "nothing new")  # the usual check, in short
    # Mentions older than the window can never match again: forget them to keep the state small.
    horizon = finding.window_start.isoformat() if finding.window_start else ""
    kept = {mid: ts for mid, ts in state.notified.items() if ts >= horizon}
    fresh = {mid: ts for mid, ts in finding.mentions.items() if mid not in kept}
    # The same state when nothing was forgotten (the usual check: no copy to make).
    same = state if len(kept) == len(state.notified) else replace(state, notified=kept)
    if len(fresh) < policy.min_new:
        note = f"{len(fresh)} new matching mention(s), {policy.min_new} needed" if fresh else "nothing new"
        return Transition(None, same, note)
    cool_until = _cool_until(state, policy)
    if cool_until is not None and now < cool_until:
        return Transition(
            None,
            same,
            f"{len(fresh)} new mention(s) held until the cool-down ends at {cool_until.isoformat()}",
        )
    new = replace(state, notified={**kept, **fresh}, last_alert_at=now, last_severity=len(fresh))
    return Transition("alert", new, f"{len(fresh)} new matching mention(s)", mentions=fresh)
