"""Helpers of the collection tests (imported by conftest.py and the test modules).

Configs (``tests.support.config_data`` with ``base_url``) are the shipped config.yaml rebased on
the test server's address, so the shipped demo sources are what gets tested.
"""

from __future__ import annotations

from typing import Any

from core.config import LoadedConfig
from core.spool import Spool
from veille.demo_web import DemoServer

# The slow trap must outlast the test timeout, the large page must exceed the cap (tests.support).
SLOW_DELAY = 2.5
LARGE_PAGE = 1_000_000


def start_demo() -> DemoServer:
    return DemoServer(slow_delay=SLOW_DELAY, large_size=LARGE_PAGE).start()


def spooled(loaded: LoadedConfig) -> list[Any]:
    """Every mention waiting in the spool (taken and released, so the spool is unchanged)."""
    with Spool(loaded.spool_path) as spool:
        batch = spool.take(100_000)
        spool.release(batch)
        return batch.mentions
