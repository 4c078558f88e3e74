"""Replay: evaluate the rules over stored history, step by step, and say when each would have fired.

Same rule code, same episode logic (``episodes.advance``, with the engine's ``policy_for``) and same
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

from elasticsearch import ApiError

from alerts.engine import INCIDENT_TYPES, build_rules, policy_for
from alerts.episodes import AlertState, Policy, Transition, advance
from alerts.incident import INCIDENT_RULE, headline, plan_incident, section_rank
from alerts.notify import Decision
from alerts.replay_queries import ReplayQueries, progress_logger
from alerts.rules import Finding, RuleType
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


# A rule, its episode policy, and whether its findings join a brand's incident.
Plan = tuple[RuleType, Policy, bool]


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
    # Per rule, its episode policy and whether its findings join a brand's incident (fixed for
    # the whole replay: worked out once, not at every step as a live check does).
    plans: list[Plan] = [(rule, policy_for(rule), rule.type_name in INCIDENT_TYPES) for rule in rules]
    states: dict[tuple[str, str], AlertState] = {}  # (rule, key) -> state, as the store keeps it
    events: list[ReplayEvent] = []
    incidents: dict[str, AlertState] = {}  # brand -> incident state, as the engine keeps it
    es_config = loaded.config.elasticsearch
    with client_for(es_config) as es:
        queries = ReplayQueries(es, IndexNames(es_config.index_prefix), since, until)
        total = int((until - since) / step) + 1
        report = progress_logger(total)
        now, done = since, 0
        while now <= until:
            for brand, group in _step(plans, states, queries, now, events).items():
                event = _incident(brand, group, incidents, now)
                if event is not None:
                    events.append(event)
            if on_step is not None:
                on_step(now)
            now += step
            done += 1
            report(done)
    return events


def _step(
    plans: list[Plan],
    states: dict[tuple[str, str], AlertState],
    queries: ReplayQueries,
    now: datetime,
    events: list[ReplayEvent],
) -> dict[str, list[Decision]]:
    """Every rule evaluated at ``now`` and every episode moved on (``states`` updated); the events
    of rules outside incidents are appended to ``events``; returns, per brand with news, the
    decisions of its incident rules, in the engine's order."""
    groups: dict[str, list[tuple[RuleType, Finding, AlertState, Transition]]] = {}
    news: set[str] = set()  # the brands with a transition at this step
    for rule, policy, grouped in plans:
        try:
            findings = rule.evaluate(queries, now)
        except ApiError as exc:  # as a live check: the rule is skipped this time
            logger.warning("replay at %s: rule %s: %s", now.isoformat(), rule.name, exc)
            continue
        for finding in findings:
            key = (rule.name, finding.key)
            before = states.get(key)
            if before is None:
                before = states[key] = AlertState(rule=rule.name, key=finding.key)
            t = advance(before, finding, now, policy)
            if t.state is not before:
                states[key] = t.state
            brand = finding.brand
            if grouped and brand is not None:
                groups.setdefault(brand, []).append((rule, finding, before, t))
                if t.kind is not None:
                    news.add(brand)
            elif t.kind is not None:
                decision = Decision(rule, finding, before, t)
                events.append(
                    ReplayEvent(now, rule.name, rule.type_name, finding.key, t.kind, finding.summary,
                                _why(decision))
                )  # fmt: skip
    return {brand: [Decision(*d) for d in group] for brand, group in groups.items() if brand in news}


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
