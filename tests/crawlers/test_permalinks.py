"""One post, one mention: the phpBB post the forum feed links and the crawl finds share an id."""

from __future__ import annotations

from core.urls import mention_id, permalink
from crawlers.crawl import crawl_sites
from crawlers.feeds.poller import poll_feeds
from tests.crawlers.collect_support import spooled


def test_feed_and_crawl_of_the_demo_forum_give_one_id_per_post(fresh_demo, make_config):
    loaded = make_config(fresh_demo.base_url)
    poll_feeds(loaded, "demo-forum-feed")
    from_feed = {m.id: m.url for m in spooled(loaded)}
    # Feed links are viewtopic.php?p=N#pN; the crawl reads the same posts at viewtopic.php?t=T.
    assert len(from_feed) >= 10 and all("?p=" in url for url in from_feed.values())
    crawl_sites(loaded, "demo-forum")
    after = {m.id: m for m in spooled(loaded)}
    # The spool is keyed by id: each post the crawl found again replaced its feed twin.
    assert from_feed.keys() <= after.keys()
    assert {after[i].source.name for i in from_feed} == {"demo-forum"}
    assert all("t=" in after[i].url for i in from_feed)


def test_permalink_forms_of_the_forum_engines():
    assert mention_id("https://f.test/forum/viewtopic.php?p=193#p193") == mention_id(
        "https://f.test/forum/viewtopic.php?f=2&t=109&start=20", "p193"
    )
    assert permalink("https://x.test/community/threads/panne.123/page-2#post-456") == (
        "https://x.test/community/posts/456/#post-456"
    )
    assert (
        permalink("https://v.test/forum/showthread.php?t=5#post89")
        == "https://v.test/forum/showpost.php?p=89#post89"
    )
    # Anything else is left alone.
    assert permalink("https://blog.test/article/#comment-4") == "https://blog.test/article/#comment-4"
