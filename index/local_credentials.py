"""Credentials of the node Veille runs itself, found from its URL so nothing needs configuring.

``veille es start`` runs the local node with authentication on, generates the ``elastic``
password and an API key, and keeps them in ``<cache>/credentials/node-<port>.json`` (mode 0600,
in a 0700 folder the Elasticsearch user cannot write). ``connect()`` uses that API key for a
loopback URL on that port when the environment gives no credentials of its own.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def default_cache_dir() -> Path:
    """``$VEILLE_CACHE_DIR``, else /var/cache/veille for root, else ~/.cache/veille."""
    if os.environ.get("VEILLE_CACHE_DIR"):
        return Path(os.environ["VEILLE_CACHE_DIR"])
    # /root is mode 0700: the unprivileged ES user could not read anything under it.
    if os.geteuid() == 0:
        return Path("/var/cache/veille")
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "veille"


@dataclass(frozen=True)
class LocalCredentials:
    """The superuser password (for Veille's own node management) and the API key Veille uses."""

    password: str
    api_key: str | None = None  # the "encoded" form: base64 of id:key
    api_key_id: str | None = None
    username: str = "elastic"


def credentials_file(port: int, cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / "credentials" / f"node-{port}.json"


def load(port: int, cache_dir: Path | None = None) -> LocalCredentials | None:
    """The stored credentials, if the file exists, is ours and is private."""
    path = credentials_file(port, cache_dir)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if info.st_uid != os.geteuid() or stat.S_IMODE(info.st_mode) & 0o077:
            logger.warning("ignoring %s: not owned by this user or readable by others", path)
            return None
        try:
            return LocalCredentials(**json.loads(handle.read()))
        except (ValueError, TypeError) as exc:
            logger.warning("ignoring %s: %s", path, exc)
            return None


def save(port: int, credentials: LocalCredentials, cache_dir: Path | None = None) -> Path:
    """Write the credentials file (0600) atomically, its folder 0700."""
    path = credentials_file(port, cache_dir)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    partial = path.with_suffix(".tmp")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(asdict(credentials), handle)
    partial.replace(path)
    return path


def for_url(url: str, cache_dir: Path | None = None) -> LocalCredentials | None:
    """The local node's credentials when ``url`` is a loopback address with a stored key."""
    first = url.split(",", maxsplit=1)[0].strip()
    parts = urlsplit(first if "://" in first else f"http://{first}")
    try:
        port = parts.port
    except ValueError:
        return None
    if parts.hostname not in LOOPBACK or port is None:
        return None
    return load(port, cache_dir)


def client_options(url: str) -> dict[str, str]:
    """``{"api_key": ...}`` for the local node at ``url``, ``{}`` otherwise (tests use this too)."""
    found = for_url(url)
    return {"api_key": found.api_key} if found and found.api_key else {}
