"""Fetch confinement against real local servers: a feed on 127.0.0.1 and a "metadata" server on
another loopback port, which no entry link, redirect or site link may reach."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.config.sources import Crawl, SiteSource
from core.spool import Spool
from crawlers.confine import Scope
from crawlers.feeds.poller import poll_feeds
from crawlers.http import Fetcher, FetchError
from crawlers.spiders.site import SiteSpider
from tests.webserver import serve
from veille.cli import cli

REPO = Path(__file__).resolve().parents[2]

ARTICLE = "<html><body><article><h1>Velora</h1><p>{}</p></article></body></html>"
LONG = "Velora a coupé la fibre de tout le quartier pendant trois jours sans prévenir personne. " * 4


def rss(base: str, links: list[str]) -> str:
    items = "".join(
        f"<item><title>Velora {i}</title><link>{link}</link><description>Velora court</description></item>"
        for i, link in enumerate(links)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def test_feed_full_text_never_reaches_another_port_or_an_internal_address(make_config):
    with serve() as metadata, serve() as site:
        metadata.add("/latest/meta-data/iam", ARTICLE.format("SECRET-ROLE-CREDENTIALS " * 20))
        site.add("/a", ARTICLE.format(LONG))
        site.add("/moved", f"{metadata.base}/latest/meta-data/iam", status=302)
        links = [
            f"{site.base}/a",  # own origin: fetched
            f"{metadata.base}/latest/meta-data/iam",  # same host, other port: refused
            f"{site.base}/moved",  # own origin redirecting to the metadata server: refused
            "http://169.254.169.254/latest/meta-data/",  # link-local: refused without a connection
        ]
        feed = site.add("/rss.xml", rss(site.base, links), "application/rss+xml")
        loaded = make_config(
            sources={"feeds": [{"name": "news", "url": feed, "kind": "news", "full_text": True}]}
        )
        (summary,) = poll_feeds(loaded)
    assert metadata.hits == []
    assert "/a" in site.hits and "/moved" in site.hits
    errors = "\n".join(summary.errors)
    assert f"{metadata.base} is not this source's site" in errors
    assert "169.254.169.254 is not this source's site" in errors
    assert "redirected to" in errors
    with Spool(loaded.spool_path) as spool:
        texts = {m.url: m.text for m in spool.take(100).mentions}
    assert len(texts) == 4  # every entry kept, with its feed summary when the page was refused
    assert "trois jours" in texts[f"{site.base}/a"]
    assert not any("SECRET" in text for text in texts.values())


def test_also_fetch_from_opens_exactly_what_it_names(make_config):
    with serve() as other, serve() as site:
        other.add("/b", ARTICLE.format(LONG))
        feed = site.add("/rss.xml", rss(site.base, [f"{other.base}/b"]), "application/rss+xml")
        source = {
            "name": "n",
            "url": feed,
            "kind": "news",
            "full_text": True,
            "also_fetch_from": [other.base],
        }
        loaded = make_config(sources={"feeds": [source]})
        (summary,) = poll_feeds(loaded)
    assert other.hits == ["/b"] and summary.errors == []


def test_the_address_check_runs_on_the_connected_socket():
    with serve() as site:
        url = site.add("/x", "ok")
        scope = Scope("s", [url])
        assert scope.refuse(url) is None  # a source living on loopback may fetch its own port
        scope.private = set()  # as if the name had resolved to a public address when configured
        with (
            Fetcher(Crawl(retries=0)) as fetcher,
            pytest.raises(FetchError, match=r"non-public address 127\.0\.0\.1"),
        ):
            fetcher.get(url, scope=scope)
    assert site.hits == []  # refused before any request was sent


@pytest.mark.parametrize(
    ("address", "refused"),
    [("127.0.0.1", True), ("10.1.2.3", True), ("169.254.169.254", True), ("::1", True),
     ("::ffff:192.168.1.1", True), ("fe80::1", True), ("100.64.0.1", True), ("93.184.216.34", False)],
)  # fmt: skip
def test_non_public_addresses_are_refused_to_a_public_source(address, refused):
    scope = Scope("s", ["https://93.184.216.34/feed"])
    assert (scope.refuse_address(address, "93.184.216.34", 443) is not None) is refused


def test_a_site_does_not_follow_links_to_another_port_of_its_host():
    source = SiteSource(name="forum", start_urls=["http://127.0.0.1:8081/"], preset="phpbb")
    spider = SiteSpider(source, "forum", "Europe/Paris", 10.0, 1_000_000)
    assert spider._request("http://127.0.0.1:8081/viewtopic.php?t=1", None) is not None
    assert spider._request("http://127.0.0.1:8082/latest/meta-data", None) is None
    assert spider._request("http://169.254.169.254/", None) is None


def test_a_feed_redirected_to_an_internal_port_is_refused(make_config):
    with serve() as metadata, serve() as site:
        metadata.add("/feed", rss(metadata.base, ["http://x.test/1"]), "application/rss+xml")
        feed = site.add("/rss.xml", f"{metadata.base}/feed", status=301)
        loaded = make_config(sources={"feeds": [{"name": "n", "url": feed, "kind": "news"}]})
        (summary,) = poll_feeds(loaded)
    assert metadata.hits == []
    (error,) = summary.errors
    assert "resolves to the non-public address 127.0.0.1; refused" in error


def meta_refresh(target: str) -> str:
    return (
        f'<html><head><meta http-equiv="refresh" content="0; url={target}"></head>'
        "<body><p>Ce forum a déménagé.</p></body></html>"
    )


def test_a_crawl_never_connects_to_another_local_port_even_by_meta_refresh(make_config):
    """A ``<meta refresh>`` is followed by Scrapy itself (neither the spider's URL check nor the
    redirect guard sees it): only the resolver, on the connection, stops it."""
    with serve() as metadata, serve() as site:
        metadata.add("/latest/meta-data", "<html><body>secret-token</body></html>")
        start = site.add("/forum/", meta_refresh(f"{metadata.base}/latest/meta-data"))
        site.add("/moved/", meta_refresh(f"http://localhost:{metadata.port}/latest/meta-data"))
        forum = {"name": "forum-x", "start_urls": [start, f"{site.base}/moved/"], "preset": "phpbb"}
        loaded = make_config(sources={"forums": [forum]})
        result = CliRunner().invoke(cli, ["-c", str(loaded.path), "crawl", "--source", "forum-x"])
    assert metadata.hits == []
    assert sorted(site.hits) == ["/forum/", "/moved/", "/robots.txt"]
    assert "Traceback" not in result.output
    assert "redirect not followed: " in result.output
    assert "robots.txt" not in result.output  # not even asked for at the refused address


RESOLVE = """
import sys
from twisted.internet import defer, reactor
from twisted.web.client import Agent, readBody
from crawlers.spiders.resolver import ConfinedResolver

ConfinedResolver(reactor, {("127.0.0.1", int(sys.argv[1]))}).install_on_reactor()
agent = Agent(reactor)

@defer.inlineCallbacks
def main():
    for url in sys.argv[2:]:
        try:
            response = yield agent.request(b"GET", url.encode())
            yield readBody(response)
            print(url, response.code)
        except Exception as exc:
            print(url, type(exc).__name__)
    reactor.stop()

reactor.callWhenRunning(main)
reactor.run()
"""


def test_the_crawl_resolver_checks_what_twisted_connects_to():
    """Twisted's own HTTP client with the crawl's resolver installed: a private address is reached
    only as an endpoint a source lives on (127.0.0.1 on the site's port), by IP or by name."""
    with serve() as metadata, serve() as site:
        metadata.add("/latest/meta-data", "secret-token")
        site.add("/ok", "fine")
        secret = "/latest/meta-data"
        urls = [f"{site.base}/ok", f"http://localhost:{site.port}/ok",
                f"{metadata.base}{secret}", f"http://localhost:{metadata.port}{secret}"]  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-c", RESOLVE, str(site.port), *urls], check=False,
            capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
    outcome = dict(line.rsplit(" ", 1) for line in done.stdout.splitlines())
    expected = ["200", "200", "DNSLookupError", "DNSLookupError"]
    assert outcome == dict(zip(urls, expected, strict=True)), done.stdout + done.stderr
    assert metadata.hits == []
    assert "resolves to the non-public address 127.0.0.1; refused" in done.stderr
