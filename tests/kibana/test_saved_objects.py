"""The NDJSON is what Kibana imports: well formed, linked, and only naming fields of the mapping."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from core.config import parse_config
from index.templates import AnalyzerChoice, mention_mapping
from tests.kibana.kibana_ndjson import SHIPPED_CONFIG, SHIPPED_NDJSON, parse_ndjson, search_source
from veille.cli import cli
from veille.kibana import build_saved_objects, to_ndjson

KNOWN_TYPES = {"index-pattern", "search", "visualization", "dashboard"}
# Attributes holding JSON text, by type: each must parse, to the JSON type given.
JSON_ATTRIBUTES = {
    "index-pattern": {"fields": list, "fieldFormatMap": dict, "fieldAttrs": dict, "runtimeFieldMap": dict},
    "visualization": {"visState": dict, "uiStateJSON": dict},
    "dashboard": {"panelsJSON": list, "optionsJSON": dict},
}
PHRASE = re.compile(r'"(?:\\.|[^"\\])*"')
FIELD_PREFIX = re.compile(r"(?:^|[\s(])([A-Za-z_][\w.]*):")
EXISTS = re.compile(r"_exists_:([\w.]+)")


def mapping_fields(properties: dict[str, Any] | None = None, prefix: str = "") -> set[str]:
    """Every searchable path of the mention mapping: objects' leaves and multi-fields (title.raw)."""
    if properties is None:
        # The mapping with the language sub-fields, as on Veille's node and on a full cluster.
        properties = mention_mapping(AnalyzerChoice({"fr": "french", "en": "english"}, folding=True))[
            "properties"
        ]
    found: set[str] = set()
    for name, spec in properties.items():
        path = prefix + name
        if "properties" in spec:
            found |= mapping_fields(spec["properties"], path + ".")
            continue
        found.add(path)
        found |= {f"{path}.{sub}" for sub in spec.get("fields", {})}
    return found


def query_fields(query: str) -> set[str]:
    """Field names a Lucene query searches (``field:``, ``_exists_:field``), phrases ignored."""
    bare = PHRASE.sub('""', query)
    fields = {name for name in FIELD_PREFIX.findall(bare) if name != "_exists_"}
    return fields | set(EXISTS.findall(bare))


def fields_used(obj: dict[str, Any]) -> set[str]:
    attributes = obj["attributes"]
    used: set[str] = set()
    if obj["type"] == "index-pattern":
        used.add(attributes["timeFieldName"])
        used |= set(json.loads(attributes["fieldFormatMap"])) | set(json.loads(attributes["fieldAttrs"]))
    if obj["type"] in {"search", "visualization"}:
        used |= query_fields(search_source(obj)["query"]["query"])
    if obj["type"] == "search":
        used |= set(attributes["columns"]) | {field for field, _ in attributes["sort"]}
    if obj["type"] == "visualization":
        used |= {
            agg["params"]["field"]
            for agg in json.loads(attributes["visState"])["aggs"]
            if "field" in agg["params"]
        }
    return used


def test_every_line_is_a_saved_object_of_a_known_type_with_a_unique_id(shipped_objects):
    assert [obj["type"] for obj in shipped_objects].count("index-pattern") == 1
    assert {obj["type"] for obj in shipped_objects} == KNOWN_TYPES
    keys = [(obj["type"], obj["id"]) for obj in shipped_objects]
    assert len(keys) == len(set(keys))
    for obj in shipped_objects:
        assert obj["attributes"]["title"], obj["id"]
        # Kibana 8.8+ export format: one type migration version per object, no migrationVersion map.
        assert obj["typeMigrationVersion"] and "migrationVersion" not in obj
        assert obj["coreMigrationVersion"] == "8.8.0"
        assert isinstance(obj["references"], list)


def test_json_strings_inside_attributes_parse(shipped_objects):
    for obj in shipped_objects:
        for name, kind in JSON_ATTRIBUTES.get(obj["type"], {}).items():
            assert isinstance(json.loads(obj["attributes"][name]), kind), f"{obj['id']}: {name}"
        if obj["type"] != "index-pattern":
            source = search_source(obj)
            assert source["query"]["language"] == "lucene"
            assert isinstance(source["filter"], list)


def test_every_reference_resolves_to_an_object_of_the_file(shipped_objects):
    present = {(obj["type"], obj["id"]) for obj in shipped_objects}
    for obj in shipped_objects:
        names = [ref["name"] for ref in obj["references"]]
        assert len(names) == len(set(names)), obj["id"]
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in present, f"{obj['id']} -> {ref}"
        if obj["type"] in {"search", "visualization"}:
            # The search source names its data view through a reference, never by id.
            assert search_source(obj)["indexRefName"] in names
            assert "index" not in search_source(obj)
        if obj["type"] == "dashboard":
            panels = json.loads(obj["attributes"]["panelsJSON"])
            refs = {ref["name"]: ref for ref in obj["references"]}
            assert sorted(panel["panelRefName"] for panel in panels) == sorted(refs)
            for panel in panels:
                assert panel["type"] == refs[panel["panelRefName"]]["type"]
                assert panel["gridData"]["i"] == panel["panelIndex"]
                assert panel["gridData"]["x"] >= 0 and panel["gridData"]["x"] + panel["gridData"]["w"] <= 48


def test_the_data_view_is_the_mentions_alias_with_published_at_as_time_field(shipped_objects, shipped_config):
    (view,) = [obj for obj in shipped_objects if obj["type"] == "index-pattern"]
    assert view["id"] == shipped_config.alerts.kibana_data_view
    assert view["attributes"]["title"] == "veille-mentions"
    assert view["attributes"]["timeFieldName"] == "published_at"


def test_every_field_used_exists_in_the_index_mapping(shipped_objects):
    known = mapping_fields()
    assert {"title.raw", "source.kind", "rating.normalized", "brand_labels"} <= known
    for obj in shipped_objects:
        unknown = fields_used(obj) - known
        assert not unknown, f"{obj['type']} {obj['id']} uses fields missing from the mapping: {unknown}"


def test_the_field_check_catches_a_misspelt_field():
    query = 'sentiment.lable:negative AND NOT _exists_:brand_label AND text:"a:b" AND (rating.value:<=2)'
    assert query_fields(query) == {"sentiment.lable", "brand_label", "text", "rating.value"}
    assert query_fields(query) - mapping_fields() == {"sentiment.lable", "brand_label"}


def test_the_shipped_file_is_the_export_of_the_shipped_config():
    result = CliRunner().invoke(cli, ["--config", str(SHIPPED_CONFIG), "kibana", "export"])
    assert result.exit_code == 0, result.output
    assert result.output == SHIPPED_NDJSON.read_text(encoding="utf-8"), (
        "kibana/veille.ndjson is stale: run `veille kibana export -o kibana/veille.ndjson`"
    )


def test_export_follows_the_index_prefix_brands_and_crisis_words_of_the_config(tmp_path):
    raw = yaml.safe_load(SHIPPED_CONFIG.read_text(encoding="utf-8"))
    raw["elasticsearch"]["index_prefix"] = "acme"
    raw["alerts"]["rules"] = [
        {"name": "crise", "type": "crisis_keywords", "keywords": ["fraude", "class action"]}
    ]
    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    config = parse_config(text)
    objects = build_saved_objects(config)
    assert to_ndjson(objects) == to_ndjson(build_saved_objects(config))  # deterministic
    view = objects[0]
    assert view["attributes"]["title"] == "acme-mentions"
    ids = {obj["id"] for obj in objects}
    assert {"acme-brand-velora", "acme-brand-cafes-lantier", "acme-overview"} <= ids
    (crisis,) = [obj for obj in objects if obj["id"] == "acme-crisis-keywords"]
    assert search_source(crisis)["query"]["query"] == (
        'title.fr:(fraude OR "class action"~2) OR text.fr:(fraude OR "class action"~2) '
        'OR text.en:(fraude OR "class action"~2) '
        'OR title.folded:(fraude* OR "class action"~2) OR text.folded:(fraude* OR "class action"~2)'
    )
    output = tmp_path / "out.ndjson"
    config_file = tmp_path / "config.yaml"
    config_file.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config_file), "kibana", "export", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert parse_ndjson(output.read_text(encoding="utf-8")) == objects
    assert f"{output}: {len(objects)} saved object(s)" in result.output


@pytest.mark.parametrize("brand", ["Velora", 'Le "Bon" Café'])
def test_brand_names_are_quoted_so_they_match_exactly(brand):
    from veille.kibana.searches import brand_mentions

    query = brand_mentions(brand).query
    assert query_fields(query) == {"brands"}
    assert query.startswith('brands:"') and query.endswith('"')
