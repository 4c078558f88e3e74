"""One long-running process per data dir: an advisory lock file (``fcntl.flock``) under the state dir.

The kernel drops the lock when its process dies, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import IO, Self

from core.errors import VeilleError

logger = logging.getLogger(__name__)


class AlreadyRunning(VeilleError):
    """Another process holds the lock of this data dir."""


class RunLock:
    """Held from ``acquire()`` until ``release()`` (or the process ends)."""

    def __init__(self, path: Path, what: str = "veille run") -> None:
        self.path = path
        self.what = what
        self._file: IO[str] | None = None

    def acquire(self) -> Self:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the process's life
        os.chmod(self.path, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise AlreadyRunning(
                f"another `{self.what}` (pid {holder}) already uses this data dir ({self.path.parent}); "
                "stop it first, or give this one its own data_dir"
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()
