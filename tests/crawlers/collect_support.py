"""Helpers of the collection tests (imported by conftest.py and the test modules).

Configs (``tests.support.config_data`` with ``base_url``) are the shipped config.yaml rebased on
the test server's address, so the shipped demo sources are what gets tested.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from core.config import LoadedConfig
from core.spool import Spool
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


class RedesignedSiteHandler(BaseHTTPRequestHandler):
    """A site whose crawls find nothing (a redesigned page: text, but no post, comment or review
    anywhere), and under ``/reviews`` a real recipe page whose reviews carry no date."""

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            self.send_error(404)
            return
        if self.path.startswith("/reviews"):
            page = REAL_PAGES / "themodernproper.com__themodernproper_1.html.gz"
            body = gzip.decompress(page.read_bytes())
        else:
            body = b"<html><body><h1>Nouveau site</h1><p>Bienvenue sur le nouveau site.</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def redesigned_site() -> Iterator[str]:
    """The base URL of a ``RedesignedSiteHandler`` served on 127.0.0.1 for the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), RedesignedSiteHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
