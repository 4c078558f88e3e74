"""No silent zero: a site where nothing is found, and items without a date, are shown and counted."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from veille.cli import cli

PAGES = Path(__file__).parent / "real_pages" / "pages"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            self.send_error(404)
            return
        if self.path.startswith("/reviews"):
            body = gzip.decompress((PAGES / "themodernproper.com__themodernproper_1.html.gz").read_bytes())
        else:  # a redesigned page: text, but no post, comment or review anywhere
            body = b"<html><body><h1>Nouveau site</h1><p>Bienvenue sur le nouveau site.</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_site_yielding_nothing_fails_the_crawl_and_is_named_again_next_run(site, make_config):
    # A forum: for a blog, the article layer would read the page's text as one article.
    sources = {
        "feeds": [],
        "blogs": [],
        "reviews": [],
        "forums": [{"name": "redesigned", "start_urls": [f"{site}/"]}],
    }
    loaded = make_config(site, sources=sources)
    first = CliRunner().invoke(cli, ["-c", str(loaded.path), "crawl"])
    assert first.exit_code == 3, first.output
    assert "redesigned" in first.output and "no post, comment or review found on 1 page(s)" in first.output
    assert "1 page(s) without any post" in first.output
    second = CliRunner().invoke(cli, ["-c", str(loaded.path), "crawl"])
    assert second.exit_code == 3
    assert "no post found on 2 crawls in a row" in second.output


def test_undated_items_are_counted_not_stamped_with_the_crawl_time(site, make_config):
    reviews = [{"name": "recettes", "start_urls": [f"{site}/reviews"]}]
    loaded = make_config(site, sources={"feeds": [], "forums": [], "blogs": [], "reviews": reviews})
    outcome = CliRunner().invoke(cli, ["-c", str(loaded.path), "crawl"])
    assert outcome.exit_code == 0, outcome.output
    assert (
        "recettes: 0 page(s) without any post, 6 item(s) without a date, 0 without an author"
        in outcome.output
    )
