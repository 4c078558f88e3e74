"""The spool: durable put, leased take, ack; unacknowledged batches come back after a crash."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from core.errors import SpoolError
from core.spool import Spool
from tests.support import make_mention

REPO = Path(__file__).resolve().parents[2]


def test_put_take_ack(tmp_path, make_mention):
    mentions = [make_mention() for _ in range(5)]
    with Spool(tmp_path / "s.sqlite") as spool:
        assert spool.put(mentions) == 5
        batch = spool.take(3)
        assert [m.id for m in batch.mentions] == [m.id for m in mentions[:3]]
        assert spool.stats().leased == 3
        assert spool.ack(batch) == 3
        rest = spool.take(10)
        assert [m.id for m in rest.mentions] == [m.id for m in mentions[3:]]
        spool.ack(rest)
        assert spool.stats().depth == 0


def test_same_mention_spooled_twice_is_stored_once_newest_wins(tmp_path, make_mention):
    first = make_mention(text="premier jet")
    edited = first.model_copy(update={"text": "version éditée"})
    with Spool(tmp_path / "s.sqlite") as spool:
        spool.put([first])
        spool.put([edited])
        batch = spool.take(10)
        assert [m.text for m in batch.mentions] == ["version éditée"]


def test_released_batch_comes_back_with_the_reason_and_dies_after_max_attempts(tmp_path, make_mention):
    with Spool(tmp_path / "s.sqlite", max_attempts=2) as spool:
        spool.put([make_mention()])
        spool.release(spool.take(1), error="ES down")
        assert spool.stats().ready == 1
        spool.release(spool.take(1), error="ES still down")
        assert spool.stats().dead == 1
        assert spool.take(1).mentions == []
        assert spool.dead_letters()[0][1] == "ES still down"
        assert spool.requeue_dead() == 1
        assert len(spool.take(1)) == 1


def test_respooled_while_leased_does_not_duplicate_on_release(tmp_path, make_mention):
    mention = make_mention()
    with Spool(tmp_path / "s.sqlite") as spool:
        spool.put([mention])
        batch = spool.take(1)
        spool.put([mention.model_copy(update={"text": "edited while leased"})])
        spool.release(batch, error="boom")
        again = spool.take(10)
        assert [m.text for m in again.mentions] == ["edited while leased"]


def test_expired_lease_is_reclaimed(tmp_path, make_mention):
    with Spool(tmp_path / "s.sqlite", lease_seconds=0.05) as spool:
        spool.put([make_mention()])
        stale = spool.take(1)
        time.sleep(0.1)
        fresh = spool.take(1)
        assert [m.id for m in fresh.mentions] == [m.id for m in stale.mentions]
        assert spool.ack(stale) == 0  # the stale consumer's ack no longer owns the rows
        assert spool.ack(fresh) == 1


def test_corrupt_payload_is_parked_as_dead_not_lost(tmp_path, make_mention):
    path = tmp_path / "s.sqlite"
    with Spool(path) as spool:
        spool.put([make_mention(), make_mention()])
        spool._db.execute("UPDATE spool SET payload = ? WHERE seq = 1", (json.dumps({"url": "x"}),))
        batch = spool.take(10)
        assert len(batch.mentions) == 1
        assert list(batch.invalid) == [1]
        assert spool.stats().dead == 1


CHILD = textwrap.dedent(
    """
    import os, sys, time
    from datetime import datetime, UTC
    from core.mention import Mention
    from core.spool import Spool
    spool = Spool(sys.argv[1])
    spool.put([Mention(url=f"https://f.example.fr/t#p{i}", source={"kind": "forum", "name": "f"},
                       text="Velora", published_at=datetime.now(UTC)) for i in range(50)])
    batch = spool.take(20)
    print(len(batch), flush=True)
    time.sleep(60)  # "processing" when kill -9 arrives
    """
)


def test_survives_kill_9_during_processing(tmp_path):
    path = tmp_path / "s.sqlite"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    with child.stdout:
        assert child.stdout.readline().strip() == "20"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    with Spool(path) as spool:
        # Nothing lost: all 50 are there; the 20 leased by the dead process are available at once.
        assert spool.stats().depth == 50
        batch = spool.take(100)
        assert len(batch) == 50
        assert len({m.id for m in batch.mentions}) == 50


def test_unwritable_location_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(SpoolError, match="cannot open spool"):
        Spool(blocker / "spool.sqlite")


def test_closed_spool_says_so(tmp_path):
    spool = Spool(tmp_path / "s.sqlite")
    spool.close()
    with pytest.raises(SpoolError, match="closed"):
        spool.stats()


def test_release_without_counting_never_kills_mentions(tmp_path, make_mention):
    # Elasticsearch down for a long time is not the mentions' fault: they wait.
    with Spool(tmp_path / "s.sqlite", max_attempts=2) as spool:
        spool.put([make_mention()])
        for _ in range(5):
            spool.release(spool.take(1), error="ES down", count_attempt=False)
        assert spool.stats().ready == 1
        assert spool.stats().dead == 0


def test_processes_opening_a_new_spool_at_once_all_succeed(tmp_path):
    """Opening a new spool switches it to WAL, which SQLite refuses at once ("database is locked")
    while another connection opens it too; each opener must wait its turn, not fail."""
    import threading

    errors: list[BaseException] = []
    for round_ in range(15):
        path = tmp_path / f"spool-{round_}.sqlite"
        barrier = threading.Barrier(6)

        def open_and_write(n: int, path=path, barrier=barrier) -> None:
            barrier.wait()
            try:
                with Spool(path) as spool:
                    spool.put([make_mention(url=f"https://forum.example.fr/t/1#p{n}")])
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=open_and_write, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
