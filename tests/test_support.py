"""The test suite's own helpers: a node that cannot start skips its tests with the reason
(or fails them under ``VEILLE_TEST_REQUIRE_ES``), and ES tests are marked ``es`` automatically."""

from __future__ import annotations

import socket

import pytest

from core.errors import ESNodeError
from tests.conftest import pytest_collection_modifyitems
from tests.support import start_node_or_skip
from veille.services.es_node import LocalNode


def test_a_node_that_cannot_start_skips_with_the_reason(tmp_path, monkeypatch):
    monkeypatch.delenv("VEILLE_TEST_REQUIRE_ES", raising=False)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        node = LocalNode("8.19.21", port=port, cache_dir=tmp_path)
        with pytest.raises(pytest.skip.Exception, match=f"port {port} is in use"):
            start_node_or_skip(node)
        monkeypatch.setenv("VEILLE_TEST_REQUIRE_ES", "1")
        with pytest.raises(ESNodeError):
            start_node_or_skip(node)


class _Item:
    def __init__(self, *fixtures: str) -> None:
        self.fixturenames = list(fixtures)
        self.marks: list[str] = []

    def add_marker(self, mark: pytest.MarkDecorator) -> None:
        self.marks.append(mark.name)


def test_tests_using_a_node_are_marked_es(pytestconfig):
    via_url, via_secure, plain = _Item("tmp_path", "es_url"), _Item("secure_node"), _Item("tmp_path")
    pytest_collection_modifyitems(pytestconfig, [via_url, via_secure, plain])
    assert (via_url.marks, via_secure.marks, plain.marks) == (["es"], ["es"], [])
