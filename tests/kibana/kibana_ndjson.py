"""Reading saved objects the way Kibana's import does: NDJSON, JSON strings inside attributes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SHIPPED_NDJSON = REPO / "kibana" / "veille.ndjson"
SHIPPED_CONFIG = REPO / "config.yaml"


def parse_ndjson(text: str) -> list[dict[str, Any]]:
    """Every line one JSON object; a bad line fails naming its number."""
    objects = []
    for number, line in enumerate(text.splitlines(), start=1):
        assert line.strip(), f"line {number} is empty"
        value = json.loads(line)
        assert isinstance(value, dict), f"line {number} is not a JSON object"
        objects.append(value)
    return objects


def search_source(obj: dict[str, Any]) -> dict[str, Any]:
    return json.loads(obj["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
