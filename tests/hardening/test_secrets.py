"""No secret printed: a key with a stray line break, a value where a variable name belongs, a
password inside elasticsearch.url; all through the shipped CLI at default verbosity."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from core.config.loader import parse_config
from core.errors import ConfigError
from index.local_credentials import client_options
from tests.support import SHIPPED_CONFIG


def write_config(tmp_path, **changes):
    raw = yaml.safe_load(SHIPPED_CONFIG.read_text(encoding="utf-8"))
    raw["data_dir"] = str(tmp_path / "var")
    for section, values in changes.items():
        raw.setdefault(section, {}).update(values)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def veille(config, *args, env=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "veille.cli", "--config", str(config), *args],
        capture_output=True, text=True, timeout=120, env=full_env, check=False,
    )  # fmt: skip


def test_a_password_in_elasticsearch_url_is_refused_without_being_echoed(tmp_path):
    config = write_config(tmp_path, elasticsearch={"url": "http://elastic:Pw-in-file-42@127.0.0.1:9200"})
    result = veille(config, "check-config")
    assert result.returncode == 2
    assert "elasticsearch.url: credentials in the URL are secrets in clear" in result.stderr + result.stdout
    assert "Pw-in-file-42" not in result.stderr + result.stdout


def test_a_value_where_a_variable_name_belongs_is_not_echoed():
    text = "brands:\n  - name: Velora\nnotifications:\n  email:\n    smtp:\n      host: mail.test\n"
    text += "      username: cm\n      password_env: 'Hunter2-clear!'\n"
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    assert "password_env: expected the NAME of an environment variable" in str(caught.value)
    assert "Hunter2-clear!" not in str(caught.value)


@pytest.mark.es
def test_an_api_key_with_a_trailing_line_break_works_and_is_never_printed(tmp_path, es_url):
    config = write_config(tmp_path)
    # The local node has authentication on: its real key, with the stray line break of a pasted value.
    key = client_options(es_url).get("api_key", "Zm9vOmJhcg-secret-key")
    env = {"ES_URL": es_url, "ES_API_KEY": key + "\r\n"}
    result = veille(config, "search", "--limit", "1", "nothing-matches-this", env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    inner = veille(config, "search", "x", env={**env, "ES_API_KEY": key[:8] + "\r\nX-Evil: secret-key"})
    assert inner.returncode == 2
    assert "ES_API_KEY holds a control character" in inner.stderr
    assert key[:8] not in inner.stdout + inner.stderr and "Traceback" not in inner.stderr
    assert key not in result.stdout + result.stderr
