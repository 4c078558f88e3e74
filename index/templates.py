"""Index templates: versioned mappings, analyzers chosen from what the cluster offers.

A composable index template ``{prefix}-mentions`` (two component templates: settings and
mappings) gives every monthly index the Mention mapping and the read alias. Production clusters
ship the ``analysis-common`` module and get ``french`` / ``english`` analyzed sub-fields
(``text.fr``, ``text.en``); the minimal test distribution lacks it and gets the standard
analyzer only. The choice is logged and returned so callers can say which.
"""

from __future__ import annotations

import copy
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from index.names import IndexNames

logger = logging.getLogger(__name__)

MAPPING_VERSION = 1
ANALYZED_FIELDS = ("title", "text", "snippet")
LANGUAGE_ANALYZERS = {"fr": "french", "en": "english"}


@dataclass(frozen=True)
class AnalyzerChoice:
    """Which language analyzers the cluster has; ``{}`` means the standard analyzer only."""

    languages: dict[str, str]

    def describe(self) -> str:
        if not self.languages:
            return "standard analyzer only (the cluster has no french/english analyzers)"
        return "standard + " + ", ".join(f"{lang}: {name}" for lang, name in self.languages.items())


def load_mapping(version: int = MAPPING_VERSION) -> dict[str, Any]:
    text = resources.files("index.mappings").joinpath(f"mention.v{version}.json").read_text("utf-8")
    mapping: dict[str, Any] = json.loads(text)
    return mapping


def detect_analyzers(es: Elasticsearch) -> AnalyzerChoice:
    """Ask the cluster which language analyzers exist (the test distribution has none)."""
    found: dict[str, str] = {}
    for lang, analyzer in LANGUAGE_ANALYZERS.items():
        try:
            es.indices.analyze(analyzer=analyzer, text="test")
        except ApiError as exc:
            if exc.meta.status != 400:
                raise
            continue
        found[lang] = analyzer
    return AnalyzerChoice(found)


def mention_mapping(choice: AnalyzerChoice) -> dict[str, Any]:
    mapping = copy.deepcopy(load_mapping())
    for field in ANALYZED_FIELDS:
        spec = mapping["properties"][field]
        for lang, analyzer in choice.languages.items():
            spec.setdefault("fields", {})[lang] = {"type": "text", "analyzer": analyzer}
    mapping["_meta"]["analyzers"] = choice.languages
    return mapping


def ensure_templates(es: Elasticsearch, names: IndexNames) -> AnalyzerChoice:
    """Install or update the templates, update existing indices' mappings, make sure the alias exists."""
    choice = detect_analyzers(es)
    logger.info("mentions index analyzers: %s", choice.describe())
    mapping = mention_mapping(choice)
    es.cluster.put_component_template(
        name=names.component_settings,
        template={
            "settings": {
                "index": {
                    "number_of_shards": 1,
                    # 0 replicas on a single node, 1 as soon as there is a second one.
                    "auto_expand_replicas": "0-1",
                    "refresh_interval": "1s",
                }
            }
        },
        meta={"version": MAPPING_VERSION, "owner": "veille"},
    )
    es.cluster.put_component_template(
        name=names.component_mappings,
        template={"mappings": mapping},
        meta={"version": MAPPING_VERSION, "owner": "veille"},
    )
    es.indices.put_index_template(
        name=names.template,
        index_patterns=[names.pattern],
        composed_of=[names.component_settings, names.component_mappings],
        template={"aliases": {names.alias: {}}},
        priority=200,
        version=MAPPING_VERSION,
        meta={"owner": "veille"},
    )
    existing = es.indices.get(index=names.pattern, allow_no_indices=True, expand_wildcards="open")
    if existing:
        # Additive mapping changes reach indices created under an older template version.
        es.indices.put_mapping(index=names.pattern, properties=mapping["properties"])
    else:
        # Create this month's index so the read alias exists before the first mention arrives.
        es.indices.create(index=names.monthly(datetime.now(UTC)))
    return choice
