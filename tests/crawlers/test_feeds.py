"""The feed poller against the demo web on a real local server: 304s, seen ids, bozo feeds, traps."""

from __future__ import annotations

import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from core.mention import Mention
from crawlers.feeds.poller import poll_feeds
from crawlers.sources import UnknownSource
from crawlers.state import StateStore, state_path
from tests.crawlers.collect_support import spooled
from tests.support import MAX_PAGE


def by_name(summaries):
    return {s.source: s for s in summaries}


def trap_feeds(base: str) -> list[dict]:
    return [
        {"name": "slow", "url": f"{base}/traps/slow?delay=3"},
        {"name": "loop", "url": f"{base}/traps/loop-a"},
        {"name": "gone", "url": f"{base}/traps/gone"},
        {"name": "broken", "url": f"{base}/traps/error"},
        {"name": "huge", "url": f"{base}/traps/large?size={MAX_PAGE * 2}"},
        {"name": "not-a-feed", "url": f"{base}/blog/"},
        {"name": "moved", "url": f"{base}/traps/offsite"},
        {"name": "old-encoding", "url": f"{base}/traps/cp1252.xml", "kind": "news"},
    ]


def test_poll_spools_matching_entries_then_answers_304(fresh_demo, make_config):
    loaded = make_config(fresh_demo.base_url)
    first = by_name(poll_feeds(loaded))
    rss, atom, forum = first["demo-news-rss"], first["demo-news-atom"], first["demo-forum-feed"]
    assert (rss.fetched, rss.items, rss.new) == (1, 14, 14)
    assert rss.matched == 13  # "Les premiers routeurs wifi 7" names no brand
    assert (atom.items, atom.matched) == (6, 6)
    assert not rss.errors and not atom.errors
    mentions = spooled(loaded)
    # The Atom feed's six articles are also in the RSS feed: same URL, same id, spooled once.
    assert len(mentions) == rss.matched + atom.matched + forum.matched - 6
    outage = next(m for m in mentions if m.title and m.title.startswith("Panne géante chez Velora"))
    assert (
        outage.brands == ["Velora"] and outage.source.kind == "news" and outage.source.name == "demo-news-rss"
    )
    assert outage.author.name == "La rédaction"
    assert datetime.now(UTC) - timedelta(hours=2) < outage.published_at < datetime.now(UTC)
    # full_text: the article page's text, not only the feed's description
    assert "Les associations de consommateurs suivent le dossier" in outage.text
    assert outage.snippet and "Velora" in outage.snippet

    second = by_name(poll_feeds(loaded))
    assert (second["demo-news-rss"].not_modified, second["demo-news-rss"].fetched) == (1, 0)
    assert second["demo-news-atom"].not_modified == 1
    assert second["demo-forum-feed"].new == 0  # no validators on feed.php: fetched, but nothing new
    assert len(spooled(loaded)) == len(mentions)
    statuses = [status for _, path, status in fresh_demo.hits("/news/rss.xml")]
    assert statuses == [200, 304]


def test_validators_and_seen_ids_survive_across_runs(fresh_demo, make_config):
    loaded = make_config(fresh_demo.base_url)
    poll_feeds(loaded, "demo-news-rss")
    with StateStore(state_path(loaded)) as state:
        saved = state.http_state("demo-news-rss", f"{fresh_demo.base_url}/news/rss.xml")
        assert saved is not None and saved.etag and saved.last_modified
        assert state.seen_count("demo-news-rss") == 14
        # A feed whose URL changed starts afresh rather than sending another feed's validators.
        assert state.http_state("demo-news-rss", f"{fresh_demo.base_url}/news/other.xml") is None


def test_burst_injection_yields_exactly_the_new_entries(fresh_demo, make_config):
    loaded = make_config(fresh_demo.base_url)
    poll_feeds(loaded, "demo-news-rss")
    request = urllib.request.Request(f"{fresh_demo.base_url}/_demo/burst?count=5&brand=Velora", method="POST")
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    (summary,) = poll_feeds(loaded, "demo-news-rss")
    assert (summary.fetched, summary.new, summary.matched) == (1, 5, 5)
    fresh = [m for m in spooled(loaded) if m.title and "nouveaux signalements" in m.title]
    assert len(fresh) == 5 and all(m.brands == ["Velora"] for m in fresh)


def test_malformed_feed_is_read_as_far_as_possible(fresh_demo, make_config):
    loaded = make_config(fresh_demo.base_url)
    (summary,) = poll_feeds(loaded, "demo-forum-feed")
    url = f"{fresh_demo.base_url}/forum/feed.php"
    assert summary.items == 16 and summary.matched >= 10
    assert any(e.startswith(f"source 'demo-forum-feed': {url}: malformed feed") for e in summary.errors)
    forum_mentions = [m for m in spooled(loaded) if m.source.name == "demo-forum-feed"]
    assert all("#p" in m.url for m in forum_mentions)


def test_every_trap_is_reported_by_name_and_the_rest_of_the_poll_completes(fresh_demo, make_config):
    base = fresh_demo.base_url
    loaded = make_config(
        base, sources={"feeds": [{"name": "news", "url": f"{base}/news/rss.xml"}, *trap_feeds(base)]}
    )
    result = by_name(poll_feeds(loaded))
    expected = {
        "slow": "timed out after 1s",
        "loop": "too many redirects",
        "gone": "HTTP 404",
        "broken": "HTTP 500",
        "huge": f"over the {MAX_PAGE}-byte download cap",
        "not-a-feed": "not a readable feed",
    }
    for name, reason in expected.items():
        url = next(f["url"] for f in trap_feeds(base) if f["name"] == name)
        (error,) = result[name].errors
        assert error.startswith(f"source {name!r}: {url}: ") and reason in error, error
    assert result["news"].matched == 13 and not result["news"].errors
    # A feed that moved to another host is followed (feeds are often served by a CDN).
    assert result["moved"].new == 14 and not result["moved"].errors
    old = result["old-encoding"]
    assert old.matched == 2 and not old.errors
    texts = {m.title: m.text for m in spooled(loaded) if m.source.name == "old-encoding"}
    assert (
        texts["Velora : la facture passe à 29,99 €"]
        == "L’opérateur Velora relève ses prix ; les abonnés « râlent »."
    )
    assert "œuvre" in texts["Cafés Lantier : un cœur de métier"]


def test_unknown_source_name(make_config, demo):
    loaded = make_config(demo.base_url)
    with pytest.raises(UnknownSource, match=r"no feed named 'nope'.*demo-news-rss"):
        poll_feeds(loaded, "nope")


def test_spooled_mentions_round_trip(fresh_demo, make_config):
    loaded = make_config(fresh_demo.base_url)
    poll_feeds(loaded, "demo-news-atom")
    mentions = spooled(loaded)
    assert len(mentions) >= 5  # a round trip of nothing would prove nothing
    for mention in mentions:
        assert Mention.from_document(mention.to_document()).id == mention.id
        assert mention.url.startswith(f"{fresh_demo.base_url}/news/article/")
