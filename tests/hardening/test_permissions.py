"""Local data is private (0700 directories, 0600 files) whatever the umask: spool, mail queue,
outbox, collection state."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime

import pytest

from alerts.mail.message import build_message
from alerts.mail.queue import MailQueue
from alerts.mail.transports import OutboxTransport
from core.spool import Spool
from crawlers.state import StateStore


@pytest.fixture
def open_umask():
    old = os.umask(0o022)  # the usual default: files 0644, directories 0755
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_stores_and_outbox_are_private(tmp_path, open_umask, make_mention):
    data = tmp_path / "var"
    with Spool(data / "spool.sqlite") as spool:
        spool.put([make_mention()])
    with MailQueue(data / "state" / "mail-queue.sqlite") as queue:
        msg = build_message(
            sender="v@example.org", recipients=["cm@example.org"], subject="s", text="t", html="<p>t</p>",
            msg_id="<m1@example.org>", date=datetime.now(UTC),
        )  # fmt: skip
        queue.put(msg, ["cm@example.org"])
        queue.flush(OutboxTransport(data / "outbox"))
    with StateStore(data / "state" / "collect.sqlite") as state:
        state.unseen("feed", {"a": ""})
    files = [p for p in data.rglob("*") if p.is_file()]
    dirs = [data, *(p for p in data.rglob("*") if p.is_dir())]
    assert {p.name for p in files} >= {
        "spool.sqlite",
        "mail-queue.sqlite",
        "collect.sqlite",
        "m1_example.org.eml",
    }
    assert {p.name: oct(mode(p)) for p in files if mode(p) != 0o600} == {}
    assert {p.name: oct(mode(p)) for p in dirs if mode(p) != 0o700} == {}


def test_existing_world_readable_files_are_tightened(tmp_path, open_umask):
    path = tmp_path / "var" / "spool.sqlite"
    path.parent.mkdir(mode=0o755)
    path.touch(mode=0o644)
    Spool(path).close()
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
