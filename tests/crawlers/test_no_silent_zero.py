"""No silent zero: a site where nothing is found, and items without a date, are shown and counted."""

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


def test_a_site_yielding_nothing_fails_the_crawl_and_is_named_again_next_run(site, make_config):
    # A forum: for a blog, the article layer would read the page's text as one article.
    sources = {
        "feeds": [],
        "blogs": [],
        "reviews": [],
        "forums": [{"name": "redesigned", "start_urls": [f"{site}/"]}],
    }
    loaded = make_config(site, sources=sources)
    first = CliRunner().invoke(cli, ["-c", str(loaded.path), "crawl"])
    assert first.exit_code == 3, first.output
    assert "redesigned" in first.output and "no post, comment or review found on 1 page(s)" in first.output
    assert "1 page(s) without any post" in first.output
    second = CliRunner().invoke(cli, ["-c", str(loaded.path), "crawl"])
    assert second.exit_code == 3
    assert "no post found on 2 crawls in a row" in second.output


def test_undated_items_are_counted_not_stamped_with_the_crawl_time(site, make_config):
    reviews = [{"name": "recettes", "start_urls": [f"{site}/reviews"]}]
    loaded = make_config(site, sources={"feeds": [], "forums": [], "blogs": [], "reviews": reviews})
    outcome = CliRunner().invoke(cli, ["-c", str(loaded.path), "crawl"])
    assert outcome.exit_code == 0, outcome.output
    assert (
        "recettes: 0 page(s) without any post, 6 item(s) without a date, 0 without an author"
        in outcome.output
    )
