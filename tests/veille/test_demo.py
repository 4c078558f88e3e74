"""`veille demo` end to end: the first run collects, indexes and alerts; the second is incremental."""

from rich.console import Console

from tests.support import free_port
from veille.demo import run_demo


def test_demo_runs_a_full_cycle_then_an_incremental_one(config_factory):
    loaded = config_factory()
    port = free_port()
    console = Console(record=True, width=140)
    first = run_demo(loaded, console, demo_port=port)
    output = console.export_text()
    assert first.failures == {}, first.failures
    assert first.outcomes["process"].details.created > 200
    assert not first.outcomes["alerts"].summary.startswith("0 notification")
    emails = sorted(loaded.outbox_dir.glob("*.eml"))
    assert emails, output
    assert "Mentions per source and sentiment" in output
    assert "demo-forum" in output and "demo-reviews" in output and "demo-news-rss" in output
    assert f"Emails written to the outbox {loaded.outbox_dir}: {len(emails)} file(s)" in output
    assert (loaded.data_dir / "digest-preview.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    again_console = Console(record=True, width=140)
    second = run_demo(loaded, again_console, demo_port=port)
    assert second.failures == {}, second.failures
    assert second.outcomes["poll"].summary.startswith("3 feed(s), 0 new")
    assert "0 new matching" in second.outcomes["crawl"].summary
    assert second.outcomes["process"].details.indexed == 0
    assert sorted(loaded.outbox_dir.glob("*.eml")) == emails  # nothing sent twice
