"""One incident, one email thread: the rules that fire for a brand in the same period are grouped.

An incident opens with the first alert of any rule for a brand and sends one email whose sections
are the rules that fired (negative spike, crisis words, influential authors, rating drop...). Later
alerts and escalations while it is open are updates in the same thread (``In-Reply-To`` and
``References`` carry the first email's Message-ID). When no episodic rule of the brand is firing
any more, one back-to-normal note closes it; an incident opened by event rules only (crisis words,
authors) closes silently after ``QUIET`` without news. Its state is kept in the alerts index as
the state of the pseudo-rule ``incident`` (key: the brand), like every rule's.

``plan_incident`` is a pure function; the engine persists its result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from alerts.episodes import AlertState
from alerts.mail.message import stable_id

INCIDENT_RULE = "incident"
QUIET = timedelta(hours=24)
# Sections in the order a community manager reads them.
SECTION_ORDER = ("negative_spike", "crisis_keywords", "influential_author", "rating_drop", "volume_spike")

IncidentKind = Literal["open", "update", "close"]


@dataclass(frozen=True)
class IncidentPlan:
    kind: IncidentKind | None  # None: nothing to send for this brand this time
    state: AlertState
    notification_id: str = ""
    root_message_id: str | None = None  # what an update or the close replies to


def incident_open(state: AlertState, now: datetime, episodes_firing: bool) -> bool:
    """Open: not closed, and an episode was under way or the last email is recent (an incident
    opened by event rules only and quiet for ``QUIET`` is over, closed silently)."""
    if state.status != "firing":
        return False
    return episodes_firing or (state.last_alert_at is not None and now - state.last_alert_at < QUIET)


def plan_incident(
    state: AlertState,
    brand: str,
    kinds: Sequence[str],
    episodes_before: bool,
    episodes_after: bool,
    now: datetime,
) -> IncidentPlan:
    """What to send for ``brand`` given this run's transition ``kinds`` (alert, escalation,
    recovery) and whether an episodic rule of the brand was firing before them and still is after."""
    news = [k for k in kinds if k in ("alert", "escalation")]
    was_open = incident_open(state, now, episodes_before)
    root = state.notified.get("root")
    if news and not was_open:
        since = now.isoformat()
        nid = stable_id(INCIDENT_RULE, brand, since, "open")
        new = replace(state, status="firing", since=now, last_alert_at=now, level=0, notified={"root": nid})
        return IncidentPlan("open", new, nid, None)
    if news:
        level = state.level + 1
        since = state.since.isoformat() if state.since else ""
        nid = stable_id(INCIDENT_RULE, brand, since, "update", str(level))
        return IncidentPlan("update", replace(state, last_alert_at=now, level=level), nid, root)
    if was_open and "recovery" in kinds and not episodes_after:
        since = state.since.isoformat() if state.since else ""
        nid = stable_id(INCIDENT_RULE, brand, since, "close")
        return IncidentPlan("close", replace(state, status="normal", level=0), nid, root)
    if state.status == "firing" and not was_open:
        return IncidentPlan(None, replace(state, status="normal", level=0))  # quiet: closed silently
    return IncidentPlan(None, state)


def section_rank(rule_type: str) -> int:
    return SECTION_ORDER.index(rule_type) if rule_type in SECTION_ORDER else len(SECTION_ORDER)


def headline(kind: IncidentKind, brand: str, first_news: str, escalated: bool) -> str:
    """The email's subject without its prefix: the first section's summary (in reading order), or
    the close note. Shared by the email and the replay listing, so both say the same."""
    if kind == "close":
        return f"{brand} : retour à la normale"
    if kind == "update":
        return first_news + (" — ça s'aggrave" if escalated else " — mise à jour")
    return first_news
