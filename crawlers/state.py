"""Collection state kept across runs in one SQLite file under ``state_dir``.

Two tables: ``feed_http`` (ETag / Last-Modified per feed, for conditional GETs) and ``seen``
(per source: item key -> content hash, so a re-crawl yields only new or edited items). Items are
marked seen only after they reached the spool, so a crash in between re-yields them (the spool and
the deterministic mention id absorb the repeat); nothing is lost.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.config import LoadedConfig
from core.errors import VeilleError
from core.sqlite import SqliteStore

if TYPE_CHECKING:
    from crawlers.summary import SourceSummary

SCHEMA = """
CREATE TABLE IF NOT EXISTS feed_http (
    source TEXT PRIMARY KEY, url TEXT NOT NULL, etag TEXT, last_modified TEXT, checked_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS seen (
    source TEXT NOT NULL, key TEXT NOT NULL, hash TEXT NOT NULL, seen_at REAL NOT NULL,
    PRIMARY KEY (source, key)
);
CREATE INDEX IF NOT EXISTS seen_age ON seen(source, seen_at);
CREATE TABLE IF NOT EXISTS empty_runs (source TEXT PRIMARY KEY, runs INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS source_runs (
    source TEXT PRIMARY KEY, kind TEXT NOT NULL, at REAL NOT NULL, fetched INTEGER NOT NULL,
    items INTEGER NOT NULL, empty_pages INTEGER NOT NULL, undated INTEGER NOT NULL,
    anonymous INTEGER NOT NULL, errors INTEGER NOT NULL
);
"""

# Per source, how many seen keys are kept (oldest forgotten first). A feed shows a few dozen
# entries; a forum crawl a few thousand posts: the bound only has to exceed what one run shows.
DEFAULT_KEEP = 20_000


STATE_FILE = "collect.sqlite"


def state_path(loaded: LoadedConfig) -> Path:
    """The collection state file of a configured install (shared by feeds and spiders)."""
    return loaded.state_dir / STATE_FILE


def read_empty_runs(loaded: LoadedConfig) -> dict[str, int]:
    """Per source, the crawls in a row that found no post ({} before the first collection)."""
    path = state_path(loaded)
    if not path.exists():
        return {}
    with StateStore(path) as state:
        return state.empty_runs()


class StateError(VeilleError):
    """The collection state file cannot be opened or written."""


@dataclass(frozen=True)
class SourceRun:
    """What the last run of one source found (``veille status`` prints it): no silent zero."""

    source: str
    kind: str
    at: float  # epoch seconds
    fetched: int
    items: int
    empty_pages: int
    undated: int
    anonymous: int
    errors: int
    empty_runs: int  # runs in a row that fetched pages and found no item


@dataclass(frozen=True)
class HttpState:
    url: str
    etag: str | None
    last_modified: str | None


class StateStore(SqliteStore):
    """Seen items and feed validators. One object per thread/process; safe across processes."""

    what = "collection state"
    error = StateError
    schema = SCHEMA

    def __init__(self, path: str | Path, *, keep: int = DEFAULT_KEEP) -> None:
        self.keep = keep
        super().__init__(path)

    # -- runs that found nothing ---------------------------------------------------------------
    def count_empty_run(self, source: str, empty: bool) -> int:
        """Record one run of ``source``; returns how many runs in a row found nothing (0 if not)."""
        with self._transaction() as db:
            if not empty:
                db.execute("DELETE FROM empty_runs WHERE source = ?", (source,))
                return 0
            db.execute(
                "INSERT INTO empty_runs(source, runs) VALUES (?, 1) "
                "ON CONFLICT(source) DO UPDATE SET runs = runs + 1",
                (source,),
            )
            return int(db.execute("SELECT runs FROM empty_runs WHERE source = ?", (source,)).fetchone()[0])

    def empty_runs(self) -> dict[str, int]:
        """Per source, the runs in a row that fetched pages and found nothing (sources at 0 left out)."""
        rows = self._db.execute("SELECT source, runs FROM empty_runs WHERE runs > 0").fetchall()
        return {str(source): int(runs) for source, runs in rows}

    def record_run(self, summary: SourceSummary) -> None:
        """Keep the counts of ``summary`` as the source's last run."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO source_runs"
                "(source, kind, at, fetched, items, empty_pages, undated, anonymous, errors)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    summary.source,
                    summary.kind,
                    time.time(),
                    summary.fetched + summary.not_modified,
                    summary.items,
                    summary.empty_pages,
                    summary.undated,
                    summary.anonymous,
                    len(summary.errors),
                ),
            )

    def source_runs(self) -> list[SourceRun]:
        """The last run of every source recorded, by name."""
        rows = self._db.execute(
            "SELECT r.source, r.kind, r.at, r.fetched, r.items, r.empty_pages, r.undated, r.anonymous,"
            " r.errors, COALESCE(e.runs, 0) FROM source_runs r LEFT JOIN empty_runs e USING (source)"
            " ORDER BY r.source"
        ).fetchall()
        return [SourceRun(*row) for row in rows]

    # -- feed validators -----------------------------------------------------------------------
    def http_state(self, source: str, url: str) -> HttpState | None:
        """Validators saved for ``source``; None if never fetched or if its URL changed since."""
        row = self._db.execute(
            "SELECT url, etag, last_modified FROM feed_http WHERE source = ?", (source,)
        ).fetchone()
        if row is None or row[0] != url:
            return None
        return HttpState(*row)

    def save_http_state(self, source: str, state: HttpState) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO feed_http(source, url, etag, last_modified, checked_at) "
                "VALUES (?,?,?,?,?)",
                (source, state.url, state.etag, state.last_modified, time.time()),
            )

    def commit_feeds(self, updates: Iterable[tuple[str, Iterable[str], HttpState]]) -> None:
        """For each (feed, new entry ids, validators): mark the ids seen and save the validators,
        all in one transaction."""
        now = time.time()
        with self._transaction() as db:
            for source, keys, validators in updates:
                db.executemany(
                    "INSERT OR REPLACE INTO seen(source, key, hash, seen_at) VALUES (?,?,?,?)",
                    [(source, key, "", now) for key in keys],
                )
                db.execute(
                    "INSERT OR REPLACE INTO feed_http(source, url, etag, last_modified, checked_at) "
                    "VALUES (?,?,?,?,?)",
                    (source, validators.url, validators.etag, validators.last_modified, now),
                )
                self._prune(db, source)

    # -- seen items ----------------------------------------------------------------------------
    def unseen(self, source: str, items: dict[str, str]) -> set[str]:
        """Keys of ``items`` (key -> content hash) that are new or whose hash changed."""
        if not items:
            return set()
        known: dict[str, str] = {}
        keys = list(items)
        for chunk in range(0, len(keys), 500):
            part = keys[chunk : chunk + 500]
            marks = ",".join("?" * len(part))
            known.update(
                self._db.execute(
                    f"SELECT key, hash FROM seen WHERE source = ? AND key IN ({marks})", (source, *part)
                ).fetchall()
            )
        return {key for key, digest in items.items() if known.get(key) != digest}

    def mark_seen(self, source: str, items: Iterable[tuple[str, str]]) -> None:
        now = time.time()
        rows = [(source, key, digest, now) for key, digest in items]
        if not rows:
            return
        with self._transaction() as db:
            db.executemany("INSERT OR REPLACE INTO seen(source, key, hash, seen_at) VALUES (?,?,?,?)", rows)
            self._prune(db, source)

    def _prune(self, db: sqlite3.Connection, source: str) -> None:
        count = db.execute("SELECT COUNT(*) FROM seen WHERE source = ?", (source,)).fetchone()[0]
        if count > self.keep:
            db.execute(
                "DELETE FROM seen WHERE source = ? AND key IN (SELECT key FROM seen WHERE source = ? "
                "ORDER BY seen_at LIMIT ?)",
                (source, source, count - self.keep),
            )

    def last_activity(self) -> float | None:
        """When a feed was last checked or an item last seen (epoch seconds), None if never."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT MAX(t) FROM (SELECT MAX(checked_at) AS t FROM feed_http "
                "UNION ALL SELECT MAX(seen_at) FROM seen)"
            ).fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def seen_count(self, source: str) -> int:
        return self._db.execute("SELECT COUNT(*) FROM seen WHERE source = ?", (source,)).fetchone()[0]
