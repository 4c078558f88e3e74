"""Replay: evaluate the rules over stored history, step by step, and say when each would have fired.

Same rule code and same episode logic (``alerts.engine.evaluate`` and ``episodes.advance``) as a
live check, with the state kept in memory: nothing is written, nothing is sent. Meant for tuning
a rule on past data before switching it on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from alerts.engine import build_rules, evaluate
from alerts.queries import AlertQueries
from alerts.store import MemoryStore
from core.config import LoadedConfig
from core.errors import VeilleError
from index.client import client_for
from index.names import IndexNames

logger = logging.getLogger(__name__)

MAX_STEPS = 20_000


@dataclass(frozen=True)
class ReplayEvent:
    at: datetime
    rule: str
    rule_type: str
    key: str
    kind: str  # alert | escalation | recovery
    summary: str
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
    if (until - since) / step > MAX_STEPS:
        raise VeilleError(f"replay: more than {MAX_STEPS} steps; use a larger --step or a shorter period")
    rules = build_rules(loaded.config, only=only)
    store = MemoryStore()
    events: list[ReplayEvent] = []
    es_config = loaded.config.elasticsearch
    with client_for(es_config) as es:
        queries = AlertQueries(es, IndexNames(es_config.index_prefix))
        now = since
        while now <= until:
            decisions, errors = evaluate(rules, queries, store, now)
            for message in errors:
                logger.warning("replay at %s: %s", now.isoformat(), message)
            for decision in decisions:
                t = decision.transition
                if t.state != decision.before:
                    stored = store.load(decision.rule.name, [decision.finding.key])[decision.finding.key]
                    store.save(stored, t.state, pending=None, now=now)
                if t.kind is not None:
                    why = decision.finding.figures.get("why") or t.note
                    events.append(
                        ReplayEvent(
                            now,
                            decision.rule.name,
                            decision.rule.type_name,
                            decision.finding.key,
                            t.kind,
                            decision.finding.summary,
                            f"{t.note}; {why}" if why != t.note else why,
                        )
                    )
            if on_step is not None:
                on_step(now)
            now += step
    return events
