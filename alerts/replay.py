"""Replay: evaluate the rules over stored history, step by step, and say when each would have fired.

Same rule code, same episode logic (``alerts.engine.evaluate`` and ``episodes.advance``) and same
incident grouping (``incident.plan_incident``) as a live check, with the state kept in memory:
nothing is written, nothing is sent. What is listed is what would have been emailed: for a brand,
one incident (opened, updated, closed) whatever the number of its rules that fired together, each
with the same subject as the email; rules outside incidents (a silent source) one by one. The
rules' data is fetched once for the whole period (``ReplayQueries``) and every step is answered
in memory, so any cadence can be replayed. Meant for tuning a rule on past data before switching
it on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from alerts.engine import INCIDENT_TYPES, build_rules, evaluate
from alerts.episodes import AlertState
from alerts.incident import INCIDENT_RULE, headline, plan_incident, section_rank
from alerts.notify import Decision
from alerts.replay_queries import ReplayQueries, progress_logger
from alerts.store import MemoryStore
from core.config import LoadedConfig
from core.errors import VeilleError
from index.client import client_for
from index.names import IndexNames

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplayEvent:
    """One email that would have been sent."""

    at: datetime
    rule: str  # the rule, or for an incident the rules reported, comma-separated
    rule_type: str  # "incident" for a brand's incident
    key: str  # the brand (or the source)
    kind: str  # open | update | close (incidents); alert | escalation | recovery (other rules)
    summary: str  # the email's subject, without its "[Veille] " prefix
    why: str

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat()}


def replay(
    loaded: LoadedConfig,
    since: datetime,
    until: datetime,
    *,
    step: timedelta = timedelta(minutes=15),
    only: str | None = None,
    on_step: Callable[[datetime], None] | None = None,
) -> list[ReplayEvent]:
    """Every notification the rules would have sent between ``since`` and ``until``.

    ``on_step(now)`` is called after each evaluation (the CLI's progress bar).
    """
    if until <= since:
        raise VeilleError("replay: --until must be after --since")
    if step <= timedelta(0):
        raise VeilleError("replay: --step must be positive")
    rules = build_rules(loaded.config, only=only)
    store = MemoryStore()
    events: list[ReplayEvent] = []
    incidents: dict[str, AlertState] = {}  # brand -> incident state, as the engine keeps it
    es_config = loaded.config.elasticsearch
    with client_for(es_config) as es:
        queries = ReplayQueries(es, IndexNames(es_config.index_prefix), since, until)
        total = int((until - since) / step) + 1
        report = progress_logger(total)
        now, done = since, 0
        while now <= until:
            decisions, errors = evaluate(rules, queries, store, now)
            for message in errors:
                logger.warning("replay at %s: %s", now.isoformat(), message)
            groups: dict[str, list[Decision]] = {}
            for decision in decisions:
                t = decision.transition
                if t.state != decision.before:
                    stored = store.load(decision.rule.name, [decision.finding.key])[decision.finding.key]
                    store.save(stored, t.state, pending=None, now=now)
                brand = decision.finding.brand
                if brand is not None and decision.rule.type_name in INCIDENT_TYPES:
                    groups.setdefault(brand, []).append(decision)
                elif t.kind is not None:
                    events.append(
                        ReplayEvent(now, decision.rule.name, decision.rule.type_name, decision.finding.key,
                                    t.kind, decision.finding.summary, _why(decision))
                    )  # fmt: skip
            for brand, group in groups.items():
                event = _incident(brand, group, incidents, now)
                if event is not None:
                    events.append(event)
            if on_step is not None:
                on_step(now)
            now += step
            done += 1
            report(done)
    return events


def _why(decision: Decision) -> str:
    note = decision.transition.note
    why = decision.finding.figures.get("why") or note
    return f"{note}; {why}" if why != note else why


def _incident(
    brand: str, group: list[Decision], incidents: dict[str, AlertState], now: datetime
) -> ReplayEvent | None:
    """What ``AlertEngine._incident`` would send for ``brand`` at ``now`` (the same plan)."""
    kinds = [d.transition.kind for d in group if d.transition.kind]
    if not kinds:
        return None
    before = any(d.rule.episodic and d.before.status == "firing" for d in group)
    after = any(d.rule.episodic and d.transition.state.status == "firing" for d in group)
    state = incidents.get(brand) or AlertState(rule=INCIDENT_RULE, key=brand)
    plan = plan_incident(state, brand, kinds, before, after, now)
    incidents[brand] = plan.state
    if plan.kind is None:
        return None
    ordered = sorted(group, key=lambda d: section_rank(d.rule.type_name))
    news = [d for d in ordered if d.transition.kind in ("alert", "escalation")]
    reported = ordered if plan.kind == "close" else news
    grew = any(d.transition.kind == "escalation" for d in news)
    subject = headline(plan.kind, brand, news[0].finding.summary if news else "", grew)
    return ReplayEvent(
        now, ", ".join(d.rule.name for d in reported), INCIDENT_RULE, brand, plan.kind, subject,
        " | ".join(f"{d.rule.name}: {_why(d)}" for d in reported),
    )  # fmt: skip
