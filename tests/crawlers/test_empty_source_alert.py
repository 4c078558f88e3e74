"""No silent zero, end to end: a site whose crawls find nothing raises a source alert through the
alert engine, and ``veille status`` shows per source what the last run missed.

Real parts: a local HTTP server (a redesigned page with no post, and a real recipe page whose
reviews carry no date), the crawl in its child process, the collection state, Elasticsearch.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from tests.crawlers.collect_support import redesigned_site
from veille.cli import cli


@pytest.fixture
def site() -> Iterator[str]:
    with redesigned_site() as url:
        yield url


def test_a_source_empty_on_two_crawls_raises_a_source_alert_and_shows_in_status(site, config_factory):
    sources = {
        "feeds": [],
        "blogs": [],
        "reviews": [{"name": "recettes", "start_urls": [f"{site}/reviews"]}],
        "forums": [{"name": "redesigned", "start_urls": [f"{site}/"]}],
    }
    alerts = {"rules": [{"name": "source-silent", "type": "source_silent", "silent_for": "24h"}]}
    email = {"from": "veille@example.org", "to": ["cm@example.org"], "smtp": None}
    loaded = config_factory(sources=sources, alerts=alerts, notifications={"email": email})
    runner = CliRunner()
    config = ["-c", str(loaded.path)]

    assert runner.invoke(cli, [*config, "crawl"]).exit_code == 3
    once = runner.invoke(cli, [*config, "alerts", "check"])
    assert once.exit_code == 0, once.output
    assert "0 notification(s) queued" in once.output  # one empty crawl may be a bad day

    assert runner.invoke(cli, [*config, "crawl"]).exit_code == 3
    twice = runner.invoke(cli, [*config, "alerts", "check"])
    assert twice.exit_code == 0, twice.output
    assert "aucun message trouvé sur 2 collectes de suite" in twice.output
    assert "1 notification(s) queued" in twice.output
    fired = [line for line in twice.output.splitlines() if "aucun message trouvé" in line]
    assert len(fired) == 1 and "redesigned" in fired[0]  # the site that yields is not named
    sent = list(loaded.outbox_dir.glob("*.eml"))
    assert len(sent) == 1 and "redesigned" in sent[0].read_text("utf-8")

    status = runner.invoke(cli, [*config, "status"])
    assert status.exit_code == 0, status.output
    lines = {line.split()[0]: line for line in status.output.splitlines() if line.startswith("  ")}
    assert "0 item(s) from 1 document(s)" in lines["redesigned"]
    assert "1 page(s) without any post" in lines["redesigned"]
    assert "NOTHING FOUND on 2 run(s) in a row" in lines["redesigned"]
    assert "6 undated, 0 without an author" in lines["recettes"]
    assert "NOTHING FOUND" not in lines["recettes"]
