"""The alert engine: evaluate every enabled rule, move each episode on, notify, remember.

``check_alerts(loaded)`` is what the scheduler and ``veille alerts check`` call. Order of a run:
queue the notifications a crashed run left pending; evaluate the rules (aggregations); for each
transition, write the new state with the notification inside it (atomic, concurrency-checked),
queue the email (idempotent Message-ID), record it in the history and clear it from the state;
finally flush the outgoing queue. A rule whose query fails is reported and skipped; the others run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from alerts.episodes import AlertState, Policy, advance
from alerts.incident import INCIDENT_RULE, plan_incident
from alerts.mail.queue import FlushReport, MailQueue
from alerts.notify import Decision, build_incident_notification, build_notification, history_doc, to_email
from alerts.outgoing import flush_outgoing, mail_queue
from alerts.queries import AlertQueries
from alerts.rules import RuleContext, RuleType, build_rule
from alerts.store import AlertStore, EsAlertStore
from core.config import Config, LoadedConfig
from core.errors import ConfigError
from index.client import client_for
from index.names import IndexNames

logger = logging.getLogger(__name__)

# Rule types whose findings for one brand join that brand's incident (one email thread).
INCIDENT_TYPES = frozenset(
    {"negative_spike", "volume_spike", "crisis_keywords", "influential_author", "rating_drop"}
)


def build_rules(
    config: Config, *, only: str | None = None, empty_runs: Mapping[str, int] | None = None
) -> list[RuleType]:
    """The enabled rules (or the one named ``only``), checked against the rest of the config.

    ``empty_runs``: per source, the crawls in a row that found no post (the collection state).
    """
    brands = tuple(b.name for b in config.brands)
    sources = tuple(config.sources.names(enabled_only=True))
    all_sources = set(config.sources.names())
    rules = []
    for index, cfg in enumerate(config.alerts.rules):
        if only is not None and cfg.name != only:
            continue
        unknown = sorted(set(getattr(cfg, "sources", [])) - all_sources)
        if unknown:
            raise ConfigError(
                f"alerts.rules[{index}].sources: unknown source(s) {unknown}; known: {sorted(all_sources)}"
            )
        if cfg.enabled or only is not None:
            context = RuleContext(tuple(cfg.brands) or brands, sources, config.tz, dict(empty_runs or {}))
            rules.append(build_rule(cfg, context))
    if only is not None and not rules:
        raise ConfigError(f"alerts.rules: no rule named {only!r}")
    return rules


def policy_for(rule: RuleType) -> Policy:
    cfg = rule.config
    return Policy(
        episodic=rule.episodic,
        realert=cfg.realert,
        escalate_ratio=getattr(cfg, "escalate_ratio", None),
        min_new=1 if rule.episodic else getattr(cfg, "min_count", 1),
    )


def evaluate(
    rules: list[RuleType], queries: AlertQueries, store: AlertStore, now: datetime
) -> tuple[list[Decision], list[str]]:
    """Every rule's findings and transitions at ``now``; rules that failed are named in the errors."""
    decisions: list[Decision] = []
    errors: list[str] = []
    for rule in rules:
        try:
            findings = rule.evaluate(queries, now)
        except ApiError as exc:
            logger.error("rule %s: query failed, skipped this time: %s", rule.name, exc)
            errors.append(f"rule {rule.name}: {exc}")
            continue
        stored = store.load(rule.name, [f.key for f in findings])
        policy = policy_for(rule)
        for finding in findings:
            before = stored[finding.key].state
            transition = advance(before, finding, now, policy)
            logger.debug("rule %s, %s: %s -> %s (%s)", rule.name, finding.key, finding.status,
                         transition.kind, transition.note)  # fmt: skip
            decisions.append(Decision(rule, finding, before, transition))
    return decisions, errors


@dataclass
class CheckReport:
    notifications: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    recovered: int = 0  # pending notifications of an earlier, interrupted run, queued now
    flush: FlushReport | None = None

    def __str__(self) -> str:
        text = f"{len(self.notifications)} notification(s)"
        if self.recovered:
            text += f", {self.recovered} recovered from an interrupted run"
        if self.flush is not None:
            text += f"; email: {self.flush}"
        if self.errors:
            text += f"; {len(self.errors)} rule(s) failed"
        return text


class AlertEngine:
    """Explicit dependencies: the ES client, index names, the alert store and the mail queue."""

    def __init__(
        self,
        config: Config,
        es: Elasticsearch,
        names: IndexNames,
        store: EsAlertStore,
        queue: MailQueue | None,
        empty_runs: Mapping[str, int] | None = None,
    ) -> None:
        self.config = config
        self.empty_runs = empty_runs or {}
        self.es = es
        self.names = names
        self.store = store
        self.queue = queue

    def check(self, now: datetime, *, dry_run: bool = False, only: str | None = None) -> CheckReport:
        report = CheckReport()
        rules = build_rules(self.config, only=only, empty_runs=self.empty_runs)
        if not dry_run:
            self.store.ensure()
            report.recovered = self._requeue_pending()
        decisions, report.errors = evaluate(rules, AlertQueries(self.es, self.names), self.store, now)
        report.decisions = decisions
        incidents: dict[str, list[Decision]] = {}
        for decision in decisions:
            t = decision.transition
            if decision.finding.brand is not None and decision.rule.type_name in INCIDENT_TYPES:
                incidents.setdefault(decision.finding.brand, []).append(decision)
                continue
            if t.kind is None:
                if not dry_run and t.state != decision.before:
                    self._save(decision, None, now)  # e.g. forgotten old mention ids
                continue
            payload = build_notification(decision, self.config, self.es, self.names, now)
            if dry_run:
                report.notifications.append(payload)
                continue
            if self._save(decision, payload, now):
                self._dispatch(decision, payload)
                report.notifications.append(payload)
        for brand, group in incidents.items():
            self._incident(brand, group, now, report, dry_run=dry_run)
        return report

    def _incident(
        self, brand: str, group: list[Decision], now: datetime, report: CheckReport, *, dry_run: bool
    ) -> None:
        """One email (or none) for everything the rules decided about ``brand`` in this run."""
        kinds = [d.transition.kind for d in group if d.transition.kind]
        if not kinds:
            for decision in group:
                if not dry_run and decision.transition.state != decision.before:
                    self._save(decision, None, now)
            return
        before = any(d.rule.episodic and d.before.status == "firing" for d in group)
        after = any(d.rule.episodic and d.transition.state.status == "firing" for d in group)
        stored = self.store.load(INCIDENT_RULE, [brand])[brand]
        plan = plan_incident(stored.state, brand, kinds, before, after, now)
        payload = None
        if plan.kind is not None:
            payload = build_incident_notification(plan, brand, group, self.config, self.es, self.names, now)
        if dry_run:
            if payload is not None:
                report.notifications.append(payload)
            return
        changed = [d for d in group if d.transition.kind or d.transition.state != d.before]
        # The email rides inside every rule state it reports (written atomically with the state),
        # so a crash before it is queued is recovered on the next run; the queue ignores repeats.
        saved = [d for d in changed if self._save(d, payload if d.transition.kind else None, now)]
        if not any(d.transition.kind for d in saved):
            return  # another run took these transitions: it sends the email
        stored.meta = {"rule_type": INCIDENT_RULE, "brand": brand}
        self.store.save(stored, plan.state, pending=None, now=now)
        if payload is not None:
            if self.queue is not None:
                self.queue.put(to_email(payload), payload["recipients"])
            self.store.record(payload["id"], history_doc(payload))
            for d in saved:
                if d.transition.kind:
                    rule_state = self.store.load(d.rule.name, [d.finding.key])[d.finding.key]
                    self.store.clear_pending(rule_state, payload["id"])
            logger.info("incident %s for %s queued: %s", plan.kind, brand, payload["subject"])
            report.notifications.append(payload)

    def _save(self, decision: Decision, payload: dict[str, Any] | None, now: datetime) -> bool:
        stored = self.store.load(decision.rule.name, [decision.finding.key])[decision.finding.key]
        if stored.state != decision.before:
            logger.warning("rule %s, %s: state changed during the run; not notifying twice",
                           decision.rule.name, decision.finding.key)  # fmt: skip
            return False
        stored.meta = {"rule_type": decision.rule.type_name, "brand": decision.finding.brand}
        return self.store.save(stored, decision.transition.state, pending=payload, now=now)

    def _dispatch(self, decision: Decision | None, payload: dict[str, Any], stored: Any = None) -> None:
        if self.queue is not None:
            self.queue.put(to_email(payload), payload["recipients"])
        self.store.record(payload["id"], history_doc(payload))
        if stored is None:
            stored = self.store.load(payload["rule"], [payload["key"]])[payload["key"]]
        self.store.clear_pending(stored, payload["id"])
        logger.info("alert %s queued: %s", payload["id"], payload["subject"])

    def _requeue_pending(self) -> int:
        count = 0
        for stored in self.store.with_pending():
            if stored.pending:
                logger.warning(
                    "queuing notification %s left pending by an interrupted run", stored.pending["id"]
                )
                self._dispatch(None, stored.pending, stored)
                count += 1
        return count


def check_alerts(
    loaded: LoadedConfig,
    now: datetime | None = None,
    dry_run: bool = False,
    *,
    only: str | None = None,
    es: Elasticsearch | None = None,
    empty_runs: Mapping[str, int] | None = None,
) -> CheckReport:
    """One alert run at ``now`` (default: the current time); with ``dry_run`` nothing is written or sent.

    ``es``: a client the caller keeps open (the scheduler's); without it one is opened for this run.
    ``empty_runs``: per source, the crawls in a row that found no post (``crawlers.state``; the
    caller reads it: alerts do not import the collectors).
    """
    now = now or datetime.now(UTC)
    es_config = loaded.config.elasticsearch
    names = IndexNames(es_config.index_prefix)
    empty = empty_runs or {}
    with client_for(es_config, es) as client:
        store = EsAlertStore(client, names)
        if dry_run:
            engine = AlertEngine(loaded.config, client, names, store, None, empty)
            return engine.check(now, dry_run=True, only=only)
        with mail_queue(loaded) as queue:
            report = AlertEngine(loaded.config, client, names, store, queue, empty).check(now, only=only)
        from alerts.push import push_alerts  # Apprise targets, when configured

        push_alerts(loaded, client, names, now)
    report.flush = flush_outgoing(loaded)
    return report


__all__ = [
    "AlertEngine",
    "AlertState",
    "CheckReport",
    "build_rules",
    "check_alerts",
    "evaluate",
]
