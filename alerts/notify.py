"""From a decided transition to a ready-to-send notification: ids, wording, evidence, templates.

A notification is a plain dict (it is stored inside the alert state until queued): its ``id`` is
derived from the rule, the key and the episode, so the same alert always has the same id and
Message-ID however many times a crash makes us rebuild it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from elasticsearch import Elasticsearch

from alerts import wording
from alerts.episodes import AlertState, Transition
from alerts.evidence import Evidence, gather
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
        out.append(("Dans la fenêtre", wording.number(fig["current"])))
        out.append(("Niveau habituel", wording.number(fig["baseline"])))
        if fig.get("ratio") is not None:
            out.append(("Rapport", f"×{wording.number(fig['ratio'])}"))
        if fig.get("threshold") is not None:
            out.append(("Seuil d'alerte", wording.number(fig["threshold"])))
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


def build_notification(
    decision: Decision, config: Config, es: Elasticsearch | None, names: IndexNames, now: datetime
) -> dict[str, Any]:
    """Everything needed to send and record the notification of ``decision``."""
    rule, finding, kind = decision.rule, decision.finding, decision.transition.kind or "alert"
    tz = config.tz
    nid = notification_id(decision)
    sender = config.notifications.email.sender
    recipients = list(rule.config.recipients or config.notifications.email.to)
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
    headline = _headline(decision)
    realert = wording.duration(rule.config.realert)
    context = {
        "subject": f"[Veille] {headline}",
        "headline": headline,
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "color": KIND_COLORS[kind],
        "rule": rule.config,
        "rule_label": rule.label,
        "brand": finding.brand,
        "key": finding.key,
        "summary": finding.summary,
        "rows": rows(decision, tz),
        "evidence": evidence,
        "mentions_title": "Mentions concernées" if decision.transition.mentions else "Principales mentions",
        "kibana_link": kibana,
        "web_url": config.web.url,
        "why": finding.figures.get("why") if kind != "recovery" else None,
        "cooldown_note": (
            f"Pas de nouvelle alerte pour cette clé avant {realert}, sauf aggravation."
            if kind != "recovery"
            else "L'épisode est clos."
        ),
    }
    return {
        "id": nid,
        "kind": kind,
        "rule": rule.name,
        "rule_type": rule.type_name,
        "key": finding.key,
        "brand": finding.brand,
        "at": now.isoformat(),
        "window_start": finding.window_start.isoformat() if finding.window_start else None,
        "window_end": finding.window_end.isoformat() if finding.window_end else None,
        "summary": finding.summary,
        "figures": {k: v for k, v in finding.figures.items() if k != "why"},
        "mention_ids": sorted(decision.transition.mentions),
        "subject": context["subject"],
        "text": render("alert.txt.j2", tz, **context),
        "html": render("alert.html.j2", tz, **context),
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
        },
    )


def history_doc(payload: dict[str, Any]) -> dict[str, Any]:
    """What the alerts index keeps of a notification (not its rendered body)."""
    keep = (
        "kind", "rule", "rule_type", "key", "brand", "at", "window_start", "window_end", "summary",
        "subject", "figures", "mention_ids", "message_id", "recipients",
    )  # fmt: skip
    return {"doc_type": "event", "notification_id": payload["id"], **{k: payload.get(k) for k in keep}}
