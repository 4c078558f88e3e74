"""Veille against an Elasticsearch with security on: HTTPS with a private CA, credentials from env.

The ``.security`` index exists thanks to Veille's analysis plugin, so API keys work here too
(``tests/security/test_local_auth.py`` runs ``ES_API_KEY`` end to end); this module checks TLS,
the ``elastic`` password from the environment, and that a wrong key is refused and never shown.
"""

from __future__ import annotations

import base64
import json
import secrets
import ssl
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from veille.cli import cli

pytestmark = pytest.mark.slow


def _env(node, **overrides):
    security = node.security
    env = {
        "ES_URL": node.url,
        "ES_CA_CERTS": str(security.ca_cert),
        "ES_USERNAME": "elastic",
        "ES_PASSWORD": security.password,
        "ES_API_KEY": None,
    }
    env.update(overrides)
    return env


def _veille(config, env, *args):
    return CliRunner().invoke(cli, ["--config", str(config), "-vv", *args], env=env)


def test_the_node_refuses_plain_http_and_anonymous_requests(secure_node):
    plain = secure_node.url.replace("https://", "http://")
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(plain + "/_cluster/health", timeout=5)
    context = ssl.create_default_context(cafile=str(secure_node.security.ca_cert))
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        urllib.request.urlopen(secure_node.url + "/_cluster/health", timeout=5, context=context)
    anonymous.value.close()
    assert anonymous.value.code == 401
    assert secure_node.status().running  # and the node's own status check authenticates


def test_import_and_search_over_tls_with_credentials_from_the_environment(
    secure_node, secure_config, make_mention, tmp_path
):
    config = secure_config()
    now = datetime.now(UTC)
    mentions = [
        make_mention(text="Panne générale de la VeloBox ce soir", published_at=now - timedelta(hours=1)),
        make_mention(
            title="Fibre", text="La fibre Velora marche très bien", published_at=now - timedelta(hours=2)
        ),
    ]
    file = tmp_path / "mentions.jsonl"
    file.write_text("\n".join(json.dumps(m.to_document()) for m in mentions), encoding="utf-8")
    env = _env(secure_node)

    imported = _veille(config, env, "import", str(file))
    assert imported.exit_code == 0, imported.output
    assert "2 mention(s) indexed (2 new" in imported.output
    found = _veille(config, env, "search", "panne", "--json")
    assert found.exit_code == 0, found.output
    docs = [json.loads(line) for line in found.output.splitlines() if line.startswith("{")]
    assert [doc["text"] for doc in docs] == ["Panne générale de la VeloBox ce soir"]
    # -vv logs every request; none of them, nor any message, shows the password.
    for result in (imported, found):
        assert f"GET {secure_node.url}/_cluster/health" in result.output
        assert env["ES_PASSWORD"] not in result.output


def test_a_wrong_api_key_is_refused_with_a_clear_error_that_never_shows_it(secure_node, secure_config):
    config = secure_config()
    key_id, key_secret = "veille" + uuid.uuid4().hex[:8], secrets.token_urlsafe(16)
    api_key = base64.b64encode(f"{key_id}:{key_secret}".encode()).decode()
    # The valid password is set too: the API key wins, so the refusal proves it is what was sent.
    env = _env(secure_node, ES_API_KEY=api_key)
    result = _veille(config, env, "search", "panne")
    assert result.exit_code == 1
    assert f"Elasticsearch at {secure_node.url} is unavailable: HTTP 401" in result.output
    assert "Traceback" not in result.output
    for secret in (api_key, key_secret, env["ES_PASSWORD"]):
        assert secret not in result.output
    server_log = (secure_node.node_dir / "logs" / f"{secure_node.cluster_name}.log").read_text()
    # The node looked the key up in its .security index (the analysis plugin lets it exist).
    assert f"unable to find apikey with id {key_id}" in server_log
    assert key_secret not in server_log and api_key not in server_log


def test_without_the_ca_the_certificate_is_refused_and_the_url_shown_without_credentials(
    secure_node, secure_config
):
    config = secure_config()
    password = secure_node.security.password
    url_with_credentials = secure_node.url.replace("https://", f"https://elastic:{password}@")
    env = _env(secure_node, ES_URL=url_with_credentials, ES_CA_CERTS=None, ES_PASSWORD=None)
    result = _veille(config, env, "search", "panne")
    assert result.exit_code == 1
    assert f"Elasticsearch at {secure_node.url} is unavailable" in result.output
    assert "certificate verify failed" in result.output
    assert password not in result.output
