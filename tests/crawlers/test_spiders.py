"""The forum, blog and review spiders against the demo web, in real crawl child processes.

One module-wide scenario keeps the number of crawls (about 1.5 s of process start each) low:
crawl everything, crawl again (nothing new), edit a post, crawl the forum (just that post).
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import yaml

from core.config import load_config
from crawlers.crawl import crawl_sites
from crawlers.feeds.poller import poll_feeds
from tests.crawlers.collect_support import spooled, start_demo
from tests.support import MAX_PAGE, TEST_TIMEOUT, config_data

BROKEN = {"name": "broken-profile", "start_urls": ["http://127.0.0.1:9/"], "profile": {"post": "div..post"}}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    server = start_demo()
    tmp = tmp_path_factory.mktemp("crawl")
    data = config_data(tmp / "var", base_url=server.base_url)
    data["sources"]["forums"].append(BROKEN)
    path = tmp / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    loaded = load_config(path)
    first = {s.source: s for s in crawl_sites(loaded)}
    after_first = spooled(loaded)
    second = {s.source: s for s in crawl_sites(loaded)}
    edited_id = next(p.id for t, p in server.world.posts.values() if t.title.startswith("Coupures"))
    query = urllib.parse.urlencode(
        {"post": edited_id, "text": "Edit : Velora a réparé, merci au technicien."}
    )
    urllib.request.urlopen(
        urllib.request.Request(f"{server.base_url}/_demo/edit?{query}", method="POST")
    ).close()
    third = {s.source: s for s in crawl_sites(loaded, "demo-forum")}
    yield {
        "server": server, "loaded": loaded, "first": first, "second": second, "third": third,
        "mentions": after_first, "edited_id": edited_id,
    }  # fmt: skip
    server.stop()


def test_each_spider_collects_its_site(scenario):
    first = scenario["first"]
    forum, blog, reviews = first["demo-forum"], first["demo-blog"], first["demo-reviews"]
    # Forum: index, 4 forums (one with 2 pages), 25 threads (some over 2-3 pages), archives.
    assert forum.fetched >= 35 and forum.items >= 170 and 120 <= forum.matched < forum.items
    assert blog.fetched == 9 and blog.items == 7 + 48  # seven articles and their comments
    assert reviews.fetched == 12 and reviews.items == 40  # 5 products, 5 reviews a page
    assert not blog.errors and not reviews.errors
    by_kind = Counter(m.source.kind for m in scenario["mentions"])
    assert by_kind == {"forum": forum.matched, "blog": blog.matched, "review": reviews.matched}


def test_each_trap_is_an_error_naming_source_and_url_and_the_crawl_completes(scenario):
    base = scenario["server"].base_url
    errors = scenario["first"]["demo-forum"].errors
    topic = f"source 'demo-forum': {base}/forum/viewtopic.php?t="
    expected = {
        902: f"page larger than the {MAX_PAGE}-byte download cap",
        903: f"timed out after {TEST_TIMEOUT.rstrip('s')}s",
        904: f"redirect loop: {base}/forum/viewtopic.php?t=904 -> ",
        905: "redirect to another site dropped (localhost is not among 127.0.0.1)",
        906: "HTTP 404",
        907: "HTTP 500",
    }
    for thread, reason in expected.items():
        assert any(e.startswith(f"{topic}{thread}: ") and reason in e for e in errors), (thread, errors)
    assert len(errors) == len(expected)
    (broken,) = scenario["first"]["broken-profile"].errors
    assert broken.startswith("source 'broken-profile': profile selector rules[0].post is invalid")
    # The redirect to another host was never followed.
    assert not [r for r in scenario["server"].requests if "localhost" in r[1]]


def test_robots_txt_is_obeyed(scenario):
    server = scenario["server"]
    assert server.hits("/robots.txt")
    assert not server.hits("/forum/viewforum.php?f=6") and not server.hits("/forum/memberlist.php")
    assert scenario["first"]["demo-forum"].skipped >= 1
    assert not [m for m in scenario["mentions"] if "Signalements" in (m.title or "")]


def test_mentions_have_their_own_anchor_author_and_date(scenario):
    mentions = scenario["mentions"]
    assert len({m.id for m in mentions}) == len(mentions)
    posts = [m for m in mentions if m.source.kind == "forum"]
    assert all(m.anchor and m.anchor.startswith("p") and m.url.endswith(f"#{m.anchor}") for m in posts)
    assert all(m.author.name and m.author.posts for m in posts)
    comments = [m for m in mentions if m.anchor and m.anchor.startswith("comment-")]
    assert len(comments) >= 30 and all(m.thread_url and m.thread_url in m.url for m in comments)
    reviews = [m for m in mentions if m.source.kind == "review"]
    assert all(m.rating is not None and m.anchor.startswith("review-") for m in reviews)
    assert all("?page=" not in m.url for m in reviews)  # stable ids whichever page a review is on
    now = datetime.now(UTC)
    assert all(now - timedelta(days=22) < m.published_at <= now for m in mentions)
    relative = [m for m in posts if now - m.published_at < timedelta(hours=2)]  # "il y a N minutes"
    assert relative and all(m.published_at.second == m.first_seen_at.second for m in relative)


def test_windows_1252_thread_is_decoded(scenario):
    (archive, reply) = [m for m in scenario["mentions"] if "t=901" in m.url]
    assert "29,99 €" in archive.text and "l’œil" in archive.text and "« en recommandé »" in archive.text
    assert "Cœur" in reply.text


def test_false_friends_and_excluded_terms_do_not_match(scenario):
    assert len(scenario["mentions"]) >= 30  # the crawl found posts: the absence below means something
    texts = " ".join(m.text for m in scenario["mentions"])
    for phrase in ("Velora Beach", "Étienne Lantier", "Velorama", "velora.io", "Claude Lantier"):
        assert phrase not in texts


def test_the_demo_tells_a_bad_buzz(scenario, tmp_path):
    """At least 25 Velora mentions in the last two hours, across forum, blog, reviews and news."""
    loaded = scenario["loaded"]
    poll_feeds(loaded)
    now = datetime.now(UTC)
    recent = [
        m for m in spooled(loaded) if "Velora" in m.brands and now - m.published_at < timedelta(hours=2)
    ]
    assert len(recent) >= 25
    assert {m.source.kind for m in recent} >= {"forum", "blog", "review", "news"}
    words = ("panne", "injoignable", "arnaque", "résilie", "prélev", "down", "scam")
    assert sum(any(w in m.text.lower() for w in words) for m in recent) >= 20
    history = [m for m in spooled(loaded) if now - m.published_at > timedelta(days=7)]
    assert {b for m in history for b in m.brands} == {"Velora", "Cafés Lantier"}


def test_second_crawl_yields_nothing_new(scenario):
    second = {name: s for name, s in scenario["second"].items() if name != "broken-profile"}
    assert set(second) >= {"demo-forum", "demo-blog", "demo-reviews"}, second
    for summary in second.values():
        assert summary.new == 0 and summary.matched == 0 and summary.items > 0, summary


def test_an_edited_post_comes_back_once(scenario):
    (forum,) = scenario["third"].values()
    assert (forum.new, forum.matched) == (1, 1)
    edited = [m for m in spooled(scenario["loaded"]) if m.anchor == f"p{scenario['edited_id']}"]
    assert len(edited) == 1 and edited[0].text == "Edit : Velora a réparé, merci au technicien."


def test_a_crawl_that_overruns_is_reported_per_source(fresh_demo, make_config):
    loaded = make_config(fresh_demo.base_url)
    summaries = crawl_sites(loaded, "demo-blog", timeout=0.3)
    (blog,) = summaries
    assert blog.errors == [
        f"source 'demo-blog': {fresh_demo.base_url}/blog/: crawl process killed after 0.3s"
    ]
