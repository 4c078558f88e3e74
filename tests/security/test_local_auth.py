"""The local node refuses anonymous requests; Veille uses its generated API key with no set-up,
and an ``ES_API_KEY`` from the environment works end to end (and stops working once invalidated).
"""

from __future__ import annotations

import json
import os
import stat
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from elasticsearch import Elasticsearch

from index import local_credentials
from veille.cli import cli

NO_ENV_CREDENTIALS = {"ES_API_KEY": None, "ES_USERNAME": None, "ES_PASSWORD": None, "ES_URL": None}


@pytest.fixture
def stored(es_url):
    found = local_credentials.for_url(es_url)
    assert found is not None, f"no stored credentials for {es_url}: was it started by `veille es start`?"
    return found


@pytest.fixture
def superuser(es_url, stored):
    with Elasticsearch(es_url, basic_auth=("elastic", stored.password)) as es:
        yield es


def test_anonymous_requests_are_refused(es_url):
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(es_url + "/_cluster/health", timeout=5)
    refused.value.close()
    assert refused.value.code == 401


def test_credentials_are_private_files(es_url, stored):
    port = int(es_url.rsplit(":", 1)[1])
    path = local_credentials.credentials_file(port)
    info = path.stat()
    assert info.st_uid == os.geteuid()
    assert stat.S_IMODE(info.st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stored.api_key and stored.password


def write_mentions(tmp_path, make_mention):
    now = datetime.now(UTC)
    file = tmp_path / "mentions.jsonl"
    mentions = [
        make_mention(title="", text="Des pannes de box à répétition", published_at=now - timedelta(hours=1)),
        make_mention(title="", text="Tout va bien chez Velora", published_at=now - timedelta(hours=2)),
    ]
    file.write_text("\n".join(json.dumps(m.to_document()) for m in mentions), encoding="utf-8")
    return file


def veille(loaded, env, *args):
    return CliRunner().invoke(cli, ["--config", str(loaded.path), *args], env={**NO_ENV_CREDENTIALS, **env})


def test_veille_works_with_no_credentials_configured(config_factory, make_mention, tmp_path):
    loaded = config_factory()
    assert veille(loaded, {}, "import", str(write_mentions(tmp_path, make_mention))).exit_code == 0
    found = veille(loaded, {}, "search", "panne", "--json")
    assert found.exit_code == 0, found.output
    assert len([line for line in found.output.splitlines() if line.startswith("{")]) == 1


def test_es_api_key_from_the_environment_end_to_end(
    superuser, config_factory, make_mention, tmp_path, index_prefix
):
    loaded = config_factory()
    key = superuser.security.create_api_key(
        name="veille-test",
        role_descriptors={
            "only-this-prefix": {
                # What Veille needs on a production cluster too (README, "Production").
                "cluster": ["monitor", "manage_index_templates", "cluster:admin/analyze"],
                "indices": [{"names": [f"{index_prefix}-*"], "privileges": ["all"]}],
            }
        },
    )
    env = {"ES_API_KEY": key["encoded"]}
    imported = veille(loaded, env, "import", str(write_mentions(tmp_path, make_mention)))
    assert imported.exit_code == 0, imported.output
    found = veille(loaded, env, "search", "pannes", "--json")
    assert found.exit_code == 0, found.output
    assert [json.loads(line)["text"] for line in found.output.splitlines() if line.startswith("{")] == [
        "Des pannes de box à répétition"
    ]
    assert key["encoded"] not in imported.output + found.output
    # The key really is what authenticated: its limits apply, and once invalidated it is refused.
    elsewhere = superuser.security.create_api_key(
        name="veille-test-elsewhere",
        role_descriptors={
            "elsewhere": {
                "cluster": ["monitor"],
                "indices": [{"names": ["elsewhere-*"], "privileges": ["read"]}],
            }
        },
    )
    denied = veille(loaded, {"ES_API_KEY": elsewhere["encoded"]}, "search", "pannes")
    # Indices the key may not read are left out (ignore_unavailable), so nothing is shown.
    assert "0 mention(s) match" in denied.output or denied.exit_code != 0
    assert "Des pannes" not in denied.output
    superuser.security.invalidate_api_key(ids=[key["id"]])
    refused = veille(loaded, env, "search", "pannes")
    assert refused.exit_code == 1
    assert "HTTP 401" in refused.output and "credentials refused" in refused.output


def test_status_says_when_the_node_refuses_the_stored_credentials(es_url, tmp_path):
    from core.config.elasticsearch import ElasticsearchConfig
    from veille.services.es_node import LocalNode

    port = int(es_url.rsplit(":", 1)[1])
    local_credentials.save(port, local_credentials.LocalCredentials("not-the-password"), tmp_path)
    node = LocalNode(ElasticsearchConfig().local.version, port=port, cache_dir=tmp_path)
    status = node.status()
    assert not status.running
    assert "refuses Veille's credentials (HTTP 401" in status.detail
    assert "not-the-password" not in status.detail
