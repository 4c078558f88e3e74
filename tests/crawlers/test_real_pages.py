"""The extraction cascade and ``veille try`` on real saved pages, served by a local HTTP server."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawlers.trypage import extract_url
from tests.webserver import Reply, serve_replies
from veille.cli import cli

CORPUS = Path(__file__).parent / "real_pages"
EXPECTED = {p["file"]: p for p in json.loads((CORPUS / "expected.json").read_text("utf-8"))["pages"]}


def _page(name: str) -> bytes:
    return gzip.decompress((CORPUS / "pages" / f"{name}.html.gz").read_bytes())


def _reply(request: str) -> Reply | None:
    path, charset = request.strip("/").split("?")[0], "utf-8"
    canonical = path.startswith("canonical/")
    path = path.removeprefix("canonical/")
    if path.startswith("lying-charset/"):
        path, charset = path.removeprefix("lying-charset/"), "iso-8859-1"
    if path.startswith("no-ids/"):
        path = path.removeprefix("no-ids/")
        body = re.sub(rb'\s(?:id|name)="comment\d+"', b"", _page(path))
    elif path == "empty":
        body = b"<html><body><h1>Nothing here</h1><p>No comment yet.</p></body></html>"
    elif (CORPUS / "pages" / f"{path}.html.gz").exists():
        body = _page(path)
    else:
        return None
    if canonical:  # the page names its own address on this server as canonical
        link = f'<link rel="canonical" href="/canonical/{path}">'.encode()
        body = re.sub(rb'<link rel="canonical"[^>]*>', b"", body).replace(b"<head>", b"<head>" + link, 1)
    return Reply(body, f"text/html; charset={charset}")


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_replies(_reply) as base:
        yield base


def test_wordpress_comments_found_with_auto_preset(site):
    result, note = extract_url(
        f"{site}/aflavorjournal.com__aflavorjournal_1", kind="blog", tz="America/New_York"
    )
    expected = EXPECTED["aflavorjournal.com__aflavorjournal_1.html.gz"]
    assert note is None and result.engine == "wordpress"
    article, *comments = result.mentions  # the WordPress preset reads the post itself too
    assert article.anchor is None and article.url.endswith("aflavorjournal_1")
    assert len(comments) == expected["count"]
    first = comments[0]
    assert first.author.name == "Kellie"
    assert first.published_at is not None and first.published_at.date().isoformat() == "2022-06-12"
    assert first.text.startswith("This is BETTER than the ranch")
    assert first.anchor == "comment-23696"
    assert result.layers[first.id].startswith(("comments:", "preset:"))


def test_wpdiscuz_comments(site):
    result, _ = extract_url(f"{site}/jocooks.com__jocooks", kind="blog")
    assert len(result.mentions) >= EXPECTED["jocooks.com__jocooks.html.gz"]["count"]
    assert any(
        m.author.name == "Olivia" and m.text.startswith("This recipe is my absolute") for m in result.mentions
    )


def test_schema_org_reviews_in_a_graph_undated_stay_undated(site):
    result, _ = extract_url(f"{site}/themodernproper.com__themodernproper_1", kind="review")
    assert len(result.mentions) == 6
    assert {result.layers[m.id] for m in result.mentions} == {"schema.org"}
    first = result.mentions[0]
    assert first.author.name == "Elizabeth Randall" and first.rating is not None and first.rating.value == 5
    # The reviews carry no date: none is invented (never the crawl time).
    assert all(m.published_at is None for m in result.mentions)


def test_generic_layer_finds_comments_without_any_id_and_gives_content_ids(site):
    first_run, _ = extract_url(f"{site}/no-ids/cuisineaz.com__cuisineaz", kind="review")
    again, _ = extract_url(f"{site}/no-ids/cuisineaz.com__cuisineaz", kind="review")
    assert len(first_run.mentions) >= 10
    assert "generic" in set(first_run.layers.values())
    assert any(m.text.startswith("Super recette") for m in first_run.mentions)
    assert [m.id for m in first_run.mentions] == [m.id for m in again.mentions]  # stable without anchors


def test_lying_charset_header_is_detected_and_overruled(site):
    result, note = extract_url(f"{site}/lying-charset/veroniquecloutier.com__veroniquecloutier", kind="blog")
    assert note == "declared iso8859-1 but the bytes are UTF-8"
    assert not any("Ã" in m.text for m in result.mentions)
    assert any("rôti" in m.text for m in result.mentions)


def test_try_command_shows_layer_author_date_and_missing(site):
    url = f"{site}/cloudykitchen.com__cloudykitchen_2"
    outcome = CliRunner().invoke(cli, ["try", url, "--kind", "blog", "--tz", "America/New_York"])
    assert outcome.exit_code == 0, outcome.output
    assert "engine detected: wordpress" in outcome.output
    assert re.search(r"\d\. \[\S+\] Samantha \| 2020-11-17 10:12 .*\| #comment-1007", outcome.output)
    assert "missing: " in outcome.output


def test_try_command_never_silent_on_zero(site):
    outcome = CliRunner().invoke(cli, ["try", f"{site}/empty"])
    assert outcome.exit_code == 1
    assert "items: 0" in outcome.output and "nothing found" in outcome.output


def test_rel_canonical_gives_the_posts_their_url_whatever_the_visited_one(site):
    # The saved page names https://www.tastesoflizzyt.com/... as canonical: not our host, ignored.
    foreign, _ = extract_url(f"{site}/tastesoflizzyt.com__tastesoflizzyt_1?utm_source=x", kind="blog")
    assert all(m.url.startswith(site) for m in foreign.mentions)
    # Same host: visited with a session id and a sort order, the posts keep the canonical URL.
    visited, _ = extract_url(
        f"{site}/canonical/aflavorjournal.com__aflavorjournal_1?sid=1&order=asc", kind="blog"
    )
    plain, _ = extract_url(f"{site}/canonical/aflavorjournal.com__aflavorjournal_1", kind="blog")
    comments = [m for m in visited.mentions if m.anchor]
    assert comments and all("order=" not in m.url for m in comments)
    assert {m.id for m in comments} == {m.id for m in plain.mentions if m.anchor}


def test_news_story_with_comments_gives_the_story_and_its_comments(site):
    # Pew Research (WordPress): the comments layer finds the 24 comments; the story itself,
    # the part that names the brand most often, must not be lost because comments were found.
    result, _ = extract_url(f"{site}/newspaper__pewresearch.org1", kind="news", tz="UTC")
    expected = EXPECTED["newspaper__pewresearch.org1.html.gz"]["first"]
    stories = [m for m in result.mentions if m.anchor is None]
    comments = [m for m in result.mentions if m.anchor and m.anchor.startswith("comment-")]
    assert len(stories) == 1 and len(comments) == 24
    story = stories[0]
    assert expected["text"] in story.text[:300]
    assert story.author.name.startswith(expected["author"])
    assert story.published_at is not None and story.published_at.date().isoformat() == expected["date"]


def test_news_story_is_not_credited_to_a_commenter(site):
    # Ultima Hora (Mallorca): the byline is a Spanish "autor" paragraph, the comments carry
    # class="sf_comment_author"; the first commenter must not become the story's author.
    result, _ = extract_url(f"{site}/newspaper__spanish_article", kind="news", tz="Europe/Madrid")
    comments = [m for m in result.mentions if m.anchor]
    (story,) = [m for m in result.mentions if m.anchor is None]
    assert [c.author.name for c in comments[:2]] == ["Alcalino", "Casper"] and len(comments) == 10
    assert story.author.name not in {c.author.name for c in comments}
    assert story.author.name == "Patricio Candia"  # from <p class="autor"><strong>…</strong> | Palma
    assert "El fiscal Pedro Horrach" in story.text


def test_wire_story_credited_to_its_reporter(site):
    # Reuters names its reporter only in the closing "(Reporting by …; Editing by …)".
    result, _ = extract_url(f"{site}/newspaper__reuters.com1", kind="news", tz="Asia/Kolkata")
    (story,) = [m for m in result.mentions if m.anchor is None]
    assert story.author.name == "Indulal PM"
