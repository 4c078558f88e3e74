"""Forum and Q&A presets on real saved pages (tests/crawlers/real_pages, expected_forums.json),
served by a local HTTP server: Stack Exchange, Discourse (HTML crawler view and topic JSON),
a forum with no preset (Something Awful, read by the generic layer) and a Wikipedia talk page."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from crawlers.crawl import crawl_sites
from crawlers.trypage import extract_url
from tests.crawlers.collect_support import spooled
from tests.webserver import Reply, serve_replies

CORPUS = Path(__file__).parent / "real_pages"
EXPECTED = {p["file"]: p for p in json.loads((CORPUS / "expected_forums.json").read_text("utf-8"))["pages"]}
DISCOURSE_HTML = "/t/congratulations-most-stars-in-2013-github-octoverse/12483"


def _page(name: str) -> bytes:
    return gzip.decompress((CORPUS / "pages" / name).read_bytes())


def _topic() -> dict:
    # try.discourse.org's topic 57 as its JSON API served it (discourse/discourse_api's fixture).
    return json.loads(_page("discourse__try.discourse.org_57.json.gz"))


class _Forum:
    """The forum's pages. ``topic_json`` is which topic JSON it serves at /t/12483.json: None
    (404), "whole", or "split": the first two posts in /t/ID.json and the others only through
    /t/ID/posts.json?post_ids[]=..., the way Discourse pages a long topic."""

    topic_json: str | None = None

    def reply(self, request: str) -> Reply | None:
        parts = urlsplit(request)
        if parts.path.startswith("/questions/"):
            return Reply(_page(f"stackexchange__stackoverflow_{parts.path.split('/')[2]}.html.gz"))
        if parts.path == "/pt/questions/361861":
            return Reply(_page("stackexchange__pt.stackoverflow_361861.html.gz"))
        if parts.path == DISCOURSE_HTML:
            return Reply(_page("discourse__meta.discourse.org_12483.html.gz"))
        if parts.path == "/blog-linking-smf":  # a WordPress post that links to SMF's site
            link = b'<p><a href="https://www.simplemachines.org/">Simple Machines</a></p></body>'
            return Reply(_page("aflavorjournal.com__aflavorjournal_1.html.gz").replace(b"</body>", link, 1))
        if parts.path.startswith("/harvest/"):
            return Reply(_page(f"harvest__{parts.path.removeprefix('/harvest/')}.html.gz"))
        if parts.path == "/wiki/Discussion:Le_Monde":
            return Reply(_page("mediawiki__fr.wikipedia.org_Discussion_Le_Monde.html.gz"))
        if parts.path == "/showthread.php":
            return Reply(_page("somethingawful__showthread2.html.gz"))
        if parts.path == "/t/12483.json" and self.topic_json:
            topic = _topic()
            if self.topic_json == "split":
                topic["post_stream"]["posts"] = topic["post_stream"]["posts"][:2]
            return Reply(json.dumps(topic).encode(), "application/json")
        if parts.path == "/t/57/posts.json" and self.topic_json == "split":
            wanted = {int(pid) for pid in parse_qs(parts.query)["post_ids[]"]}
            posts = [p for p in _topic()["post_stream"]["posts"] if p["id"] in wanted]
            body = json.dumps({"post_stream": {"posts": posts}, "id": 57}).encode()
            return Reply(body, "application/json")
        return None


@pytest.fixture
def forum() -> _Forum:
    return _Forum()


@pytest.fixture
def site(forum: _Forum) -> Iterator[str]:
    with serve_replies(forum.reply) as base:
        yield base


def test_stackexchange_question_answers_and_comments_detected_and_read(site):
    result, _ = extract_url(f"{site}/questions/15163640/use-d3", tz="UTC")
    expected = EXPECTED["stackexchange__stackoverflow_15163640.html.gz"]
    assert result.engine == "stackexchange"
    assert len(result.mentions) == expected["count"]
    by_anchor = {m.anchor: m for m in result.mentions}
    question = by_anchor["question-15163640"]
    assert question.author.name == "luisfarzati"  # the asker, not the editor of the question
    assert question.published_at == datetime(2013, 3, 1, 17, 38, 22, tzinfo=UTC)
    assert question.text.startswith(expected["first"]["text"])
    answer = by_anchor["answer-42262018"]
    assert (answer.author.name, answer.published_at) == ("btk", datetime(2017, 2, 15, 23, 24, 7, tzinfo=UTC))
    comment = by_anchor["comment-108032326"]  # its date title ends with ", License: CC BY-SA 4.0"
    assert comment.author.name == "eMPee584"
    assert comment.published_at == datetime(2020, 4, 6, 16, 56, 21, tzinfo=UTC)
    assert result.layers[comment.id].startswith("preset:stackexchange")


def test_stackexchange_in_portuguese_every_item_dated_and_signed(site):
    result, _ = extract_url(f"{site}/pt/questions/361861", tz="UTC")
    expected = EXPECTED["stackexchange__pt.stackoverflow_361861.html.gz"]
    assert result.engine == "stackexchange" and len(result.mentions) == expected["count"]
    assert all(m.published_at is not None and m.author.name for m in result.mentions)
    last = next(m for m in result.mentions if m.text.startswith(expected["last"]["text"]))
    assert last.published_at.date().isoformat() == "2019-06-08"  # "…Z, Licença: CC BY-SA 4.0"


def test_discourse_2_crawler_view_posts_numbered_and_dated_by_creation(site):
    # No topic JSON on this server: the HTML crawler view is all there is.
    result, _ = extract_url(f"{site}{DISCOURSE_HTML}", tz="UTC")
    assert result.engine == "discourse"
    first, second = result.mentions
    assert (first.anchor, second.anchor) == ("post-1", "post-2")  # from "#1", "#2": no ids in 2.x
    # Post 1 was edited in 2015: its <time> is the edit, its <meta datePublished> the creation.
    assert first.published_at == datetime(2014, 2, 6, 4, 55, 19, tzinfo=UTC)
    assert first.author.name == "techAPJ" and second.author.name == "codinghorror"
    assert first.url == f"{site}{DISCOURSE_HTML}#post-1"


def test_try_prefers_the_discourse_topic_json(site, forum):
    forum.topic_json = "whole"
    result, _ = extract_url(f"{site}{DISCOURSE_HTML}", tz="UTC")
    assert {result.layers[m.id] for m in result.mentions} == {"discourse:json"}
    # Regular posts with text: the "pinned" notice (post_type 2) and an image-only post are not.
    assert [m.anchor for m in result.mentions] == ["post-1", "post-14"]
    welcome = result.mentions[0]
    assert welcome.author.name == "samsaffron"
    assert welcome.published_at == datetime(2013, 2, 4, 20, 26, 26, 278000, tzinfo=UTC)  # -05:00 in the JSON
    assert welcome.url == f"{site}/t/this-site-is-a-sandbox-it-is-reset-every-day/57#post-1"


def _forum(site: str, make_config, start: str):
    brands = [{"name": "Discourse", "aliases": ["sandbox"]}]
    forums = [{"name": "forum", "start_urls": [f"{site}{start}"]}]
    loaded = make_config(
        site, brands=brands, sources={"feeds": [], "blogs": [], "reviews": [], "forums": forums}
    )
    (summary,) = crawl_sites(loaded)
    return summary, spooled(loaded)


def test_crawl_reads_a_discourse_topic_from_its_json_and_the_posts_beyond_its_first_page(
    site, forum, make_config
):
    forum.topic_json = "split"
    summary, mentions = _forum(site, make_config, DISCOURSE_HTML)
    assert not summary.errors
    assert summary.fetched == 3  # the HTML page, /t/12483.json, /t/57/posts.json?post_ids[]=86&...
    assert summary.items == 2  # posts 1 and 14 of the JSON; the HTML page's posts are not used
    assert [m.anchor for m in mentions] == ["post-1"]  # "Welcome! ... Discourse": the brand
    assert mentions[0].published_at == datetime(2013, 2, 4, 20, 26, 26, 278000, tzinfo=UTC)


def test_crawl_keeps_the_html_posts_when_the_topic_json_fails(site, make_config):
    summary, mentions = _forum(site, make_config, DISCOURSE_HTML)  # /t/12483.json: 404
    assert summary.fetched == 1 and summary.items == 2 and not summary.errors
    assert [m.anchor for m in mentions] == ["post-1"]  # "Congratulations Discourse ..."


def test_forum_without_a_preset_read_by_the_generic_layer_with_its_post_ids(site):
    result, _ = extract_url(f"{site}/showthread.php?threadid=3526065", tz="UTC")
    expected = EXPECTED["somethingawful__showthread2.html.gz"]
    assert result.engine is None and len(result.mentions) == expected["count"]
    first = result.mentions[0]
    assert first.anchor == "post411639264"  # the engine's own id on the post block
    assert first.author.name == expected["first"]["author"]  # not its join date and title too
    assert first.published_at is not None and first.published_at.date().isoformat() == "2013-01-18"
    assert all(result.layers[m.id] == "generic" for m in result.mentions)


def test_wikipedia_talk_page_comments_found_by_their_signatures(site):
    # fr.wikipedia.org's "Discussion:Le Monde" (DiscussionTools' test case): no comment markup.
    result, _ = extract_url(f"{site}/wiki/Discussion:Le_Monde", tz="Europe/Paris")
    expected = EXPECTED["mediawiki__fr.wikipedia.org_Discussion_Le_Monde.html.gz"]
    assert result.engine == "mediawiki"
    # DiscussionTools' own parser counts 85; Veille also splits two double-signed comments.
    assert expected["count"] <= len(result.mentions) <= expected["count"] + 3
    by_anchor = {m.anchor: m for m in result.mentions}
    chicraz = by_anchor["c-Chicraz-201710091516"]  # "9 octobre 2017 à 17:16 (CEST)"
    assert chicraz.published_at == datetime(2017, 10, 9, 15, 16, tzinfo=UTC)
    assert chicraz.text.startswith("Bonjour, j'ai annulé votre modification")
    assert chicraz.text.endswith("des actions du journal.")  # the signature itself left out
    ahbon = [m for m in result.mentions if m.author.name == "Ahbon?"]  # "Utilisateur:Ahbon%3F"
    assert len(ahbon) == 2
    assert all(m.author.name and m.published_at for m in result.mentions)  # bots' notices left out


# The threads the presets were written against; the held-out ones are measured by the bench only
# (bench/extraction_quality.py), known misses included.
HARVEST = sorted(n for n, page in EXPECTED.items() if n.startswith("harvest__") and not page.get("heldout"))


@pytest.mark.parametrize("name", HARVEST, ids=[n[9:-8] for n in HARVEST])
def test_forum_engine_detected_and_its_preset_reads_the_real_thread(site, name):
    # phpBB, XenForo 2, vBulletin 3/4, Discourse, SMF, Invision, Vanilla, FluxBB threads saved in
    # 2020 (fhgr/harvest's corpus; the count is its researchers' hand annotation).
    expected = EXPECTED[name]
    result, _ = extract_url(f"{site}/harvest/{name[9:-8]}", tz="UTC")
    assert result.engine == expected["platform"]
    assert len(result.mentions) == expected["count"]
    assert {result.layers[m.id].split("+")[0] for m in result.mentions} == {f"preset:{expected['platform']}"}
    for which in ("first", "last"):
        want = expected[which]
        found = [m for m in result.mentions if want["text"] in " ".join(m.text.split())[:400]]
        assert found, f"{which} post not found: {want['text']!r}"
        assert any(m.author.name == want["author"] for m in found)
        assert any(m.published_at and m.published_at.date().isoformat() == want["date"] for m in found)


def test_a_link_to_an_engine_site_is_not_that_engine(site):
    result, _ = extract_url(f"{site}/blog-linking-smf", kind="blog", tz="UTC")
    assert result.engine == "wordpress"  # SMF is told by its "Powered by SMF" footer link
