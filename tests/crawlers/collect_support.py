"""Helpers of the collection tests (imported by conftest.py and the test modules).

Configs (``tests.support.config_data`` with ``base_url``) are the shipped config.yaml rebased on
the test server's address, so the shipped demo sources are what gets tested.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.config import LoadedConfig
from core.spool import Spool
from tests.webserver import Reply, serve_replies
from veille.demo_web import DemoServer

# The slow trap must outlast the test timeout, the large page must exceed the cap (tests.support).
SLOW_DELAY = 2.5
LARGE_PAGE = 1_000_000

REAL_PAGES = Path(__file__).parent / "real_pages" / "pages"


def start_demo() -> DemoServer:
    return DemoServer(slow_delay=SLOW_DELAY, large_size=LARGE_PAGE).start()


def spooled(loaded: LoadedConfig) -> list[Any]:
    """Every mention waiting in the spool (taken and released, so the spool is unchanged)."""
    with Spool(loaded.spool_path) as spool:
        batch = spool.take(100_000)
        spool.release(batch)
        return batch.mentions


def _redesigned_reply(path: str) -> Reply | None:
    if path == "/robots.txt":
        return None
    if path.startswith("/reviews"):
        page = REAL_PAGES / "themodernproper.com__themodernproper_1.html.gz"
        return Reply(gzip.decompress(page.read_bytes()))
    return Reply(b"<html><body><h1>Nouveau site</h1><p>Bienvenue sur le nouveau site.</p></body></html>")


@contextmanager
def redesigned_site() -> Iterator[str]:
    """The base URL, for the block, of a site whose crawls find nothing (a redesigned page: text,
    but no post, comment or review anywhere), and under ``/reviews`` a real recipe page whose
    reviews carry no date."""
    with serve_replies(_redesigned_reply) as base:
        yield base
