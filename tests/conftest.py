"""Shared fixtures: a real local Elasticsearch node, isolated index names, configs and mentions.

The node is the project's own (``veille es start``): ``make test`` starts it and passes its URL
in ``VEILLE_TEST_ES_URL``; run without it, the session fixture starts it here on port 9250.
Each test gets its own index prefix, so tests never see each other's documents.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from elasticsearch import Elasticsearch

from core.config import LoadedConfig, load_config
from core.config.elasticsearch import ElasticsearchConfig
from core.mention import Mention
from index import local_credentials
from index.names import IndexNames
from index.templates import ensure_templates

REPO = Path(__file__).resolve().parents[1]
SHIPPED_CONFIG = REPO / "config.yaml"
TEST_ES_PORT = int(os.environ.get("VEILLE_TEST_ES_PORT", "9250"))


@pytest.fixture(scope="session")
def es_url() -> str:
    url = os.environ.get("VEILLE_TEST_ES_URL")
    if url:
        return url.rstrip("/")
    from veille.services.es_node import LocalNode

    node = LocalNode(ElasticsearchConfig().local.version, port=TEST_ES_PORT)
    return node.start().url


@pytest.fixture(scope="session")
def es_client(es_url: str) -> Iterator[Elasticsearch]:
    # The local node has authentication on: its API key is found from the URL, as connect() does.
    client = Elasticsearch(es_url, request_timeout=60, **local_credentials.client_options(es_url))
    yield client
    client.close()


@pytest.fixture
def index_prefix() -> str:
    return "t-" + uuid.uuid4().hex[:12]


@pytest.fixture
def index_names(es_client: Elasticsearch, index_prefix: str) -> Iterator[IndexNames]:
    """Templates installed under a unique prefix; every index of it is deleted afterwards."""
    names = IndexNames(index_prefix)
    ensure_templates(es_client, names)
    yield names
    es_client.indices.delete(index=f"{index_prefix}-*", allow_no_indices=True, expand_wildcards="all")
    quiet = es_client.options(ignore_status=404)
    quiet.indices.delete_index_template(name=names.template)
    for component in (names.component_mappings, names.component_settings):
        quiet.cluster.delete_component_template(name=component)


@pytest.fixture
def config_factory(tmp_path: Path, index_prefix: str, es_url: str) -> Callable[..., LoadedConfig]:
    """Write a config derived from the shipped one (data in tmp_path, test ES, unique prefix).

    Keyword arguments replace top-level sections; ``es=False`` leaves Elasticsearch untouched.
    """

    def make(es: bool = True, **sections: Any) -> LoadedConfig:
        raw = yaml.safe_load(SHIPPED_CONFIG.read_text(encoding="utf-8"))
        raw["data_dir"] = str(tmp_path / "var")
        if es:
            raw["elasticsearch"]["url"] = es_url
            raw["elasticsearch"]["index_prefix"] = index_prefix
        raw.update(sections)
        path = tmp_path / "config.yaml"
        path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return load_config(path)

    return make


@pytest.fixture
def make_mention() -> Callable[..., Mention]:
    """A valid forum mention of Velora; keyword arguments override any field."""
    counter = iter(range(1, 1_000_000))

    def make(**overrides: Any) -> Mention:
        n = next(counter)
        fields: dict[str, Any] = {
            "url": f"https://forum.example.fr/viewtopic.php?t=42#p{1000 + n}",
            "thread_url": "https://forum.example.fr/viewtopic.php?t=42",
            "source": {"kind": "forum", "name": "forum-test"},
            "brands": ["Velora"],
            "title": "Panne VeloBox",
            "text": f"Message {n} : ma VeloBox Velora ne marche plus depuis ce matin.",
            "author": {"name": f"user{n % 7}"},
            "published_at": datetime(2026, 11, 20, 10, n % 60, tzinfo=UTC),
        }
        fields.update(overrides)
        return Mention.model_validate(fields)

    return make
