"""A small SQLite file store: WAL mode, explicit ``BEGIN IMMEDIATE`` transactions, clear errors.

The spool, the mail queue and the collection state are each one of these: a file that several
processes share (the scheduler, a crawl child process, a CLI command), where a write that returned
is on disk, and where any SQLite failure becomes the caller's own error type naming the file.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from core.errors import VeilleError
from core.private_files import private_dir, private_file

WAL_SWITCH_TRIES = 100  # x 0.05 s


def use_wal(db: sqlite3.Connection) -> None:
    """Put the file in WAL mode, once. The switch needs the file to itself, and SQLite answers
    "database is locked" at once, without its busy wait, when another process opens the same new
    file at that moment (a poll writing while a command reads the spool): the switch is retried for
    a few seconds. A file already in WAL mode is left alone (reading the mode takes no lock)."""
    for attempt in range(WAL_SWITCH_TRIES):
        if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
            return
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_SWITCH_TRIES - 1:
                raise
            time.sleep(0.05)


class SqliteStore:
    """Base for the local stores; subclasses set ``what``, ``error`` and ``schema``."""

    what = "store"  # for messages: "cannot open the {what} {path}"
    error: type[VeilleError] = VeilleError
    schema = ""
    synchronous = "NORMAL"  # FULL where a crash must not lose an acknowledged write
    # False where one long-lived object is used from the scheduler's pool threads, one at a time.
    check_same_thread = True

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._closed = False
        try:
            private_dir(self.path.parent)
            private_file(self.path)  # SQLite gives the -wal and -shm files the same mode
            # isolation_level=None: transactions are ours (BEGIN IMMEDIATE), so a read-then-write
            # is atomic across processes.
            self._db = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=self.check_same_thread
            )
            use_wal(self._db)
            self._db.execute(f"PRAGMA synchronous={self.synchronous}")
            self._db.executescript(self.schema)
        except (sqlite3.Error, OSError) as exc:
            raise self.error(f"cannot open {self.what} {self.path}: {exc}") from exc

    def close(self) -> None:
        if not self._closed:
            self._db.close()
            self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self._closed:
            raise self.error(f"{self.what} {self.path} is closed")
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self.error(f"{self.what} {self.path}: {exc}") from exc
