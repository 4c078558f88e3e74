"""Index templates: versioned mappings, analyzers chosen from what the cluster offers.

A composable index template ``{prefix}-mentions`` (two component templates: settings and
mappings) gives every monthly index the Mention mapping and the read alias. ``title``, ``text``
and ``snippet`` keep the standard analyzer (exact words) and get sub-fields: ``.fr`` (the
``french`` analyzer: elision, stop words, light stemming, accents ignored), ``.en`` (``english``)
and ``.folded`` (lowercase + ASCII folding, for prefixes). Production clusters have these
analyzers built in; Veille's local node gets the same names from its analysis plugin
(``veille/services/es_analysis``), so one mapping serves both. A cluster with neither gets the
standard analyzer only. The choice is logged and returned so callers can say which.
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

from index.migrate import migrate_index
from index.names import IndexNames

logger = logging.getLogger(__name__)

MAPPING_VERSION = 2
ANALYZED_FIELDS = ("title", "text", "snippet")
LANGUAGE_ANALYZERS = {"fr": "french", "en": "english"}
FOLDED_ANALYZER = "veille_folded"
# Built from filters every full cluster has (and Veille's plugin provides on the local node).
FOLDED_DEFINITION = {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]}


@dataclass(frozen=True)
class AnalyzerChoice:
    """Which language analyzers the cluster has; ``{}`` means the standard analyzer only."""

    languages: dict[str, str]
    folding: bool = False  # the asciifolding filter exists: a ``.folded`` sub-field

    def describe(self) -> str:
        if not self.languages and not self.folding:
            return "standard analyzer only (the cluster has no french/english analyzers)"
        parts = [f"{lang}: {name}" for lang, name in self.languages.items()]
        return "standard + " + ", ".join([*parts, *(["folded"] if self.folding else [])])

    def subfields(self) -> dict[str, dict[str, str]]:
        fields = {lang: {"type": "text", "analyzer": name} for lang, name in self.languages.items()}
        if self.folding:
            fields["folded"] = {"type": "text", "analyzer": FOLDED_ANALYZER}
        return fields

    def index_settings(self) -> dict[str, Any]:
        if not self.folding:
            return {}
        return {"analysis": {"analyzer": {FOLDED_ANALYZER: FOLDED_DEFINITION}}}


def load_mapping(version: int = MAPPING_VERSION) -> dict[str, Any]:
    text = resources.files("index.mappings").joinpath(f"mention.v{version}.json").read_text("utf-8")
    mapping: dict[str, Any] = json.loads(text)
    return mapping


def detect_analyzers(es: Elasticsearch) -> AnalyzerChoice:
    """Ask the cluster which language analyzers exist (the test distribution has none)."""
    found = {
        lang: analyzer
        for lang, analyzer in LANGUAGE_ANALYZERS.items()
        if _analyzes(es, analyzer=analyzer, text="test")
    }
    folding = _analyzes(es, tokenizer="standard", filter=["lowercase", "asciifolding"], text="test")
    return AnalyzerChoice(found, folding)


def _analyzes(es: Elasticsearch, **request: Any) -> bool:
    try:
        es.indices.analyze(**request)
    except ApiError as exc:
        if exc.meta.status != 400:  # 400: no such analyzer or filter
            raise
        return False
    return True


def mention_mapping(choice: AnalyzerChoice) -> dict[str, Any]:
    mapping = copy.deepcopy(load_mapping())
    subfields = choice.subfields()
    for field in ANALYZED_FIELDS:
        if subfields:
            mapping["properties"][field].setdefault("fields", {}).update(copy.deepcopy(subfields))
    mapping["_meta"]["analyzers"] = choice.languages
    mapping["_meta"]["folded"] = choice.folding
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
        # The analyzers go with the mapping that names them: each component is validated alone.
        template={"settings": choice.index_settings(), "mappings": mapping},
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
    for index, info in existing.items():
        if needs_migration(info.get("mappings", {}).get("_meta", {}), mapping["_meta"]):
            migrate_index(es, names, index, MAPPING_VERSION)
    if not existing:
        # Create this month's index so the read alias exists before the first mention arrives.
        es.indices.create(index=names.monthly(datetime.now(UTC)))
    return choice


def needs_migration(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """An index made under an older mapping, or with other analyzers than the cluster now has."""
    return any(current.get(key) != wanted.get(key) for key in ("version", "analyzers", "folded"))
