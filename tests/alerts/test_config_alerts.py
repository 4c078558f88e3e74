"""The alerts, notifications and digest sections: strict, with messages that name the key."""

from __future__ import annotations

import pytest

from alerts.engine import build_rules
from core.config import load_config, parse_config
from core.errors import ConfigError

BRANDS = "brands:\n  - name: Velora\n"


def test_the_shipped_config_has_one_rule_of_each_type():
    config = load_config().config
    types = {"negative_spike", "volume_spike", "crisis_keywords", "influential_author", "rating_drop"}
    assert {rule.type for rule in config.alerts.rules} == {*types, "source_silent"}
    assert [rule.name for rule in build_rules(config)]


@pytest.mark.parametrize(
    ("yaml_rules", "expected"),
    [
        ("  - {name: a, type: negative_spike, ratoi: 3}", "alerts.rules[0].ratoi: unknown key"),
        ("  - {name: a, type: negative_spike, ratio: 1}", "alerts.rules[0].ratio"),
        ("  - {name: a, type: negative_spike, window: 2d}", "window must be between 5m and 24h"),
        ("  - {name: a, type: crisis_keywords, keywords: []}", "alerts.rules[0].keywords"),
        ("  - {name: a, type: crisis_keywords, keywords: ['!!']}", "at least one letter"),
        (
            "  - {name: a, type: rating_drop, window: 30d, baseline: 7d}",
            "baseline must be longer than window",
        ),
        ("  - {name: a, type: panic}", "alerts.rules[0]"),
        ("  - {name: a, type: negative_spike, brands: [Nope]}", "unknown brand(s) ['Nope']"),
        ("  - {name: a, type: negative_spike, recipients: [not-an-address]}", "not an email address"),
    ],
)
def test_bad_rules_are_refused_with_the_key_path(yaml_rules, expected):
    with pytest.raises(ConfigError) as error:
        parse_config(f"{BRANDS}alerts:\n  rules:\n{yaml_rules}\n", source="c.yaml")
    assert expected in str(error.value)


def test_smtp_needs_a_username_with_a_password_and_never_a_password_in_clear():
    base = f"{BRANDS}notifications:\n  email:\n    smtp:\n      host: smtp.example.org\n"
    with pytest.raises(ConfigError, match="username is missing"):
        parse_config(base + "      password_env: SMTP_PASSWORD\n")
    with pytest.raises(ConfigError, match="password_env"):
        parse_config(base + "      username: me\n      password: hunter22\n")


def test_a_silent_rule_on_an_unknown_source_is_named_at_load():
    with pytest.raises(ConfigError, match=r"alerts.rules\[0\].sources: unknown source\(s\) \['nope'\]"):
        parse_config(f"{BRANDS}alerts:\n  rules:\n  - {{name: s, type: source_silent, sources: [nope]}}\n")
