"""Helpers of the collection tests (imported by conftest.py and the test modules).

Configs are the shipped config.yaml rebased on the test server's address (so the shipped demo
sources are what gets tested), with a short timeout and a small download cap so the traps
cost little, and a data directory under the test's tmp_path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from core.config import LoadedConfig
from core.spool import Spool
from veille.demo_web import DemoServer
from veille.demo_web.config import rebase_config, shipped_config_text

# The slow trap must outlast the timeout, the large page must exceed the cap.
TEST_TIMEOUT = "1s"
SLOW_DELAY = 2.5
MAX_PAGE = 400_000
LARGE_PAGE = 1_000_000


def start_demo() -> DemoServer:
    return DemoServer(slow_delay=SLOW_DELAY, large_size=LARGE_PAGE).start()


def demo_config_data(base_url: str, data_dir: Path, **changes: Any) -> dict[str, Any]:
    data = yaml.safe_load(rebase_config(shipped_config_text(), base_url))
    data["data_dir"] = str(data_dir)
    crawl = {"timeout": TEST_TIMEOUT, "retries": 1, "max_page_size": MAX_PAGE, "autothrottle": False}
    data["crawl"].update(crawl, concurrency_per_domain=8)
    for forum in data["sources"]["forums"]:
        forum.pop("timeout", None)
    for key, value in changes.items():
        data[key] = value
    return data


def spooled(loaded: LoadedConfig) -> list[Any]:
    """Every mention waiting in the spool (taken and released, so the spool is unchanged)."""
    with Spool(loaded.spool_path) as spool:
        batch = spool.take(100_000)
        spool.release(batch)
        return batch.mentions
