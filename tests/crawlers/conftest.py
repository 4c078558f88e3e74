"""Fixtures of the collection tests: the demo web on a free port and configs pointing at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.config import LoadedConfig, load_config
from tests.crawlers.collect_support import demo_config_data, start_demo
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


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., LoadedConfig]:
    """``make_config(base_url, sources=..., **top_level)`` -> a LoadedConfig written in tmp_path."""

    def make(base_url: str, **changes: Any) -> LoadedConfig:
        data = demo_config_data(base_url, tmp_path / "var", **changes)
        path = tmp_path / "config.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return load_config(path)

    return make
