"""The command line as users type it: French durations, brand names without their accents, a
file argument, thresholds shown, replay defaults, failures in the exit code and in plain words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
import pytest
from click.testing import CliRunner

from core.config.common import parse_duration
from tests.support import REPO, free_port
from veille.cli import cli
from veille.commands.common import parse_since, resolve_brand


def run(loaded, *args):
    return CliRunner().invoke(cli, ["-c", str(loaded.path), *args])


def test_french_and_english_duration_units():
    assert parse_duration("7j") == parse_duration("7d") == timedelta(days=7)
    assert parse_duration("2sem") == timedelta(weeks=2)
    assert parse_duration("30mn") == timedelta(minutes=30)
    since = parse_since("7j")
    assert abs((datetime.now(UTC) - since) - timedelta(days=7)) < timedelta(minutes=1)
    with pytest.raises(click.BadParameter, match="7j"):
        parse_since("sept jours")


def test_brand_names_ignore_case_and_accents_and_list_the_valid_ones(make_config):
    loaded = make_config()
    assert resolve_brand(loaded, "velora") == "Velora"
    assert resolve_brand(loaded, "Cafes  LANTIER") == "Cafés Lantier"
    result = run(loaded, "search", "--brand", "Velorra")
    assert result.exit_code == 2
    assert "unknown brand 'Velorra'" in result.output
    assert "'Velora', 'Cafés Lantier'" in result.output


def test_kibana_export_takes_the_file_as_an_argument(make_config, tmp_path):
    target = tmp_path / "objects.ndjson"
    result = run(make_config(), "kibana", "export", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").count("\n") >= 3


def test_the_shipped_config_names_a_command_that_exists():
    text = (REPO / "config.yaml").read_text(encoding="utf-8")
    assert "veille kibana install" not in text
    assert "veille kibana import" in text
    result = CliRunner().invoke(cli, ["kibana", "import", "--help"])
    assert result.exit_code == 0


def test_alerts_rules_show_their_thresholds(make_config):
    result = run(make_config(), "alerts", "rules")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    spike = lines[lines.index(next(line for line in lines if "negative-spike" in line)) + 1]
    assert "false_alarms_per_month 1.0" in spike and "min_count 3" in spike and "min_ratio 2.0" in spike
    assert "keywords arnaque" in result.output and "silent_for 1d" in result.output


def test_poll_exits_1_and_says_connection_refused(make_config):
    port = free_port()  # nothing listens there
    loaded = make_config(
        sources={"feeds": [{"name": "dead-feed", "url": f"http://127.0.0.1:{port}/rss.xml"}]}
    )
    result = run(loaded, "poll")
    assert result.exit_code == 1
    assert f"source 'dead-feed': http://127.0.0.1:{port}/rss.xml: connection refused" in result.stdout
    assert "timed out" not in result.output


def test_crawl_exits_1_with_one_line_for_a_refused_connection(make_config):
    port = free_port()
    forum = {"name": "dead-forum", "start_urls": [f"http://127.0.0.1:{port}/forum/"], "preset": "phpbb"}
    loaded = make_config(sources={"forums": [forum]})
    result = run(loaded, "crawl")
    assert result.exit_code == 1
    assert f"source 'dead-forum': http://127.0.0.1:{port}/forum/: connection refused" in result.stdout
    assert "Traceback" not in result.output


def test_status_tells_collection_spool_email_mentions_and_alerts(config_factory):
    result = run(config_factory(), "status")
    assert result.exit_code == 0, result.output
    for start in ("jobs:", "last collection: never", "spool: 0 waiting", "email: 0 waiting",
                  "mentions indexed: 0", "alerts sent in the last 24 h: 0"):  # fmt: skip
        assert any(line.startswith(start) for line in result.output.splitlines()), (start, result.output)


def test_alerts_replay_defaults_to_the_last_week_and_shows_progress(config_factory):
    result = run(config_factory(), "alerts", "replay", "--step", "1d")
    assert result.exit_code == 0, result.output
    assert "replaying" in result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    start, end = (
        datetime.fromisoformat(s) for s in summary.split("between ")[1].split(" (step")[0].split(" and ")
    )
    assert timedelta(days=6, hours=23) < end - start < timedelta(days=7, minutes=1)
