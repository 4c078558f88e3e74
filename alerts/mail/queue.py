"""The outgoing mail queue: SQLite under the data dir, one row per Message-ID.

A message is queued before any attempt to send it and leaves the queue only as ``sent`` (kept a
month, so queuing the same Message-ID again is a no-op) or ``dead`` (refused permanently, kept
with the reason). A failed attempt leaves it ``pending`` with a later ``next_attempt``: it is
retried on the next flush, never lost and never sent twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from core.errors import NotifyError
from core.sqlite import SqliteStore

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS outgoing (
    message_id    TEXT PRIMARY KEY,
    recipients    TEXT NOT NULL,
    payload       BLOB NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | dead
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt  REAL NOT NULL,
    last_error    TEXT,
    queued_at     REAL NOT NULL,
    sent_at       REAL
);
CREATE INDEX IF NOT EXISTS outgoing_due ON outgoing(state, next_attempt);
"""
KEEP_SENT_SECONDS = 31 * 86400
MAX_PAUSE = 3600.0  # the longest a failing message waits between two flushes' attempts


class SendFailed(NotifyError):
    """One attempt failed; ``permanent`` when retrying cannot help (address refused, 5xx)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class QueueStats:
    pending: int
    sent: int
    dead: int


@dataclass
class FlushReport:
    sent: int = 0
    failed: int = 0  # still pending, retried on a later flush
    dead: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.failed} waiting for a retry, {self.dead} refused"


class MailQueue(SqliteStore):
    """Durable queue of outgoing messages, safe across processes."""

    what = "the mail queue"
    error = NotifyError
    schema = SCHEMA
    synchronous = "FULL"  # a queued alert must survive a crash

    def put(self, msg: EmailMessage, recipients: list[str]) -> bool:
        """Queue ``msg``; False (and nothing changes) if its Message-ID was queued before."""
        msg_id = str(msg["Message-ID"])
        now = time.time()
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO outgoing(message_id, recipients, payload, next_attempt, queued_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (msg_id, "\n".join(recipients), msg.as_bytes(policy=policy.SMTP), now, now),
            )
        return cursor.rowcount == 1

    def knows(self, msg_id: str) -> bool:
        with self._transaction() as db:
            return db.execute("SELECT 1 FROM outgoing WHERE message_id = ?", (msg_id,)).fetchone() is not None

    def stats(self) -> QueueStats:
        with self._transaction() as db:
            counts = dict(db.execute("SELECT state, COUNT(*) FROM outgoing GROUP BY state").fetchall())
        return QueueStats(counts.get("pending", 0), counts.get("sent", 0), counts.get("dead", 0))

    def dead_letters(self) -> list[tuple[str, str]]:
        with self._transaction() as db:
            return db.execute(
                "SELECT message_id, COALESCE(last_error, '') FROM outgoing WHERE state='dead'"
            ).fetchall()

    def flush(
        self,
        send: Callable[[EmailMessage, list[str]], None],
        *,
        retries: int = 0,
        backoff: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], float] = time.time,
        due_only: bool = True,
    ) -> FlushReport:
        """Try every due message (every pending one when not ``due_only``): ``1 + retries`` attempts
        each, pausing ``backoff`` × 2^n between them."""
        report = FlushReport()
        with self._transaction() as db:
            db.execute(
                "DELETE FROM outgoing WHERE state = 'sent' AND sent_at < ?", (now() - KEEP_SENT_SECONDS,)
            )
            due = db.execute(
                "SELECT message_id, recipients, payload, attempts FROM outgoing "
                "WHERE state = 'pending' AND next_attempt <= ? ORDER BY queued_at",
                (now() if due_only else float("inf"),),
            ).fetchall()
        for msg_id, recipients, payload, attempts in due:
            msg = BytesParser(policy=policy.default).parsebytes(payload)
            error: SendFailed | None = None
            for attempt in range(retries + 1):
                if attempt:
                    sleep(backoff * 2 ** (attempt - 1))
                try:
                    send(msg, recipients.split("\n"))
                except SendFailed as exc:
                    error = exc
                    logger.warning("email %s: attempt %d failed: %s", msg_id, attempt + 1, exc)
                    if exc.permanent:
                        break
                    continue
                error = None
                break
            self._settle(msg_id, attempts + 1, error, now(), backoff, report)
        return report

    def _settle(
        self,
        msg_id: str,
        attempts: int,
        error: SendFailed | None,
        when: float,
        backoff: float,
        report: FlushReport,
    ) -> None:
        with self._transaction() as db:
            if error is None:
                db.execute(
                    "UPDATE outgoing SET state='sent', sent_at=?, attempts=?, last_error=NULL "
                    "WHERE message_id=?",
                    (when, attempts, msg_id),
                )
                report.sent += 1
            elif error.permanent:
                db.execute(
                    "UPDATE outgoing SET state='dead', attempts=?, last_error=? WHERE message_id=?",
                    (attempts, str(error)[:2000], msg_id),
                )
                logger.error("email %s refused for good, kept as dead: %s", msg_id, error)
                report.dead += 1
            else:
                pause = min(MAX_PAUSE, max(backoff, 1.0) * 2 ** min(attempts, 12))
                db.execute(
                    "UPDATE outgoing SET attempts=?, last_error=?, next_attempt=? WHERE message_id=?",
                    (attempts, str(error)[:2000], when + pause, msg_id),
                )
                report.failed += 1
