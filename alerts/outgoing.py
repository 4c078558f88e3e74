"""The outgoing mail queue of a configured install: where it lives and how it is flushed.

Alerts, the digest and ``veille alerts flush`` all queue and send through here, so none of
them needs the others' modules.
"""

from __future__ import annotations

import logging

from alerts.mail.queue import FlushReport, MailQueue
from alerts.mail.transports import build_transport
from core.config import LoadedConfig

logger = logging.getLogger(__name__)


def mail_queue(loaded: LoadedConfig) -> MailQueue:
    """The durable queue of messages waiting to be sent (SQLite in the state directory)."""
    return MailQueue(loaded.state_dir / "mail-queue.sqlite")


def flush_outgoing(loaded: LoadedConfig, *, due_only: bool = True) -> FlushReport:
    """Send what waits in the outgoing queue (SMTP, or .eml files in the outbox)."""
    email = loaded.config.notifications.email
    transport = build_transport(email, loaded.outbox_dir)
    retries = email.smtp.retries if email.smtp else 0
    backoff = email.smtp.backoff.total_seconds() if email.smtp else 0.0
    with mail_queue(loaded) as queue:
        report = queue.flush(transport, retries=retries, backoff=backoff, due_only=due_only)
    if report.sent or report.failed or report.dead:
        logger.info("outgoing email (%s): %s", transport.name, report)
    return report
