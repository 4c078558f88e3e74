"""The spool: a durable local queue of raw mentions between collection and processing.

SQLite in WAL mode with ``synchronous=FULL``: a ``put`` that returned is on disk and survives
``kill -9``. Consumers ``take`` a batch under a lease and ``ack`` it once the mentions are safely
indexed; a batch that is never acknowledged (crash, ES down, kill -9) becomes available again as
soon as its lease expires or its owning process is gone. A mention spooled twice while still
waiting is stored once (the newer copy wins), so re-crawls do not inflate the queue.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from core.errors import SpoolError
from core.mention import Mention
from core.processes import process_alive
from core.sqlite import SqliteStore

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS spool (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    mention_id   TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    state        TEXT    NOT NULL DEFAULT 'ready',   -- ready | leased | dead
    lease_owner  TEXT,
    lease_pid    INTEGER,
    lease_until  REAL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    enqueued_at  REAL    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS spool_ready_once ON spool(mention_id) WHERE state = 'ready';
CREATE INDEX IF NOT EXISTS spool_state_seq ON spool(state, seq);
"""


@dataclass
class Batch:
    """Mentions taken together under one lease; ``ack`` or ``release`` it through the spool."""

    token: str
    mentions: list[Mention]
    seqs: list[int] = field(repr=False)
    # Rows whose payload no longer validates are parked as dead at take time, reported here.
    invalid: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.mentions)


@dataclass(frozen=True)
class SpoolStats:
    ready: int
    leased: int
    dead: int

    @property
    def depth(self) -> int:
        return self.ready + self.leased


class Spool(SqliteStore):
    """A durable queue in one SQLite file. Safe across processes; one object per thread."""

    what = "spool"
    error = SpoolError
    schema = SCHEMA
    synchronous = "FULL"  # a put that returned survives a crash of the machine, not only of Veille

    def __init__(
        self, path: str | os.PathLike[str], *, lease_seconds: float = 600.0, max_attempts: int = 10
    ) -> None:
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        super().__init__(path)

    # -- producer side -------------------------------------------------------------------------
    def put(self, mentions: Iterable[Mention]) -> int:
        """Store mentions durably; returns how many rows were written (new or refreshed)."""
        now = time.time()
        rows = [(m.id, json.dumps(m.to_document(), ensure_ascii=False), now) for m in mentions]
        if not rows:
            return 0
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO spool(mention_id, payload, enqueued_at) VALUES (?, ?, ?) "
                "ON CONFLICT(mention_id) WHERE state = 'ready' DO UPDATE SET payload = excluded.payload",
                rows,
            )
        return len(rows)

    # -- consumer side -------------------------------------------------------------------------
    def take(self, limit: int) -> Batch:
        """Lease up to ``limit`` mentions, oldest first (expired or orphaned leases first reclaimed)."""
        token = uuid.uuid4().hex
        now = time.time()
        with self._transaction() as db:
            self._reclaim(db, now)
            rows = db.execute(
                "SELECT seq, payload FROM spool WHERE state = 'ready' ORDER BY seq LIMIT ?", (limit,)
            ).fetchall()
            seqs = [seq for seq, _ in rows]
            db.executemany(
                "UPDATE spool SET state = 'leased', lease_owner = ?, lease_pid = ?, lease_until = ?, "
                "attempts = attempts + 1 WHERE seq = ?",
                [(token, os.getpid(), now + self.lease_seconds, seq) for seq in seqs],
            )
        batch = Batch(token=token, mentions=[], seqs=[])
        for seq, payload in rows:
            try:
                batch.mentions.append(Mention.from_document(json.loads(payload)))
                batch.seqs.append(seq)
            except (ValidationError, ValueError) as exc:
                batch.invalid[seq] = str(exc)
        if batch.invalid:
            self._bury(batch.invalid)
        return batch

    def ack(self, batch: Batch, seqs: Iterable[int] | None = None) -> int:
        """Remove the batch's mentions (or only ``seqs`` of it) for good."""
        chosen = list(batch.seqs if seqs is None else seqs)
        with self._transaction() as db:
            cursor = db.executemany(
                "DELETE FROM spool WHERE seq = ? AND lease_owner = ?", [(s, batch.token) for s in chosen]
            )
        return cursor.rowcount

    def release(
        self,
        batch: Batch,
        seqs: Iterable[int] | None = None,
        *,
        error: str | None = None,
        count_attempt: bool = True,
    ) -> None:
        """Give (part of) a batch back for a later attempt, noting why.

        ``count_attempt=False`` when the failure is not the mentions' fault (Elasticsearch down):
        they wait however long it takes. Otherwise too many attempts park them as dead.
        """
        chosen = list(batch.seqs if seqs is None else seqs)
        refund = 0 if count_attempt else 1
        with self._transaction() as db:
            self._drop_superseded(db, chosen)
            db.executemany(
                "UPDATE spool SET attempts = attempts - ?, "
                "state = CASE WHEN attempts - ? >= ? THEN 'dead' ELSE 'ready' END, "
                "lease_owner = NULL, lease_pid = NULL, lease_until = NULL, last_error = ? "
                "WHERE seq = ? AND lease_owner = ?",
                [(refund, refund, self.max_attempts, error, s, batch.token) for s in chosen],
            )

    def _reclaim(self, db: sqlite3.Connection, now: float) -> None:
        leased = db.execute("SELECT seq, lease_pid, lease_until FROM spool WHERE state = 'leased'").fetchall()
        stale = [seq for seq, pid, until in leased if until < now or not process_alive(pid)]
        if stale:
            logger.warning("spool: %d mention(s) from an unfinished batch are available again", len(stale))
            self._drop_superseded(db, stale)
            db.executemany(
                "UPDATE spool SET state = CASE WHEN attempts >= ? THEN 'dead' ELSE 'ready' END, "
                "lease_owner = NULL, lease_pid = NULL, lease_until = NULL, "
                "last_error = COALESCE(last_error, 'lease expired (consumer crashed or was killed)') "
                "WHERE seq = ?",
                [(self.max_attempts, seq) for seq in stale],
            )

    def _drop_superseded(self, db: sqlite3.Connection, seqs: list[int]) -> None:
        # The mention was spooled again while this copy was leased: the newer copy is waiting
        # already, so this one is dropped instead of coming back beside it.
        db.executemany(
            "DELETE FROM spool WHERE seq = ? AND EXISTS (SELECT 1 FROM spool AS newer "
            "WHERE newer.state = 'ready' AND newer.mention_id = spool.mention_id)",
            [(seq,) for seq in seqs],
        )

    def _bury(self, invalid: dict[int, str]) -> None:
        with self._transaction() as db:
            db.executemany(
                "UPDATE spool SET state = 'dead', last_error = ?, lease_owner = NULL WHERE seq = ?",
                [(reason[:2000], seq) for seq, reason in invalid.items()],
            )
        for seq, reason in invalid.items():
            logger.error("spool: entry %d does not hold a valid mention, kept as dead: %s", seq, reason)

    # -- inspection ----------------------------------------------------------------------------
    def stats(self) -> SpoolStats:
        with self._transaction() as db:
            counts = dict(db.execute("SELECT state, COUNT(*) FROM spool GROUP BY state").fetchall())
        return SpoolStats(counts.get("ready", 0), counts.get("leased", 0), counts.get("dead", 0))

    def dead_letters(self, limit: int = 50) -> list[tuple[str, str]]:
        """(mention id, last error) of mentions given up on; they stay until requeued or purged."""
        with self._transaction() as db:
            return db.execute(
                "SELECT mention_id, COALESCE(last_error, '') FROM spool WHERE state = 'dead' "
                "ORDER BY seq LIMIT ?",
                (limit,),
            ).fetchall()

    # -- privacy (veille/privacy.py) -----------------------------------------------------------
    def prune(self, before: float) -> int:
        """Delete what was spooled before ``before`` (epoch seconds), whatever its state."""
        with self._transaction() as db:
            return db.execute("DELETE FROM spool WHERE enqueued_at < ?", (before,)).rowcount

    def forget(self, *, author: str | None = None, source: str | None = None, url: str | None = None) -> int:
        """Delete waiting mentions by author (optionally on one source) or by URL; returns the count."""
        where, params = [], []
        if author is not None:
            where.append("json_extract(payload, '$.author.name') = ?")
            params.append(author)
        if source is not None:
            where.append("json_extract(payload, '$.source.name') = ?")
            params.append(source)
        if url is not None:
            where.append("(json_extract(payload, '$.url') = ? OR json_extract(payload, '$.thread_url') = ?)")
            params += [url, url]
        if not where:
            raise ValueError("forget needs an author or a url")
        with self._transaction() as db:
            return db.execute(f"DELETE FROM spool WHERE {' AND '.join(where)}", params).rowcount

    def requeue_dead(self) -> int:
        with self._transaction() as db:
            dead = [seq for (seq,) in db.execute("SELECT seq FROM spool WHERE state = 'dead'")]
            self._drop_superseded(db, dead)
            cursor = db.execute("UPDATE spool SET state = 'ready', attempts = 0 WHERE state = 'dead'")
        return cursor.rowcount
