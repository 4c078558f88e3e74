"""Feed cases seen on real feeds, each served by a local HTTP server: slow drip, link-less
entries, JSON Feed 1.1, Google News publishers, Google Alerts redirects, one bad entry."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest

from crawlers.feeds.poller import poll_feeds
from tests.crawlers.collect_support import spooled
from tests.support import wait_until
from tests.webserver import Reply, serve_replies

RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
{items}</channel></rss>"""

LINKLESS = RSS.format(
    items="""
<item><title>Velora : le podcast de la panne</title><guid isPermaLink="false">pod-2026-11-20</guid>
<enclosure url="https://cdn.example.org/pod/velora-panne.mp3" type="audio/mpeg" length="1"/>
<description>On parle de la panne Velora.</description></item>
<item><title>Velora en direct</title><guid isPermaLink="false">live-42</guid>
<description>Le direct Velora continue.</description></item>
<item><title>Velora sans rien</title><description>Pas de lien ni de guid.</description></item>
<item><title>Velora normal</title><link>https://blog.example.org/velora</link>
<description>Un billet sur Velora.</description></item>"""
)

GOOGLE_NEWS = RSS.format(
    items="""
<item><title>Panne géante chez Velora - Le Monde</title>
<link>https://news.google.com/rss/articles/CBMiXmh0dHBzOi8vd3d3LmxlbW9uZGU?oc=5</link>
<guid isPermaLink="false">CBMiXmh0dHBzOi8vd3d3LmxlbW9uZGU</guid>
<pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate>
<description>Velora reconnaît une panne</description>
<source url="https://www.lemonde.fr">Le Monde</source></item>"""
)

GOOGLE_ALERTS = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Google Alert - Velora</title>
<entry><id>tag:google.com,2013:googlealerts/feed:1234</id>
<title type="html">Avis sur &lt;b&gt;Velora&lt;/b&gt;</title>
<link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://blog.example.net/avis-velora/&amp;ct=ga"/>
<published>2026-11-20T09:00:00Z</published>
<content type="html">Mon avis sur Velora</content></entry></feed>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Un blog",
        "items": [
            {
                "id": "https://json.example.org/velora-1",
                "url": "https://json.example.org/velora-1",
                "title": "Velora et moi",
                "content_html": "<p>Trois semaines sans Velora.</p>",
                "date_published": "2026-11-19T10:00:00+01:00",
                "authors": [{"name": "Camille"}],
            }
        ],
    }
)

FAST = RSS.format(
    items="<item><title>Velora rapide</title><link>https://fast.example.org/velora</link>"
    "<description>Velora, vite.</description></item>"
)


class _Feeds:
    """The feeds site. /drip.xml sends the fast feed a few bytes at a time over ``drip_seconds``:
    no single read ever waits long, only the whole does."""

    drip_seconds = 20.0
    bodies: ClassVar[dict[str, tuple[str, str]]] = {
        "/linkless.xml": (LINKLESS, "application/rss+xml"),
        "/gnews.xml": (GOOGLE_NEWS, "application/rss+xml"),
        "/alerts.xml": (GOOGLE_ALERTS, "application/atom+xml"),
        "/feed.json": (JSON_FEED, "application/feed+json"),
        "/fast.xml": (FAST, "application/rss+xml"),
    }

    def reply(self, request: str) -> Reply | None:
        path = request.split("?", maxsplit=1)[0]
        if path == "/drip.xml":
            return Reply(FAST.encode(), "application/rss+xml", drip_seconds=self.drip_seconds)
        if path not in self.bodies:
            return None
        text, content_type = self.bodies[path]
        return Reply(text.encode(), content_type)


@pytest.fixture
def feeds() -> _Feeds:
    return _Feeds()


@pytest.fixture
def feeds_site(feeds: _Feeds) -> Iterator[str]:
    with serve_replies(feeds.reply) as base:
        yield base


def _config(make_config, base: str, feeds: list[dict]):
    sources = {
        "feeds": [{"kind": "news", **feed} for feed in feeds],
        "forums": [],
        "blogs": [],
        "reviews": [],
    }
    return make_config(base, sources=sources)


def test_slow_drip_feed_hits_the_total_deadline_and_the_others_are_read(feeds_site, make_config):
    loaded = _config(
        make_config,
        feeds_site,
        [
            {"name": "drip", "url": f"{feeds_site}/drip.xml"},
            {"name": "fast", "url": f"{feeds_site}/fast.xml"},
        ],
    )
    summaries = {s.source: s for s in poll_feeds(loaded)}
    assert any("total deadline" in error for error in summaries["drip"].errors), summaries["drip"].errors
    assert summaries["fast"].matched == 1
    assert [m.url for m in spooled(loaded)] == ["https://fast.example.org/velora"]


def test_each_feed_is_spooled_as_soon_as_it_is_done(feeds, feeds_site, make_config):
    feeds.drip_seconds = 4.0  # slower than the fast feed, within the timeout
    loaded = _config(
        make_config,
        feeds_site,
        [
            {"name": "drip", "url": f"{feeds_site}/drip.xml", "timeout": "30s"},
            {"name": "fast", "url": f"{feeds_site}/fast.xml"},
        ],
    )
    poll = threading.Thread(target=poll_feeds, args=(loaded,))
    poll.start()
    try:
        # The fast feed's mention is in the spool while the slow one is still downloading.
        assert wait_until(lambda: len(spooled(loaded)) == 1, timeout=20, step=0.1)
        assert poll.is_alive()
    finally:
        poll.join()


def test_entries_without_link_are_kept_and_a_bad_one_is_named(feeds_site, make_config):
    loaded = _config(make_config, feeds_site, [{"name": "pod", "url": f"{feeds_site}/linkless.xml"}])
    (summary,) = poll_feeds(loaded)
    mentions = spooled(loaded)
    urls = sorted(m.url for m in mentions)
    assert "https://cdn.example.org/pod/velora-panne.mp3" in urls  # guid + enclosure, no link
    assert "https://blog.example.org/velora" in urls
    # A bare guid: the feed's URL with an anchor made from the guid.
    bare = [m for m in mentions if (m.anchor or "").startswith("entry-")]
    assert [m.url for m in bare] == [f"{feeds_site}/linkless.xml"]
    assert len(urls) == 3
    assert any("'Velora sans rien'" in error and "skipped" in error for error in summary.errors), (
        summary.errors,
        urls,
    )


def test_json_feed_google_news_publisher_and_google_alerts_redirect(feeds_site, make_config):
    loaded = _config(
        make_config,
        feeds_site,
        [
            {"name": "json", "url": f"{feeds_site}/feed.json"},
            {"name": "gnews", "url": f"{feeds_site}/gnews.xml"},
            {"name": "alerts", "url": f"{feeds_site}/alerts.xml"},
        ],
    )
    summaries = {s.source: s for s in poll_feeds(loaded)}
    assert not any(s.errors for s in summaries.values()), {k: s.errors for k, s in summaries.items()}
    by_source = {m.source.name: m for m in spooled(loaded)}
    assert by_source["json"].author.name == "Camille" and "Trois semaines" in by_source["json"].text
    assert by_source["gnews"].source.domain == "lemonde.fr"
    assert by_source["alerts"].url == "https://blog.example.net/avis-velora/"
    assert by_source["alerts"].source.domain == "blog.example.net"
