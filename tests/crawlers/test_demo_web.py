"""The demo web itself: its sites, its French, its traps and its control endpoints."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import feedparser
import pytest

from veille.demo_web import DemoServer
from veille.demo_web.config import DEMO_BASE_URL, rebase_config, shipped_config_text


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def post(url: str) -> dict:
    with urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=10) as response:
        return json.loads(response.read())


def test_forum_speaks_french_with_absolute_and_relative_dates(demo):
    _, _, body = get(f"{demo.base_url}/forum/viewtopic.php?t=109")
    page = body.decode()
    assert re.search(r"» il y a \d+ (minutes?|heures?) </p>", page)
    _, _, old = get(f"{demo.base_url}/forum/viewtopic.php?t=101")
    assert re.search(
        r"» \d{1,2} (janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.) "
        r"\d{4} à \d\d:\d\d",
        old.decode(),
    )
    assert 'id="p' in page and "Messages :" in page
    _, _, listing = get(f"{demo.base_url}/forum/viewforum.php?f=1")
    assert listing.decode().count('class="topictitle"') == 10 and 'rel="next"' in listing.decode()


def test_robots_and_sitemap(demo):
    _, _, robots = get(f"{demo.base_url}/robots.txt")
    assert (
        b"Disallow: /forum/viewforum.php?f=6" in robots
        and f"Sitemap: {demo.base_url}/sitemap.xml".encode() in robots
    )
    status, headers, sitemap = get(f"{demo.base_url}/sitemap.xml")
    assert status == 200 and headers["Content-Type"].startswith("application/xml")
    assert sitemap.count(b"<loc>") >= 20


def test_feeds_answer_conditional_requests(demo):
    status, headers, body = get(f"{demo.base_url}/news/rss.xml")
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    feed = feedparser.parse(body)
    assert not feed.bozo and len(feed.entries) == 14
    assert get(f"{demo.base_url}/news/rss.xml", {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(f"{demo.base_url}/news/rss.xml", {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    atom = feedparser.parse(get(f"{demo.base_url}/news/atom.xml")[2])
    assert not atom.bozo and atom.version == "atom10" and len(atom.entries) == 6


def test_burst_changes_the_feed_and_its_etag(fresh_demo):
    base = fresh_demo.base_url
    etag = get(f"{base}/news/rss.xml")[1]["ETag"]
    assert post(f"{base}/_demo/burst?count=3&brand=Velora&forum=1")["added"] == 3
    status, headers, body = get(f"{base}/news/rss.xml", {"If-None-Match": etag})
    assert status == 200 and headers["ETag"] != etag
    newest = feedparser.parse(body).entries[:3]
    assert all("Velora" in e.title for e in newest)
    published = datetime(*newest[0].published_parsed[:6], tzinfo=UTC)
    assert datetime.now(UTC) - published < timedelta(minutes=2)
    _, _, page = get(f"{base}/forum/viewtopic.php?t=109&start=10")
    assert page.decode().count("il y a") + page.decode().count("l’instant") >= 3
    assert get(f"{base}/_demo/edit?post=999999", None)[0] == 404  # GET is not a control verb


def test_world_is_deterministic_and_relative_to_now():
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    a, b = DemoServer(now=now), DemoServer(now=now + timedelta(days=30))
    try:
        posts_a = [(p.id, p.text) for f in a.world.forums for t in f.threads for p in t.posts]
        posts_b = [(p.id, p.text) for f in b.world.forums for t in f.threads for p in t.posts]
        assert posts_a == posts_b
        newest = max(p.at for f in b.world.forums for t in f.threads for p in t.posts)
        assert now + timedelta(days=30) - newest < timedelta(hours=1)
    finally:
        a.stop()
        b.stop()


def test_traps(demo):
    base = demo.base_url
    assert get(f"{base}/forum/viewtopic.php?t=906")[0] == 404
    assert get(f"{base}/forum/viewtopic.php?t=907")[0] == 500
    _, headers, body = get(f"{base}/forum/viewtopic.php?t=901")
    assert headers["Content-Type"] == "text/html; charset=windows-1252"
    assert "29,99 €" in body.decode("cp1252") and b"\x80" in body  # the euro sign, in cp1252
    with pytest.raises(urllib.error.HTTPError, match="redirect"):
        urllib.request.urlopen(f"{base}/traps/loop-a", timeout=5)
    started = time.monotonic()
    assert get(f"{base}/traps/slow?delay=0.5")[0] == 200 and time.monotonic() - started >= 0.5
    assert len(get(f"{base}/traps/large?size=300000")[2]) >= 300_000
    assert feedparser.parse(get(f"{base}/forum/feed.php")[2]).bozo


def test_bench_sites(demo):
    _, _, listing = get(f"{demo.base_url}/bench/forum/2000/viewforum.php?f=1&start=1990")
    assert listing.decode().count('class="topictitle"') == 10 and 'rel="next"' not in listing.decode()
    assert get(f"{demo.base_url}/bench/forum/2000/viewtopic.php?t=2000")[0] == 200
    assert get(f"{demo.base_url}/bench/forum/2000/viewtopic.php?t=2001")[0] == 404
    stable = get(f"{demo.base_url}/bench/feeds/7.xml")[1]["ETag"]
    assert get(f"{demo.base_url}/bench/feeds/7.xml", {"If-None-Match": stable})[0] == 304
    changing = get(f"{demo.base_url}/bench/feeds/10.xml")[1]["ETag"]
    assert get(f"{demo.base_url}/bench/feeds/10.xml", {"If-None-Match": changing})[0] == 200


def test_rebased_config_points_every_demo_source_at_the_server():
    text = rebase_config(shipped_config_text(), "http://127.0.0.1:4321")
    assert DEMO_BASE_URL not in text and text.count("http://127.0.0.1:4321/") >= 6
