"""Kibana saved objects as Kibana would read them: the shipped NDJSON file, parsed line by line."""

from __future__ import annotations

from typing import Any

import pytest

from core.config import load_config
from tests.kibana.kibana_ndjson import SHIPPED_CONFIG, SHIPPED_NDJSON, parse_ndjson


@pytest.fixture(scope="session")
def shipped_objects() -> list[dict[str, Any]]:
    return parse_ndjson(SHIPPED_NDJSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shipped_config():
    return load_config(SHIPPED_CONFIG).config
