"""Workspace accounts and saved searches in one SQLite file: argon2 password hashes, three roles.

Roles are ordered: a ``viewer`` reads, a ``responder`` also triages (assign, tag, handle, correct
sentiment), an ``admin`` also manages accounts. Passwords are never stored or logged, only their
argon2id hash (argon2-cffi's defaults, which follow RFC 9106's recommendations).
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from core.errors import VeilleError
from core.sqlite import SqliteStore

logger = logging.getLogger(__name__)

ROLES = ("viewer", "responder", "admin")
MIN_PASSWORD = 10
USER_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")


class AccountError(VeilleError):
    """A bad user name, role or password, or the accounts file cannot be used."""


@dataclass(frozen=True)
class User:
    name: str
    role: str

    def can(self, role: str) -> bool:
        """True when this user's role is ``role`` or above."""
        return ROLES.index(self.role) >= ROLES.index(role)


class Accounts(SqliteStore):
    what = "accounts file"
    error = AccountError
    schema = """
    CREATE TABLE IF NOT EXISTS users (
        name TEXT PRIMARY KEY, hash TEXT NOT NULL, role TEXT NOT NULL, created TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS saved_searches (
        user TEXT NOT NULL, name TEXT NOT NULL, query TEXT NOT NULL, PRIMARY KEY (user, name));
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path)
        from argon2 import PasswordHasher

        self._hasher = PasswordHasher()
        # The web server calls in from its thread pool: one connection shared under a lock.
        self._db.close()
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self._lock = threading.Lock()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, super()._transaction() as db:
            yield db

    def add(self, name: str, password: str, role: str, *, replace: bool = False) -> User:
        name = name.strip()
        if not USER_NAME.fullmatch(name):
            raise AccountError(f"user name {name!r}: expected letters, digits, '.', '-' or '_' (64 at most)")
        if role not in ROLES:
            raise AccountError(f"role {role!r}: expected one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"the password of {name} is too short ({MIN_PASSWORD} characters at least)")
        digest = self._hasher.hash(password)
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        with self._transaction() as db:
            cursor = db.execute(
                f"{verb} INTO users (name, hash, role, created) VALUES (?, ?, ?, ?)",
                (name, digest, role, datetime.now(UTC).isoformat()),
            )
            if cursor.rowcount == 0:
                raise AccountError(f"user {name} already exists (use --replace to change it)")
        return User(name, role)

    def verify(self, name: str, password: str) -> User | None:
        """The user when ``password`` is theirs, else None (same answer for unknown names)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        with self._transaction() as db:
            row = db.execute("SELECT hash, role FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            # Hash anyway so an unknown name takes as long as a wrong password.
            self._hasher.hash(password)
            return None
        try:
            self._hasher.verify(row[0], password)
        except (VerificationError, InvalidHashError):
            return None
        return User(name, row[1])

    def get(self, name: str) -> User | None:
        with self._transaction() as db:
            row = db.execute("SELECT role FROM users WHERE name = ?", (name,)).fetchone()
        return User(name, row[0]) if row else None

    def users(self) -> list[User]:
        with self._transaction() as db:
            rows = db.execute("SELECT name, role FROM users ORDER BY name").fetchall()
        return [User(n, r) for n, r in rows]

    def save_search(self, user: str, name: str, query: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO saved_searches (user, name, query) VALUES (?, ?, ?)",
                (user, name.strip()[:80] or "recherche", query[:2000]),
            )

    def saved_searches(self, user: str) -> list[tuple[str, str]]:
        with self._transaction() as db:
            rows = db.execute(
                "SELECT name, query FROM saved_searches WHERE user = ? ORDER BY name", (user,)
            ).fetchall()
        return [(str(n), str(q)) for n, q in rows]
