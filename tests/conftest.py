"""Shared fixtures: a real local Elasticsearch node, isolated index names, configs and mentions.

The node is the project's own (``veille es start``): ``make test`` starts it and passes its URL
in ``VEILLE_TEST_ES_URL``; run without it, the session fixture starts it here on port 9250, and
when no node can start (no Java, no download) the tests that need one are skipped with the reason.
Every test that uses a node (through ``es_url`` or a node fixture of its own) is marked ``es``
automatically, so ``-m "not es"`` runs the rest without starting anything.
Each test gets its own index prefix, so tests never see each other's documents.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from core.config import LoadedConfig, load_config
from core.config.elasticsearch import ElasticsearchConfig
from core.mention import Mention
from index import local_credentials
from index.names import IndexNames
from index.templates import ensure_templates
from tests import support
from veille.services.es_node import LocalNode

TEST_ES_PORT = int(os.environ.get("VEILLE_TEST_ES_PORT", "9250"))
# Fixtures that give a test a running Elasticsearch node: their users are marked ``es``.
ES_FIXTURES = frozenset({"es_url", "secure_node", "spare_node"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if ES_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.es)


@pytest.fixture(scope="session")
def es_url() -> str:
    url = os.environ.get("VEILLE_TEST_ES_URL")
    if url:
        return url.rstrip("/")
    node = LocalNode(ElasticsearchConfig().local.version, port=TEST_ES_PORT)
    return support.start_node_or_skip(node).url


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
def make_config(tmp_path: Path) -> Callable[..., LoadedConfig]:
    """``make_config(base_url=None, **changes)``: the shipped config, data in tmp_path, loaded.

    See ``tests.support.config_data`` for ``base_url`` (a demo web) and the other changes.
    """

    def make(base_url: str | None = None, **changes: Any) -> LoadedConfig:
        return load_config(support.write_config(tmp_path, base_url=base_url, **changes))

    return make


@pytest.fixture
def config_factory(
    make_config: Callable[..., LoadedConfig], index_prefix: str, es_url: str
) -> Callable[..., LoadedConfig]:
    """``make_config`` pointed at the test Elasticsearch under this test's unique prefix."""

    def make(**changes: Any) -> LoadedConfig:
        return make_config(elasticsearch={"url": es_url, "index_prefix": index_prefix}, **changes)

    return make


@pytest.fixture
def make_mention() -> Callable[..., Mention]:
    """A valid forum mention of Velora; keyword arguments override any field."""
    return support.make_mention
