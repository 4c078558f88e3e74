"""Helpers shared by tests: a free loopback port, waiting for a condition, the one config writer,
the one mention builder, starting a local Elasticsearch node or skipping with the reason."""

from __future__ import annotations

import itertools
import os
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.errors import ESNodeError
from core.mention import Mention
from veille.demo_web.config import rebase_config, shipped_config_text
from veille.services.es_node import LocalNode


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], object], timeout: float, step: float = 0.3) -> bool:
    """Poll ``predicate`` until it is truthy (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


# -- configs ---------------------------------------------------------------------------------------
REPO = Path(__file__).resolve().parents[1]
SHIPPED_CONFIG = REPO / "config.yaml"
# Collection tests: the slow trap must outlast the timeout, the large page must exceed the cap.
TEST_TIMEOUT = "1s"
MAX_PAGE = 400_000


def config_data(
    data_dir: Path,
    *,
    base_url: str | None = None,
    elasticsearch: dict[str, Any] | None = None,
    **sections: Any,
) -> dict[str, Any]:
    """The shipped config.yaml as data, with its data in ``data_dir``.

    ``base_url``: the demo sources moved to a demo web there, with short timeouts and a small
    download cap so the traps cost little. ``elasticsearch``: keys merged into that section.
    Other keyword arguments replace whole top-level sections.
    """
    text = shipped_config_text()
    if base_url is not None:
        text = rebase_config(text, base_url)
    data = yaml.safe_load(text)
    data["data_dir"] = str(data_dir)
    if base_url is not None:
        crawl = {"timeout": TEST_TIMEOUT, "retries": 1, "max_page_size": MAX_PAGE, "autothrottle": False}
        data["crawl"].update(crawl, concurrency_per_domain=8)
        for forum in data["sources"]["forums"]:
            forum.pop("timeout", None)
    if elasticsearch:
        data["elasticsearch"].update(elasticsearch)
    data.update(sections)
    return data


def write_config(directory: Path, **changes: Any) -> Path:
    """``config_data(directory / "var", **changes)`` written to ``directory / "config.yaml"``."""
    path = directory / "config.yaml"
    data = config_data(directory / "var", **changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# -- mentions --------------------------------------------------------------------------------------
_serial = itertools.count(1)


def make_mention(**overrides: Any) -> Mention:
    """A valid forum mention of Velora; keyword arguments override any field."""
    n = next(_serial)
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


# -- Elasticsearch nodes ---------------------------------------------------------------------------
def start_node_or_skip(node: LocalNode) -> LocalNode:
    """Start a local node for tests; skip them (with the reason) when it cannot start here.

    ``VEILLE_TEST_REQUIRE_ES=1`` (``make test`` sets it) turns that skip into a failure.
    """
    try:
        node.start()
    except ESNodeError as exc:
        if os.environ.get("VEILLE_TEST_REQUIRE_ES"):
            raise
        pytest.skip(f"no Elasticsearch for this test: VEILLE_TEST_ES_URL is unset and {exc}")
    return node
