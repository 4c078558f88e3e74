"""The collection commands through the CLI, the collection state, the shipped source examples."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request

import yaml
from click.testing import CliRunner

from core.config import parse_config
from crawlers.state import HttpState, StateStore
from crawlers.summary import SourceSummary
from veille.cli import cli
from veille.commands.collect import format_summary
from veille.demo_web.config import shipped_config_text


def test_poll_command_prints_the_summary_and_errors(fresh_demo, make_config):
    loaded = make_config(fresh_demo.base_url)
    result = CliRunner().invoke(cli, ["-c", str(loaded.path), "poll"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "source",
        "kind",
        "fetched",
        "304",
        "items",
        "new",
        "matched",
        "skipped",
        "errors",
    ]
    row = next(line for line in lines if line.startswith("demo-news-rss"))
    assert row.split() == ["demo-news-rss", "news", "1", "0", "14", "14", "13", "0", "0"]
    assert f"source 'demo-forum-feed': {fresh_demo.base_url}/forum/feed.php: malformed feed" in result.stdout
    again = CliRunner().invoke(cli, ["-c", str(loaded.path), "poll", "--source", "demo-news-rss"])
    assert next(line for line in again.stdout.splitlines() if line.startswith("demo-news-rss")).split()[
        2:4
    ] == [
        "0",
        "1",
    ]


def test_crawl_command_runs_one_site_and_rejects_unknown_names(fresh_demo, make_config):
    loaded = make_config(fresh_demo.base_url)
    result = CliRunner().invoke(cli, ["-c", str(loaded.path), "crawl", "--source", "demo-blog"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^demo-blog\s+blog\s+9\s+0\s+55\s+55\s+48\s+0\s+0$", result.stdout, re.MULTILINE)
    unknown = CliRunner().invoke(cli, ["-c", str(loaded.path), "crawl", "--source", "nope"])
    assert unknown.exit_code == 2
    assert "no site (forum, blog or review source) named 'nope'" in unknown.output


def test_format_summary_totals():
    a = SourceSummary("a", "news", fetched=1, items=3, new=2, matched=1)
    b = SourceSummary("b", "forum", not_modified=1)
    b.error("http://x.test/feed", "HTTP 500")
    text = format_summary([a, b])
    assert re.search(r"^total\s+1\s+1\s+3\s+2\s+1\s+0\s+1$", text, re.MULTILINE)
    assert text.endswith("1 error(s):\n  source 'b': http://x.test/feed: HTTP 500")
    assert "no source" in format_summary([])


def test_demo_sites_command_serves_in_the_foreground():
    command = [sys.executable, "-c", "from veille.cli import main; main()", "demo-sites", "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            first = process.stdout.readline()
            base = re.search(r"http://127\.0\.0\.1:\d+", first).group(0)
            with urllib.request.urlopen(f"{base}/robots.txt", timeout=10) as response:
                assert b"Disallow" in response.read()
        finally:
            process.terminate()


def test_state_store_bounds_and_edits(tmp_path):
    with StateStore(tmp_path / "s.sqlite", keep=3) as state:
        assert state.unseen("src", {"a": "1", "b": "1"}) == {"a", "b"}
        state.mark_seen("src", [("a", "1"), ("b", "1")])
        assert state.unseen("src", {"a": "1", "b": "2", "c": "1"}) == {"b", "c"}
        assert state.unseen("other", {"a": "1"}) == {"a"}  # per source
        state.mark_seen("src", [("c", "1"), ("d", "1")])
        assert state.seen_count("src") == 3  # the oldest key was forgotten
        state.save_http_state("feed", HttpState("http://x.test/f", '"e1"', "Sat, 21 Nov 2026 10:00:00 GMT"))
    with StateStore(tmp_path / "s.sqlite") as reopened:
        assert reopened.http_state("feed", "http://x.test/f") == HttpState(
            "http://x.test/f", '"e1"', "Sat, 21 Nov 2026 10:00:00 GMT"
        )


def uncomment_source_examples(text: str) -> str:
    """The shipped config with its commented example sources switched on."""
    start, end = text.index("\nsources:"), text.index("\ncrawl:")
    section = re.sub(
        r"^(\s*)# (\s*(?:- )?[a-z_]+: .*|\s*(?:- )?[a-z_]+:)$", r"\1\2", text[start:end], flags=re.MULTILINE
    )
    return text[:start] + section + text[end:]


def test_commented_real_sources_are_valid_once_switched_on():
    text = uncomment_source_examples(shipped_config_text())
    config = parse_config(text)
    sources = config.sources
    names = sources.names()
    for example in ("google-news-velora", "google-alerts-velora", "reddit-velora", "forum-exemple-feed"):
        assert example in names
    assert "forum-exemple" in names and "avis-exemple" in names
    profile = next(s for s in sources.reviews if s.name == "avis-exemple").profile
    assert profile.post == "div.review" and profile.post_rating == "@data-rating"
    assert yaml.safe_load(text)["sources"]["feeds"][3]["url"].startswith(
        "https://news.google.com/rss/search?q="
    )
