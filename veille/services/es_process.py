"""Who runs the local node: the ``veille-es`` system user under root, and checking that a pid
really is that user's Elasticsearch server before Veille signals it (the pid file is theirs)."""

from __future__ import annotations

import os
import pwd
import subprocess
from pathlib import Path

from core.errors import ESNodeError

ES_USER = "veille-es"


def node_uid() -> int | None:
    """The uid the node runs as: ``veille-es`` under root, else ourselves."""
    if os.geteuid() != 0:
        return os.geteuid()
    try:
        return pwd.getpwnam(ES_USER).pw_uid
    except KeyError:
        return None


def owner_and_args(pid: int) -> tuple[int, list[str]] | None:
    """(real uid, command line) of a process, from /proc (Linux) or ps."""
    proc = Path(f"/proc/{pid}")
    if proc.is_dir():
        try:
            status = (proc / "status").read_text()
            args = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            return None
        uid_line = next((line for line in status.splitlines() if line.startswith("Uid:")), "")
        if not uid_line:
            return None
        return int(uid_line.split()[1]), [a.decode(errors="replace") for a in args if a]
    try:
        out = subprocess.run(
            ["ps", "-ww", "-o", "uid=,args=", "-p", str(pid)], capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    return (int(out[0]), out[1:]) if out else None


def ensure_es_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(ES_USER)
    except KeyError:
        pass
    try:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ES_USER],
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or exc
        raise ESNodeError(
            f"cannot create the system user {ES_USER!r} to run Elasticsearch: {detail}"
        ) from exc
    return pwd.getpwnam(ES_USER)
