"""A collection run whose spool write fails exits 1 with a message (no traceback, no false count);
the demo web is the real site crawled."""

from __future__ import annotations

import yaml
from click.testing import CliRunner

from tests.crawlers.collect_support import start_demo
from tests.support import config_data
from veille.cli import cli


def test_crawl_and_poll_exit_1_when_the_spool_cannot_be_written(tmp_path):
    demo = start_demo()
    try:
        data = config_data(tmp_path / "var", base_url=demo.base_url)
        path = tmp_path / "config.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        (tmp_path / "var" / "spool.sqlite").mkdir(parents=True)  # unwritable, even for root
        runner = CliRunner()
        crawl = runner.invoke(cli, ["--config", str(path), "crawl", "--source", "demo-blog"])
        poll = runner.invoke(cli, ["--config", str(path), "poll", "--source", "demo-news-rss"])
    finally:
        demo.stop()
    assert crawl.exit_code == 1, crawl.output
    assert "the spool could not be written for demo-blog" in crawl.output
    assert "cannot write to the spool" in crawl.output
    total = next(line for line in crawl.output.splitlines() if line.startswith("total"))
    assert total.split()[5] == "0", total  # matched: nothing reached the spool
    assert "Traceback" not in crawl.output
    assert poll.exit_code == 1 and "Traceback" not in poll.output
    assert "spool" in poll.output
