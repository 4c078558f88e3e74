"""Property-based fuzzing (hypothesis): random and hostile feeds, pages, JSON lines and configs go
through poll, page extraction, import and config loading. Never a traceback; only the bad item lost.

Short by default (``VEILLE_FUZZ_EXAMPLES``, 25 examples per property, in the normal test run);
``make hardening`` runs the full version (1,000 per property).
"""

from __future__ import annotations

import html
import json
import os
import re
from datetime import UTC, datetime
from itertools import count
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from parsel import Selector

from core.config import parse_config
from core.config.sources import SiteProfile, SiteSource
from core.errors import ConfigError
from core.jsonl import BadLine, read_mentions
from core.mention import Mention
from core.spool import Spool
from crawlers.feeds.poller import poll_feeds
from crawlers.spiders.extract import PageContext, extract_posts
from crawlers.spiders.profiles import build_profile
from tests.support import SHIPPED_CONFIG
from tests.webserver import serve

EXAMPLES = int(os.environ.get("VEILLE_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target],
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\x1b]")

# Text a hostile or broken source sends: any code point (lone surrogates included), escapes,
# control characters, bidi overrides, entities that XML forbids, absurd numbers.
hostile_text = st.one_of(
    st.text(max_size=200),
    st.lists(
        st.sampled_from(
            ["Velora", " ", "\x1b[2J", "\x1b]0;pwn\x07", "\r", "\x00", "\u202e", "\ud800", "&#xD800;", "&#0;",
             "&amp;", "<b>", "]]>", "&#x1F600;", "é", "\x85", "9999", "\ufeff", "&#1114112;", "\\u0000"]
        ),
        max_size=30,
    ).map("".join),
)  # fmt: skip
date_text = st.one_of(
    st.sampled_from(
        ["Fri, 31 Dec 9999 23:00:00 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "2026-13-45", "", "hier",
         "Thu, 19 Nov 2026 10:00:00 +0100", "1e309", "-1", "2026-11-19T10:00:00Z"]
    ),
    st.text(max_size=40),
)  # fmt: skip


def _xml_escape(text: str) -> str:
    # Keep the hostile character references as written; escape the rest as a careless feed might.
    return text.replace("<", "&lt;") if "&#" in text else html.escape(text, quote=False)


@pytest.fixture(scope="module")
def feed_site():
    with serve() as site:
        yield site


_serial = count()


@FUZZ
@given(
    titles=st.lists(hostile_text, min_size=1, max_size=5),
    dates=st.lists(date_text, min_size=1, max_size=5),
    bodies=st.lists(hostile_text, max_size=5),
)
def test_poll_survives_hostile_feeds(make_config, feed_site, titles, dates, bodies):
    n = next(_serial)
    items = [
        f"<item><title>{_xml_escape(t)} Velora</title><link>http://news.test/{n}/{i}</link>"
        f"<guid>g{n}-{i}</guid><pubDate>{_xml_escape(d)}</pubDate>"
        f"<description>{_xml_escape(b)}</description></item>"
        for i, (t, d, b) in enumerate(zip(titles, dates, [*bodies, *[""] * len(titles)], strict=False))
    ]
    good = (
        f"<item><title>Velora en panne</title><link>http://news.test/{n}/good</link><guid>ok{n}</guid></item>"
    )
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
    body = f"{head}{''.join(items)}{good}</channel></rss>"
    url = feed_site.add(f"/f{n}.xml", body.encode("utf-8", "surrogatepass"), "application/rss+xml")
    loaded = make_config(sources={"feeds": [{"name": "fuzz", "url": url, "kind": "news"}]})
    (summary,) = poll_feeds(loaded)
    with Spool(loaded.spool_path) as spool:
        mentions = spool.take(1000).mentions
    assert f"http://news.test/{n}/good" in {m.url for m in mentions}, summary.errors
    for mention in mentions:
        json.dumps(mention.to_document())  # storable
        assert not BAD_CHARS.search((mention.title or "") + mention.text)


PROFILE = build_profile(
    SiteSource(
        name="fuzz", start_urls=["http://forum.test/"],
        profile=SiteProfile(post="div.post", post_anchor="@id", post_text="div.content",
                            post_author="span.author", post_date="time"),
    )
)  # fmt: skip
CTX = PageContext(source="fuzz", kind="forum", tz=ZoneInfo("Europe/Paris"), now=datetime.now(UTC))


@FUZZ
@given(posts=st.lists(st.tuples(hostile_text, hostile_text, date_text, hostile_text), max_size=6))
def test_page_extraction_survives_hostile_posts(posts):
    blocks = [
        f'<div class="post" id="{html.escape(anchor)}"><span class="author">{html.escape(author)}</span>'
        f'<time>{html.escape(when)}</time><div class="content">{html.escape(text)}</div></div>'
        for anchor, author, when, text in posts
    ]
    blocks.append(
        '<div class="post" id="p1"><span class="author">Zoé</span><div class="content">Velora ok</div></div>'
    )
    # A page reaches the extractor decoded from bytes (raw surrogates cannot survive that; their
    # &#xD800; references can, and are in the alphabet).
    source = f"<html><body>{''.join(blocks)}</body></html>"
    page = Selector(text=source.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    result = extract_posts(page, "http://forum.test/t/1", PROFILE, CTX)
    assert "Velora ok" in [m.text for m in result.mentions], result.problems
    for mention in result.mentions:
        json.dumps(mention.to_document())
        assert not BAD_CHARS.search(mention.text + (mention.author.name or ""))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            st.binary(max_size=80),
            json_values.map(lambda v: json.dumps(v).encode()),
            st.dictionaries(
                st.sampled_from(["url", "text", "source", "published_at", "author", "title"]), json_values
            ).map(lambda v: json.dumps(v).encode()),
        ),
        max_size=8,
    )
)
def test_import_lines_cost_only_themselves(tmp_path_factory, make_mention, lines):
    good = make_mention(text="Velora ligne valide").to_document()
    path = tmp_path_factory.mktemp("fuzz") / "in.jsonl"
    raw = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    position = len(raw) // 2
    raw.insert(position, json.dumps(good).encode())
    path.write_bytes(b"\n".join(raw))
    items = list(read_mentions(path))
    assert any(isinstance(i, Mention) and i.text == "Velora ligne valide" for i in items)
    for item in items:
        if isinstance(item, Mention):
            json.dumps(item.to_document())
        else:
            assert isinstance(item, BadLine) and item.reason


SHIPPED = yaml.safe_load(SHIPPED_CONFIG.read_text(encoding="utf-8"))


def _mutate(data, path, value):
    node = data
    for key in path[:-1]:
        node = node[key] if isinstance(node, dict) and key in node else None
        if node is None:
            return data
    if isinstance(node, dict):
        node[path[-1]] = value
    return data


config_paths = st.sampled_from(
    [("schedule", "poll"), ("alerts", "rules"), ("brands",), ("elasticsearch", "url"), ("sources", "feeds"),
     ("privacy", "retention"), ("notifications", "email"), ("timezone",), ("crawl", "timeout"), ("data_dir",)]
)  # fmt: skip


@FUZZ
@given(
    text=st.one_of(
        hostile_text,
        st.tuples(config_paths, json_values).map(
            lambda pv: yaml.safe_dump(
                _mutate(json.loads(json.dumps(SHIPPED)), pv[0], pv[1]), allow_unicode=True
            )
        ),
    )
)
def test_config_loading_fails_only_with_config_errors(text):
    try:
        parse_config(text, source="fuzz.yaml")
    except ConfigError as exc:
        assert str(exc).startswith("fuzz.yaml")
