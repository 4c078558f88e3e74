"""From a decided transition to a ready-to-send notification: ids, wording, evidence, templates.

A notification is a plain dict (it is stored inside the alert state until queued): its ``id`` is
derived from the rule, the key and the episode, so the same alert always has the same id and
Message-ID however many times a crash makes us rebuild it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from elasticsearch import Elasticsearch

from alerts import wording
from alerts.episodes import AlertState, Transition
from alerts.evidence import Evidence, gather
from alerts.incident import INCIDENT_RULE, IncidentPlan, section_rank
from alerts.incident import headline as incident_headline
from alerts.kibana import discover_url
from alerts.mail.message import build_message, message_id, stable_id
from alerts.render import render
from alerts.rules.base import Finding, RuleType
from alerts.rules.rating import stars
from core.config import Config
from index.names import IndexNames

KIND_LABELS = {"alert": "Alerte", "escalation": "Aggravation", "recovery": "Retour à la normale"}
KIND_COLORS = {"alert": "#d64541", "escalation": "#9b1c1c", "recovery": "#1f8a4c"}


@dataclass
class Decision:
    """One rule and key at one instant: what the rule saw and what the episode logic decided."""

    rule: RuleType
    finding: Finding
    before: AlertState
    transition: Transition


def notification_id(decision: Decision) -> str:
    t, before = decision.transition, decision.before
    rule, key = decision.rule.name, decision.finding.key
    if not decision.rule.episodic:
        return stable_id(rule, key, "alert", *sorted(t.mentions))
    if t.kind == "recovery":
        return stable_id(rule, key, "recovery", before.since.isoformat() if before.since else "")
    since = t.state.since.isoformat() if t.state.since else ""
    return stable_id(rule, key, t.kind or "", since, str(t.state.level))


def _headline(decision: Decision) -> str:
    rule, finding, kind = decision.rule, decision.finding, decision.transition.kind
    who = finding.brand or finding.key
    if kind == "escalation":
        return f"{who} : {rule.label} — ça s'aggrave (niveau {decision.transition.state.level + 1})"
    if kind == "recovery":
        return f"{who} : retour à la normale ({rule.label})"
    return f"{who} : {rule.label}"


def rows(decision: Decision, tz: ZoneInfo) -> list[tuple[str, str]]:
    """The figures of the finding as (French label, value) rows."""
    f, fig = decision.finding, decision.finding.figures
    out: list[tuple[str, str]] = []
    if f.window_start and f.window_end:
        out.append(
            (
                "Période",
                f"du {wording.local_time(f.window_start, tz)} au {wording.local_time(f.window_end, tz)}",
            )
        )
    if "current" in fig:
        span = wording.duration(timedelta(minutes=fig["window_minutes"]))
        out.append((f"Sur les dernières {span}", wording.number(fig["current"])))
        out.append(("Attendu à ce moment de la semaine", wording.number(fig["expected"])))
        if fig.get("ratio") is not None:
            out.append(("Rapport", f"×{wording.number(fig['ratio'])}"))
    if fig.get("negative_share") is not None:
        usual = fig.get("usual_negative_share")
        extra = f" (habituellement {wording.percent(usual)})" if usual is not None else ""
        out.append(("Part de mentions négatives", wording.percent(fig["negative_share"]) + extra))
    if decision.transition.mentions:
        out.append(("Nouvelles mentions", str(len(decision.transition.mentions))))
    if "min_influence" in fig:
        out.append(("Influence minimale", wording.number(fig["min_influence"])))
    if "current_avg" in fig and fig["current_avg"] is not None:
        out.append(("Note moyenne récente", f"{stars(fig['current_avg'])}/5 ({fig['current_reviews']} avis)"))
        if fig.get("baseline_avg") is not None:
            out.append(
                ("Note moyenne avant", f"{stars(fig['baseline_avg'])}/5 ({fig['baseline_reviews']} avis)")
            )
    if "silent_hours" in fig:
        out.append(
            (
                "Dernière mention",
                (fig["last_seen"] and wording.local_time(datetime.fromisoformat(fig["last_seen"]), tz))
                or "-",
            )
        )
        out.append(("Seuil de silence", f"{wording.number(fig['silent_for_hours'])} h"))
    return out


def section(
    decision: Decision, config: Config, es: Elasticsearch | None, names: IndexNames
) -> dict[str, Any]:
    """What one rule says in an email: its summary, figures, evidence and reason."""
    rule, finding, kind = decision.rule, decision.finding, decision.transition.kind or "alert"
    query = finding.evidence
    if decision.transition.mentions:
        query = {"ids": {"values": sorted(decision.transition.mentions)}}
    evidence = Evidence()
    if es is not None and query is not None and kind != "recovery":
        evidence = gather(es, names, query, finding.brand)
    kibana = None
    if config.alerts.kibana_url and finding.kql and finding.window_start and finding.window_end:
        kibana = discover_url(
            config.alerts.kibana_url,
            config.alerts.kibana_data_view,
            finding.kql,
            finding.window_start,
            finding.window_end,
        )
    return {
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "color": KIND_COLORS[kind],
        "rule": rule.config,
        "rule_label": rule.label,
        "summary": finding.summary,
        "rows": rows(decision, config.tz),
        "evidence": evidence,
        "mentions_title": "Mentions concernées" if decision.transition.mentions else "Principales mentions",
        "kibana_link": kibana,
        "web_url": config.web.url,
        "why": finding.figures.get("why_fr") if kind != "recovery" else None,
    }


def build_notification(
    decision: Decision, config: Config, es: Elasticsearch | None, names: IndexNames, now: datetime
) -> dict[str, Any]:
    """Everything needed to send and record the notification of ``decision`` alone (a rule
    without a brand, such as a silent source)."""
    rule, finding, kind = decision.rule, decision.finding, decision.transition.kind or "alert"
    nid = notification_id(decision)
    headline = _headline(decision)
    realert = wording.duration(rule.config.realert)
    context = {
        **section(decision, config, es, names),
        "subject": f"[Veille] {headline}",
        "headline": headline,
        "brand": finding.brand,
        "key": finding.key,
        "cooldown_note": (
            f"Pas de nouvelle alerte pour cette clé avant {realert}, sauf aggravation."
            if kind != "recovery"
            else "L'épisode est clos."
        ),
    }
    return _payload(
        nid, kind, rule.name, rule.type_name, finding.key, finding.brand, now, config,
        list(rule.config.recipients or config.notifications.email.to), context, "alert",
        window=(finding.window_start, finding.window_end), summary=finding.summary,
        figures={k: v for k, v in finding.figures.items() if k not in ("why", "why_fr")},
        mention_ids=sorted(decision.transition.mentions),
    )  # fmt: skip


INCIDENT_KINDS = {"open": "alert", "update": "escalation", "close": "recovery"}


def build_incident_notification(
    plan: IncidentPlan,
    brand: str,
    decisions: list[Decision],
    config: Config,
    es: Elasticsearch | None,
    names: IndexNames,
    now: datetime,
) -> dict[str, Any]:
    """One email for every rule that fired for ``brand`` in this run, in the incident's thread."""
    assert plan.kind is not None
    kind = INCIDENT_KINDS[plan.kind]
    ordered = sorted(decisions, key=lambda d: section_rank(d.rule.type_name))
    news = [d for d in ordered if d.transition.kind in ("alert", "escalation")]
    sections = _without_repeats(
        [section(d, config, es, names) for d in (news if plan.kind != "close" else ordered)]
    )
    grew = any(d.transition.kind == "escalation" for d in news)
    headline = incident_headline(plan.kind, brand, news[0].finding.summary if news else "", grew)
    if plan.kind == "close":
        summary = "Plus aucune règle ne signale d'anomalie pour cette marque ; l'incident est clos."
    else:
        summary = "" if len(news) == 1 else f"{len(news)} signaux pour la même marque, détaillés ci-dessous."
    recipients: list[str] = []
    for d in ordered:
        for address in d.rule.config.recipients or config.notifications.email.to:
            if address not in recipients:
                recipients.append(address)
    context = {
        "subject": f"[Veille] {headline}",
        "headline": headline,
        "kind": kind,
        "kind_label": {"open": "Alerte", "update": "Mise à jour", "close": "Retour à la normale"}[plan.kind],
        "color": KIND_COLORS[kind],
        "summary": summary,
        "sections": sections,
        "brand": brand,
        "rule_names": [d.rule.name for d in ordered],
    }
    starts = [d.finding.window_start for d in news if d.finding.window_start]
    payload = _payload(
        plan.notification_id, kind, INCIDENT_RULE, INCIDENT_RULE, brand, brand, now, config, recipients,
        context, "incident", window=(min(starts) if starts else None, now),
        summary=headline, figures={d.rule.name: {k: v for k, v in d.finding.figures.items()
                                                  if k not in ("why", "why_fr")} for d in news},
        mention_ids=sorted({m for d in news for m in d.transition.mentions}),
    )  # fmt: skip
    if plan.root_message_id:
        payload["in_reply_to"] = message_id(plan.root_message_id, payload["sender"])
    return payload


def _without_repeats(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A mention is shown once per email, in the first section that cites it: a negative burst
    lifts the volume too, and the volume section would list the same posts again. A later section
    only says how many of its mentions are above (``repeated``)."""
    shown: set[str] = set()
    for s in sections:
        evidence: Evidence = s["evidence"]
        keys = [str(m.get("id") or m.get("url")) for m in evidence.mentions]
        kept = [m for m, key in zip(evidence.mentions, keys, strict=True) if key not in shown]
        s["repeated"] = len(evidence.mentions) - len(kept)
        s["evidence"] = replace(evidence, mentions=kept)
        shown.update(keys)
    return sections


def _payload(
    nid: str,
    kind: str,
    rule: str,
    rule_type: str,
    key: str,
    brand: str | None,
    now: datetime,
    config: Config,
    recipients: list[str],
    context: dict[str, Any],
    template: str,
    *,
    window: tuple[datetime | None, datetime | None],
    summary: str,
    figures: dict[str, Any],
    mention_ids: list[str],
) -> dict[str, Any]:
    sender = config.notifications.email.sender
    tz = config.tz
    return {
        "id": nid,
        "kind": kind,
        "rule": rule,
        "rule_type": rule_type,
        "key": key,
        "brand": brand,
        "at": now.isoformat(),
        "window_start": window[0].isoformat() if window[0] else None,
        "window_end": window[1].isoformat() if window[1] else None,
        "summary": summary,
        "figures": figures,
        "mention_ids": mention_ids,
        "subject": context["subject"],
        "text": render(f"{template}.txt.j2", tz, **context),
        "html": render(f"{template}.html.j2", tz, **context),
        "recipients": recipients,
        "sender": sender,
        "message_id": message_id(nid, sender),
    }


def to_email(payload: dict[str, Any]) -> Any:
    """The MIME message of a stored notification payload."""
    return build_message(
        sender=payload["sender"],
        recipients=payload["recipients"],
        subject=payload["subject"],
        text=payload["text"],
        html=payload["html"],
        msg_id=payload["message_id"],
        date=datetime.fromisoformat(payload["at"]),
        headers={
            "X-Veille-Rule": payload["rule"],
            "X-Veille-Kind": payload["kind"],
            "X-Veille-Key": payload["key"],
            # An incident's updates and close reply to its first email: one thread in the mailbox.
            **(
                {"In-Reply-To": payload["in_reply_to"], "References": payload["in_reply_to"]}
                if payload.get("in_reply_to")
                else {}
            ),
        },
    )


def history_doc(payload: dict[str, Any]) -> dict[str, Any]:
    """What the alerts index keeps of a notification (not its rendered body)."""
    keep = (
        "kind", "rule", "rule_type", "key", "brand", "at", "window_start", "window_end", "summary",
        "subject", "figures", "mention_ids", "message_id", "recipients",
    )  # fmt: skip
    return {"doc_type": "event", "notification_id": payload["id"], **{k: payload.get(k) for k in keep}}
