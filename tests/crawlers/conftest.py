"""Fixtures of the collection tests: the demo web on a free port (configs: ``make_config(base_url)``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.crawlers.collect_support import start_demo
from veille.demo_web import DemoServer


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    """A demo web shared by a module's read-only tests."""
    server = start_demo()
    yield server
    server.stop()


@pytest.fixture
def fresh_demo() -> Iterator[DemoServer]:
    """A demo web of one's own, for tests that change its content."""
    server = start_demo()
    yield server
    server.stop()
