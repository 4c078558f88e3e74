"""Notifications beyond email through Apprise (Slack, Teams, Mattermost, Discord, webhooks…).

The same incidents as the emails: after each alert run, every event recorded in the alert history
is queued once per target (id ``<notification id>/<target>``) in a second durable queue — the
mail queue's own code on another file — so pushes are retried with the same backoff and never
sent twice. Each target's Apprise URL holds a token: it is read from the environment variable the
config names, and never logged.
"""

from __future__ import annotations

import logging
import os
import warnings
from datetime import datetime, timedelta
from email.message import EmailMessage

from elasticsearch import Elasticsearch

from alerts.mail.queue import FlushReport, MailQueue, SendFailed
from alerts.store import EsAlertStore
from core.config import LoadedConfig
from core.config.notifications import AppriseTarget
from index.names import IndexNames

logger = logging.getLogger(__name__)

LOOKBACK = timedelta(days=2)  # events older than this are history, not news


def push_queue(loaded: LoadedConfig) -> MailQueue:
    return MailQueue(loaded.state_dir / "push-queue.sqlite")


def targets_for(loaded: LoadedConfig, kind: str) -> dict[str, str]:
    """Target name -> Apprise URL for the targets that take ``kind`` ("alert" or "digest");
    a target whose environment variable is unset is skipped with a warning naming it."""
    out: dict[str, str] = {}
    for i, target in enumerate(loaded.config.notifications.apprise):
        if kind not in target.send:
            continue
        url = os.environ.get(target.url_env, "").strip()
        if not url:
            logger.warning(
                "notifications.apprise[%d] (%s): environment variable %s is not set; target skipped",
                i, target.name, target.url_env,
            )  # fmt: skip
            continue
        out[target.name] = url
    return out


def _message(msg_id: str, title: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Message-ID"] = f"<{msg_id}>"
    msg["Subject"] = title
    msg.set_content(body)
    return msg


def queue_push(loaded: LoadedConfig, kind: str, notification_id: str, title: str, body: str) -> int:
    """Queue one notification for every target taking ``kind``; returns how many were new."""
    targets = targets_for(loaded, kind)
    if not targets:
        return 0
    count = 0
    with push_queue(loaded) as queue:
        for name in targets:
            count += queue.put(_message(f"{notification_id}/{name}", title, body), [name])
    return count


def queue_alert_pushes(loaded: LoadedConfig, es: Elasticsearch, names: IndexNames, now: datetime) -> int:
    """Queue a push for every recent alert event (already queued ones are ignored)."""
    if not targets_for(loaded, "alert"):
        return 0
    web = loaded.config.web.url
    count = 0
    for event in EsAlertStore(es, names).history(now - LOOKBACK, now):
        nid = event.get("notification_id")
        if not nid:
            continue
        link = f"{web}/inbox?status=all&period=7d"
        if event.get("brand"):
            link += f"&brand={event['brand']}&sentiment=negative"
        body = f"{event.get('summary') or ''}\n\nOuvrir dans Veille : {link}".strip()
        count += queue_push(loaded, "alert", nid, str(event.get("subject") or "[Veille] Alerte"), body)
    return count


class AppriseSender:
    """The queue's ``send`` callable: one Apprise notification to the named target."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.urls = urls

    def __call__(self, msg: EmailMessage, recipients: list[str]) -> None:
        with warnings.catch_warnings():
            # Apprise's plugins (loaded on first use) import the stdlib's deprecated imghdr on 3.11.
            warnings.simplefilter("ignore", DeprecationWarning)
            for name in recipients:
                self._send(name, msg)

    def _send(self, name: str, msg: EmailMessage) -> None:
        import apprise

        url = self.urls.get(name)
        if url is None:
            raise SendFailed(f"push target {name!r} is no longer configured", permanent=True)
        client = apprise.Apprise()
        if not client.add(url):
            # Never echo the URL: it carries the target's token.
            raise SendFailed(f"push target {name!r}: Apprise does not understand its URL", permanent=True)
        body = msg.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        if not client.notify(title=str(msg["Subject"]), body=text):
            raise SendFailed(f"push target {name!r}: the service did not accept the notification")


def flush_pushes(loaded: LoadedConfig, *, due_only: bool = True) -> FlushReport:
    """Send what waits in the push queue, with the email retry policy."""
    urls = {t.name: os.environ.get(t.url_env, "") for t in loaded.config.notifications.apprise}
    urls = {k: v for k, v in urls.items() if v}
    smtp = loaded.config.notifications.email.smtp
    backoff = smtp.backoff.total_seconds() if smtp else 2.0
    with push_queue(loaded) as queue:
        report = queue.flush(AppriseSender(urls), retries=smtp.retries if smtp else 1, backoff=backoff,
                             due_only=due_only)  # fmt: skip
    if report.sent or report.failed or report.dead:
        logger.info("push notifications: %s", report)
    return report


def push_alerts(
    loaded: LoadedConfig, es: Elasticsearch, names: IndexNames, now: datetime
) -> FlushReport | None:
    """After an alert run: queue the new events for the push targets, then send what is due.
    A push problem is logged, never allowed to fail the alert run (email went out already)."""
    if not loaded.config.notifications.apprise:
        return None
    try:
        queue_alert_pushes(loaded, es, names, now)
        return flush_pushes(loaded)
    except Exception:
        logger.exception("push notifications failed; they stay queued for the next run")
        return None


__all__ = ["AppriseTarget", "flush_pushes", "push_alerts", "queue_alert_pushes", "queue_push"]
