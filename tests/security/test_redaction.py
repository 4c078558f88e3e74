"""Secrets never reach a log line or an error message: the redaction filter and URL messages."""

from __future__ import annotations

import io
import logging

from click.testing import CliRunner

from core.logsetup import RedactingFilter, redact
from veille.cli import cli


def _logger_to(stream: io.StringIO) -> logging.Logger:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("tests.security.redaction")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger


def test_secret_environment_values_are_masked_in_messages_and_arguments(monkeypatch):
    monkeypatch.setenv("ES_API_KEY", "c2VjcmV0LWtleS1pZDpzZWNyZXQ=")
    monkeypatch.setenv("SMTP_PASSWORD", "hunter2-long")
    monkeypatch.setenv("ES_USERNAME", "veille-user")  # not a secret: stays readable
    stream = io.StringIO()
    logger = _logger_to(stream)
    logger.info("auth with %s as %s", "c2VjcmV0LWtleS1pZDpzZWNyZXQ=", "veille-user")
    logger.warning("smtp login failed for password hunter2-long")
    text = stream.getvalue()
    assert "c2VjcmV0LWtleS1pZDpzZWNyZXQ=" not in text and "hunter2-long" not in text
    assert "auth with *** as veille-user" in text
    assert "password ***" in text


def test_secrets_are_masked_in_tracebacks(monkeypatch):
    monkeypatch.setenv("VEILLE_TOKEN", "tok-0123456789")
    stream = io.StringIO()
    logger = _logger_to(stream)
    try:
        raise RuntimeError(
            "server said: bad token tok-0123456789 for https://bot:pa55word@feeds.example.org/x"
        )
    except RuntimeError:
        logger.exception("poll failed")
    text = stream.getvalue()
    assert "Traceback" in text and "RuntimeError" in text
    assert "tok-0123456789" not in text and "pa55word" not in text
    assert "https://bot:***@feeds.example.org/x" in text


def test_passwords_inside_urls_are_masked_even_when_no_variable_holds_them():
    assert (
        redact("GET https://elastic:s3cr3t@127.0.0.1:9200/_bulk")
        == "GET https://elastic:***@127.0.0.1:9200/_bulk"
    )
    assert redact("smtp://mailer:p%40ss@smtp.example.org:587") == "smtp://mailer:***@smtp.example.org:587"
    # An @ in a path is not a credential.
    assert redact("https://forum.example.fr/u/@velora_fr") == "https://forum.example.fr/u/@velora_fr"


def test_connection_errors_name_the_url_without_its_credentials(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("brands:\n  - name: Velora\ndata_dir: var\n", encoding="utf-8")
    env = {"ES_URL": "http://veille:Tr0ub4dor-3@127.0.0.1:9/", "ES_API_KEY": None, "ES_PASSWORD": None}
    plain = CliRunner().invoke(cli, ["--config", str(config), "search", "panne"], env=env)
    assert plain.exit_code == 1
    assert (
        plain.output.strip()
        .splitlines()[-1]
        .startswith("Error: Elasticsearch at http://127.0.0.1:9 is unavailable")
    )
    assert "Traceback" not in plain.output
    # -vv logs every request and retry with its traceback: still no password.
    verbose = CliRunner().invoke(cli, ["--config", str(config), "-vv", "search", "panne"], env=env)
    assert verbose.exit_code == 1
    assert "Traceback" in verbose.output and "127.0.0.1" in verbose.output
    for result in (plain, verbose):
        assert "Tr0ub4dor-3" not in result.output
