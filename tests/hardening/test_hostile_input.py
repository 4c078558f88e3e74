"""Hostile text through the one sanitising boundary: a bad feed entry, import line or date costs that
item (or a character) only, and nothing reaches storage or a terminal that could break it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from core.jsonl import read_mentions
from core.mention import Mention, Source
from core.sanitize import clean_text, for_terminal
from core.spool import Spool
from crawlers.feeds.poller import poll_feeds
from tests.webserver import serve


def rss(*items: str) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>{extra}</item>"
        for title, link, extra in (item.split("|") for item in items)
    )
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
    return f"{head}{entries}</channel></rss>"


def spooled(loaded) -> list[Mention]:
    with Spool(loaded.spool_path) as spool:
        return spool.take(1000).mentions


def test_a_hostile_feed_entry_costs_nothing_but_itself(make_config):
    with serve() as site:
        bad = site.add(
            "/bad.xml",
            rss(
                "Velora &#xD800; panne|http://news.test/a|",
                "Velora an 9999|http://news.test/b|<pubDate>Fri, 31 Dec 9999 23:00:00 GMT</pubDate>",
                "Velora \x1b[2J\x1b[31mrouge|http://news.test/c|",
            ),
            "application/rss+xml",
        )
        good = site.add("/good.xml", rss("Velora fibre|http://news.test/d|"), "application/rss+xml")
        loaded = make_config(
            sources={
                "feeds": [
                    {"name": "bad", "url": bad, "kind": "news"},
                    {"name": "good", "url": good, "kind": "news"},
                ]
            },
        )
        summaries = poll_feeds(loaded)
    by_name = {s.source: s for s in summaries}
    assert by_name["good"].matched == 1 and not by_name["good"].errors
    assert by_name["bad"].matched == 3
    errors = "\n".join(by_name["bad"].errors)
    assert "invalid character reference" in errors
    assert "9999-12-31" in errors and "taken as unknown" in errors
    mentions = {m.url: m for m in spooled(loaded)}
    assert len(mentions) == 4
    assert mentions["http://news.test/a"].title == "Velora \ufffd panne"
    assert mentions["http://news.test/b"].published_at is None  # unknown, never the poll time
    assert mentions["http://news.test/c"].title == "Velora rouge"


def test_one_bad_import_line_costs_that_line_only(tmp_path, make_mention):
    good = [make_mention().to_document() for _ in range(12)]
    lines = [json.dumps(doc).encode() for doc in good]
    surrogate = json.dumps(
        {**good[0], "url": "https://forum.example.fr/x#p1", "text": "Velora \ud800"}
    ).encode()
    latin1 = json.dumps({**good[0], "url": "https://forum.example.fr/x#p2"}).replace("Velora", "Vélora", 1)
    year_9999 = json.dumps(
        {**good[0], "url": "https://forum.example.fr/x#p3", "published_at": "9999-12-31T00:00:00Z"}
    )
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b"\n".join([lines[0], surrogate, latin1.encode("latin-1"), year_9999.encode(), *lines[1:]])
    )
    items = list(read_mentions(path))
    bad = {item.line: item.reason for item in items if not isinstance(item, Mention)}
    assert sum(isinstance(item, Mention) for item in items) == 12
    assert set(bad) == {2, 3, 4}
    assert "lone surrogate" in bad[2] and "text" in bad[2]
    assert "not UTF-8: byte 0xe9" in bad[3] and "Latin-1" in bad[3]
    assert "9999-12-31" in bad[4]


@pytest.mark.parametrize(
    ("raw", "stored", "shown"),
    [
        ("a\x1b[2J\x1b[1;31mb", "ab", "ab"),
        ("a\x1b]0;title\x07b", "ab", "ab"),
        ("a\rb\r\nc", "a\nb\nc", "a b c"),
        ("a\x00b\x7f\x85c\x9b2Jd", "abcd", "abcd"),
        ("a\ud800b", "a\ufffdb", "a\ufffdb"),
        ("Vélora\tpanne", "Vélora\tpanne", "Vélora panne"),
    ],
)
def test_clean_text_and_terminal_display(raw, stored, shown):
    assert clean_text(raw) == stored
    assert for_terminal(raw) == shown


def test_a_mention_never_stores_escapes_or_absurd_dates(make_mention):
    mention = make_mention(text="Velora\x1b[2J ok", title="\ud800")
    assert mention.text == "Velora ok" and mention.title == "\ufffd"
    json.dumps(mention.to_document())  # serialisable: no lone surrogate left
    with pytest.raises(ValueError, match="outside"):
        make_mention(published_at=datetime(1, 1, 1, tzinfo=UTC))
    assert Source(kind="forum", name="x").name == "x"
