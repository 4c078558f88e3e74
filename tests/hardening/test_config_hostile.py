"""Hostile or careless config files: bounded, precise, and never silently accepted."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from core.config import parse_config
from core.errors import ConfigError
from veille.cli import cli

BRANDS = "brands:\n  - name: Velora\n"


def test_an_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    bomb = BRANDS + "\n".join(lines) + "\n"
    started = time.monotonic()
    with pytest.raises(ConfigError, match="alias bomb"):
        parse_config(bomb, source="c.yaml")
    assert time.monotonic() - started < 5  # was unbounded (past 30 s) before


def test_a_key_given_twice_is_refused_at_its_line():
    text = BRANDS + "schedule:\n  poll: 5m\n  crawl: 1h\n  poll: 1m\n"
    with pytest.raises(
        ConfigError, match=r"c.yaml:6: key 'poll' given twice in one mapping \(first at line 4\)"
    ):
        parse_config(text, source="c.yaml")


@pytest.mark.parametrize(
    ("section", "where"),
    [
        ("schedule:\n  process: 0s\n", "schedule.process: must be more than 0"),
        ("alerts:\n  rules:\n  - {name: n, type: negative_spike, realert: 0s}\n", "alerts.rules[0].realert"),
        ("crawl:\n  timeout: 0s\n", "crawl.timeout: must be more than 0"),
    ],
)
def test_zero_durations_are_refused(section, where):
    with pytest.raises(ConfigError) as caught:
        parse_config(BRANDS + section, source="c.yaml")
    assert where in str(caught.value)


def test_unknown_brand_and_source_in_rules_are_reported_at_the_rules_line():
    text = (
        BRANDS
        + "alerts:\n  rules:\n"
        + "  - name: ok\n    type: volume_spike\n"
        + "  - name: bad\n    type: negative_spike\n    brands: [Nope]\n"  # brands at line 9
        + "  - name: quiet\n    type: source_silent\n    sources: [nowhere]\n"  # sources at line 12
    )
    with pytest.raises(ConfigError) as caught:
        parse_config(text, source="c.yaml")
    message = str(caught.value)
    assert "c.yaml:9: alerts.rules[1].brands: rule 'bad' names unknown brand(s) ['Nope']" in message
    assert "c.yaml:12: alerts.rules[2].sources: unknown source(s) ['nowhere']" in message


def test_check_config_reports_without_traceback(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(BRANDS + "schedule:\n  poll: 0s\n  poll: 1m\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check-config", str(path)])
    assert result.exit_code == 2 and "given twice" in result.output and "Traceback" not in result.output
