"""The outgoing mail queue: SQLite under the data dir, one row per Message-ID.

A message is queued before any attempt to send it and leaves the queue only as ``sent`` (kept a
month, so queuing the same Message-ID again is a no-op) or ``dead`` (refused permanently, kept
with the reason). A failed attempt leaves it ``pending`` with a later ``next_attempt``: it is
retried on a later flush, never lost.

Delivery guarantee: a flush first *claims* the rows it will send (``pending`` -> ``sending``, in
one transaction), so two flushes running at once (two processes, or two jobs of one scheduler)
never send the same message. When the server may have stored a message but the connection broke
before its ``250`` (an ambiguous failure), the row becomes ``uncertain``: it is not resent at once
(not even by ``alerts flush``), but retried once after ``UNCERTAIN_WAIT``; a second ambiguous
failure makes it ``dead``. So a message is delivered once, except after an ambiguous failure, when
it may arrive twice (never more). A row left ``sending`` by a process killed mid-send is treated
as ``uncertain`` after ``STALE_CLAIM``.
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
    state         TEXT NOT NULL DEFAULT 'pending',   -- pending | sending | uncertain | sent | dead
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
UNCERTAIN_WAIT = 3600.0  # time for a delayed "250" or a bounce to show before the one resend
STALE_CLAIM = 900.0  # a claim older than this belongs to a dead process (SMTP timeouts are shorter)


# Due: pending and past its back-off (or any pending one, for a forced flush), or uncertain and
# past its wait (never forced: it may have been delivered).
_DUE = "(state = 'pending' AND next_attempt <= ?) OR (state = 'uncertain' AND next_attempt <= ?)"


class SendFailed(NotifyError):
    """One attempt failed; ``permanent`` when retrying cannot help (address refused, 5xx);
    ``uncertain`` when the message may have been delivered anyway (connection lost before ``250``)."""

    def __init__(self, message: str, *, permanent: bool = False, uncertain: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.uncertain = uncertain


@dataclass(frozen=True)
class QueueStats:
    pending: int  # waiting for a (re)try, uncertain ones and ones being sent included
    sent: int
    dead: int
    uncertain: int = 0


@dataclass
class FlushReport:
    sent: int = 0
    failed: int = 0  # still pending, retried on a later flush
    dead: int = 0
    uncertain: int = 0  # maybe delivered; retried once, later

    @property
    def waiting(self) -> int:
        return self.failed + self.uncertain

    def __str__(self) -> str:
        text = f"{self.sent} sent, {self.failed} waiting for a retry, {self.dead} refused"
        if self.uncertain:
            text += f", {self.uncertain} maybe delivered (retried once later)"
        return text


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
        waiting = counts.get("pending", 0) + counts.get("sending", 0) + counts.get("uncertain", 0)
        return QueueStats(waiting, counts.get("sent", 0), counts.get("dead", 0), counts.get("uncertain", 0))

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
        for msg_id in self._due(now(), due_only):
            # Claimed one at a time, just before sending: a long flush never holds claims so old
            # that another flush would take them for a dead process's.
            claimed = self._claim(msg_id, now(), due_only)
            if claimed is None:
                continue  # another flush took it meanwhile
            recipients, payload, attempts, was_uncertain = claimed
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
                    if exc.permanent or exc.uncertain:
                        break  # an uncertain send is never repeated at once: it may have arrived
                    continue
                error = None
                break
            self._settle(msg_id, attempts + 1, error, now(), backoff, report, was_uncertain)
        return report

    def rows(self) -> list[tuple[str, str, bytes]]:
        """Every message as (Message-ID, state, payload): for erasure (veille/erase_copies.py)."""
        with self._transaction() as db:
            return [(str(i), str(s), bytes(p)) for i, s, p in db.execute(
                "SELECT message_id, state, payload FROM outgoing"
            )]  # fmt: skip

    def remove(self, msg_id: str, state: str) -> bool:
        """Delete a message if it is still in ``state`` (a flush may have moved it on meanwhile)."""
        with self._transaction() as db:
            cursor = db.execute("DELETE FROM outgoing WHERE message_id = ? AND state = ?", (msg_id, state))
            return cursor.rowcount == 1

    def prune(self, before: float) -> int:
        """Delete settled messages (sent or dead) queued before ``before``: the retention period."""
        with self._transaction() as db:
            return db.execute(
                "DELETE FROM outgoing WHERE queued_at < ? AND state IN ('sent', 'dead')", (before,)
            ).rowcount

    def _due(self, when: float, due_only: bool) -> list[str]:
        """Ids of the messages to try now (housekeeping first: old sent rows, stale claims)."""
        with self._transaction() as db:
            db.execute(
                "DELETE FROM outgoing WHERE state = 'sent' AND sent_at < ?", (when - KEEP_SENT_SECONDS,)
            )
            # A claim this old was left by a process that died mid-send: it may have been delivered.
            db.execute(
                "UPDATE outgoing SET state='uncertain', next_attempt=? "
                "WHERE state='sending' AND next_attempt < ?",
                (when, when - STALE_CLAIM),
            )
            rows = db.execute(
                f"SELECT message_id FROM outgoing WHERE {_DUE} ORDER BY queued_at",
                (when if due_only else float("inf"), when),
            ).fetchall()
        return [msg_id for (msg_id,) in rows]

    def _claim(self, msg_id: str, when: float, due_only: bool) -> tuple[str, bytes, int, bool] | None:
        """Mark one message ``sending`` if it is still due, atomically, so no other flush takes it;
        None when it is not (sent or claimed by another flush in the meantime)."""
        with self._transaction() as db:
            row = db.execute(
                f"SELECT recipients, payload, attempts, state = 'uncertain' FROM outgoing "
                f"WHERE message_id = ? AND ({_DUE})",
                (msg_id, when if due_only else float("inf"), when),
            ).fetchone()
            if row is None:
                return None
            # next_attempt of a claimed row = when it was claimed (for the stale-claim check)
            db.execute(
                "UPDATE outgoing SET state='sending', next_attempt=? WHERE message_id=?", (when, msg_id)
            )
        recipients, payload, attempts, uncertain = row
        return recipients, payload, attempts, bool(uncertain)

    def _settle(
        self,
        msg_id: str,
        attempts: int,
        error: SendFailed | None,
        when: float,
        backoff: float,
        report: FlushReport,
        was_uncertain: bool = False,
    ) -> None:
        with self._transaction() as db:
            if error is not None and error.uncertain and not was_uncertain:
                db.execute(
                    "UPDATE outgoing SET state='uncertain', attempts=?, last_error=?, next_attempt=? "
                    "WHERE message_id=?",
                    (attempts, str(error)[:2000], when + UNCERTAIN_WAIT, msg_id),
                )
                logger.warning(
                    "email %s may have been delivered (%s): one more attempt in %d s, not before",
                    msg_id, error, UNCERTAIN_WAIT,
                )  # fmt: skip
                report.uncertain += 1
            elif error is not None and error.uncertain:
                db.execute(
                    "UPDATE outgoing SET state='dead', attempts=?, last_error=? WHERE message_id=?",
                    (attempts, f"delivery uncertain twice, check the mailbox: {error}"[:2000], msg_id),
                )
                logger.error("email %s: delivery uncertain twice, kept as dead: %s", msg_id, error)
                report.dead += 1
            elif error is None:
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
                # A clear failure of the one resend of an uncertain message: it stays uncertain
                # (the server never got this copy) and keeps its single resend.
                state = "uncertain" if was_uncertain else "pending"
                db.execute(
                    "UPDATE outgoing SET state=?, attempts=?, last_error=?, next_attempt=? "
                    "WHERE message_id=?",
                    (state, attempts, str(error)[:2000], when + pause, msg_id),
                )
                if was_uncertain:
                    report.uncertain += 1
                else:
                    report.failed += 1
