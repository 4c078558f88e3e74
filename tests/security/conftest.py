"""A local Elasticsearch with security on (HTTPS, private CA, elastic password), once per module.

It runs on its own port (``VEILLE_TEST_SECURE_ES_PORT``, default 9260), never the shared test
node's, and is stopped when the module ends.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.config.elasticsearch import ElasticsearchConfig
from tests.support import start_node_or_skip, write_config
from veille.services.es_node import LocalNode

REPO = Path(__file__).resolve().parents[2]
SECURE_PORT = int(os.environ.get("VEILLE_TEST_SECURE_ES_PORT", "9260"))


@pytest.fixture(scope="module")
def secure_node() -> Iterator[LocalNode]:
    node = LocalNode(ElasticsearchConfig().local.version, port=SECURE_PORT, heap="512m", secure=True)
    start_node_or_skip(node)
    yield node
    node.stop()


@pytest.fixture
def secure_config(tmp_path: Path) -> Callable[[], Path]:
    """The shipped config with data in tmp_path, a unique index prefix and no URL (ES_URL decides)."""

    def make() -> Path:
        prefix = "sec-" + uuid.uuid4().hex[:10]
        return write_config(tmp_path, elasticsearch={"url": None, "index_prefix": prefix})

    return make
