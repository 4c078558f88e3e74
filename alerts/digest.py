"""The daily digest: render it (HTML + text, chart inline), preview it, or queue and send it once.

``send_digest(loaded, now)`` is what the scheduler calls at ``digest.time``. The digest of a local
day has one Message-ID and is recorded in the alerts index once queued: calling it twice the same
day (a restart, a manual ``--send``) sends nothing more.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch

from alerts.chart import bars_png
from alerts.digest_data import BrandDigest, brand_digest
from alerts.mail.message import InlineImage, build_message, message_id, stable_id
from alerts.outgoing import flush_outgoing, mail_queue
from alerts.render import render
from alerts.store import EsAlertStore
from core.config import LoadedConfig
from index.client import client_for
from index.names import IndexNames

logger = logging.getLogger(__name__)

KIND_NAMES = {"forum": "forums", "blog": "blogs", "review": "avis", "news": "presse", "feed": "flux"}


@dataclass
class RenderedDigest:
    day: str  # local date, YYYY-MM-DD
    subject: str
    text: str
    html: str
    charts: list[InlineImage]


def render_digest(
    loaded: LoadedConfig, es: Elasticsearch, names: IndexNames, now: datetime, *, inline: str = "cid"
) -> RenderedDigest:
    """``inline="cid"`` references the charts as email parts; ``"data"`` embeds them (browser preview)."""
    config = loaded.config
    tz = config.tz
    target = config.digest.response_target
    brands: list[BrandDigest] = [brand_digest(es, names, b.name, now, tz, target) for b in config.brands]
    alerts = EsAlertStore(es, names).history(now - timedelta(hours=24), now)
    charts, sources = [], {}
    for i, brand in enumerate(brands):
        image = InlineImage(f"chart-{i}@veille", bars_png([(t, n) for _, t, n in brand.days]))
        charts.append(image)
        if inline == "cid":
            sources[brand.brand] = f"cid:{image.cid}"
        else:
            sources[brand.brand] = "data:image/png;base64," + base64.b64encode(image.data).decode("ascii")
    day = now.astimezone(tz).date().isoformat()
    local_day = now.astimezone(tz).strftime("%d/%m/%Y")
    total_waiting = sum(b.overdue_total for b in brands)
    subject = f"[Veille] Synthèse du {local_day}"
    if total_waiting:
        subject += f" — {total_waiting} mention(s) négative(s) hors délai"
    context: dict[str, Any] = {
        "subject": subject,
        "local_day": local_day,
        "brands": brands,
        "alerts": alerts,
        "chart_src": sources,
        "target": target,
        "kind_names": KIND_NAMES,
        "kibana_url": config.alerts.kibana_url,
    }
    return RenderedDigest(
        day,
        subject,
        render("digest.txt.j2", tz, **context),
        render("digest.html.j2", tz, **context),
        charts,
    )


@dataclass(frozen=True)
class DigestResult:
    day: str
    message_id: str
    queued: bool
    note: str

    def __str__(self) -> str:
        return f"digest {self.day}: {'queued' if self.queued else 'not queued'} ({self.note})"


def send_digest(
    loaded: LoadedConfig,
    now: datetime | None = None,
    *,
    force: bool = False,
    es: Elasticsearch | None = None,
) -> DigestResult:
    """Queue and send today's digest unless it was already queued (``force`` sends it again).

    ``es``: a client the caller keeps open (the scheduler's); without it one is opened for this run.
    """
    now = now or datetime.now(UTC)
    config = loaded.config
    if not config.digest.enabled and not force:
        day = now.astimezone(config.tz).date().isoformat()
        return DigestResult(day, "", False, "digest.enabled is false")
    recipients = list(config.digest.recipients or config.notifications.email.to)
    names = IndexNames(config.elasticsearch.index_prefix)
    with client_for(config.elasticsearch, es) as client:
        store = EsAlertStore(client, names)
        store.ensure()
        rendered = render_digest(loaded, client, names, now)
        record_id = f"digest:{rendered.day}"
        suffix = now.isoformat() if force else ""
        msg_id = message_id(
            stable_id("digest", rendered.day, *recipients, suffix), config.notifications.email.sender
        )
        if not force and store.exists(record_id):
            return DigestResult(rendered.day, msg_id, False, "already sent today")
        msg = build_message(
            sender=config.notifications.email.sender,
            recipients=recipients,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            msg_id=msg_id,
            date=now,
            images=rendered.charts,
            headers={"X-Veille-Kind": "digest"},
        )
        with mail_queue(loaded) as queue:
            queued = queue.put(msg, recipients)
        store.record(
            record_id,
            {"doc_type": "digest", "day": rendered.day, "at": now.isoformat(), "message_id": msg_id,
             "recipients": recipients, "subject": rendered.subject},
        )  # fmt: skip
    report = flush_outgoing(loaded)
    logger.info("digest %s queued (%s)", rendered.day, report)
    return DigestResult(rendered.day, msg_id, queued, str(report))


def preview_digest(
    loaded: LoadedConfig, path: Path | None = None, now: datetime | None = None
) -> RenderedDigest:
    """The digest as it would be sent now, charts embedded so the HTML opens in a browser; written
    to ``path`` (and its text version beside it, ``.txt``) when given."""
    now = now or datetime.now(UTC)
    es_config = loaded.config.elasticsearch
    with client_for(es_config) as es:
        rendered = render_digest(loaded, es, IndexNames(es_config.index_prefix), now, inline="data")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered.html, encoding="utf-8")
        path.with_suffix(".txt").write_text(rendered.text, encoding="utf-8")
    return rendered
