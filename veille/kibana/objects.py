"""Kibana 8.x saved objects (data view, searches, visualizations, dashboard) and their NDJSON export.

Objects use the export format of Kibana 8.8 and later: ``typeMigrationVersion`` names the last
migration whose layout each object follows (Kibana runs the later ones on import) and
``coreMigrationVersion`` the format itself; no timestamps, so the export is deterministic: the
same config always gives the same bytes. References follow Kibana's conventions (``indexRefName``,
``panelRefName``) so an import resolves every link.
"""

from __future__ import annotations

import json
from typing import Any

from core.config.schema import Config
from index.names import IndexNames
from veille.kibana.searches import SavedSearch, saved_searches
from veille.kibana.visualizations import Visualization, visualizations

INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"
CORE_MIGRATION_VERSION = "8.8.0"
# The last migration of each type whose input layout these objects follow.
MIGRATION_VERSIONS = {
    "index-pattern": "7.11.0",
    "search": "7.9.3",
    "visualization": "7.14.0",
    "dashboard": "7.17.3",
}
TIME_FIELD = "published_at"


def dumps(value: Any) -> str:
    """Compact JSON with sorted keys: the form of the export and of JSON strings inside it."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _saved_object(
    kind: str, object_id: str, attributes: dict[str, Any], references: list[dict[str, str]]
) -> dict[str, Any]:
    return {
        "type": kind,
        "id": object_id,
        "attributes": attributes,
        "references": references,
        "typeMigrationVersion": MIGRATION_VERSIONS[kind],
        "coreMigrationVersion": CORE_MIGRATION_VERSION,
        "managed": False,
    }


def _search_source(query: str, *, index: bool) -> str:
    source: dict[str, Any] = {"query": {"query": query, "language": "lucene"}, "filter": []}
    if index:
        source["indexRefName"] = INDEX_REF
    return dumps(source)


def data_view(view_id: str, names: IndexNames) -> dict[str, Any]:
    """The data view on the read alias; URLs render as links, scores with two decimals."""
    formats: dict[str, dict[str, Any]] = {
        field: {"id": "url"} for field in ("url", "thread_url", "author.url")
    }
    formats |= {
        field: {"id": "number", "params": {"pattern": "0.00"}}
        for field in ("sentiment.score", "brand_sentiments.score", "rating.normalized")
    }
    labels = {
        "brand_labels": "Marque : tonalité",
        "brands": "Marques",
        "sentiment.label": "Tonalité (texte entier)",
        "source.kind": "Type de source",
        "source.domain": "Site",
        "author.influence": "Influence de l'auteur",
        "published_at": "Publié le",
    }
    return _saved_object(
        "index-pattern",
        view_id,
        {
            "title": names.alias,
            "name": f"Veille — mentions ({names.alias})",
            "timeFieldName": TIME_FIELD,
            "fields": "[]",
            "fieldFormatMap": dumps(formats),
            "fieldAttrs": dumps({field: {"customLabel": label} for field, label in labels.items()}),
            "runtimeFieldMap": "{}",
            "typeMeta": "{}",
        },
        [],
    )


def search_object(prefix: str, search: SavedSearch, view_id: str) -> dict[str, Any]:
    return _saved_object(
        "search",
        f"{prefix}-{search.key}",
        {
            "title": search.title,
            "description": search.description,
            "columns": list(search.columns),
            "sort": [list(pair) for pair in search.sort],
            "grid": {},
            "hideChart": False,
            "isTextBasedQuery": False,
            "kibanaSavedObjectMeta": {"searchSourceJSON": _search_source(search.query, index=True)},
        },
        [{"name": INDEX_REF, "type": "index-pattern", "id": view_id}],
    )


def visualization_object(prefix: str, vis: Visualization, view_id: str) -> dict[str, Any]:
    return _saved_object(
        "visualization",
        f"{prefix}-{vis.key}",
        {
            "title": vis.title,
            "description": vis.description,
            "visState": dumps(vis.state()),
            "uiStateJSON": "{}",
            "version": 1,
            "kibanaSavedObjectMeta": {"searchSourceJSON": _search_source(vis.query, index=True)},
        },
        [{"name": INDEX_REF, "type": "index-pattern", "id": view_id}],
    )


# The dashboard's layout on Kibana's 48-column grid: (object key, x, y, w, h).
LAYOUT = (
    ("volume-by-tone", 0, 0, 32, 14),
    ("share-of-voice", 32, 0, 16, 14),
    ("waiting-answer", 0, 14, 24, 16),
    ("negative-24h", 24, 14, 24, 16),
    ("crisis-keywords", 0, 30, 24, 16),
    ("reviews-1-2-stars", 24, 30, 24, 16),
    ("top-sites", 0, 46, 24, 16),
)


def dashboard(prefix: str, panels: list[dict[str, Any]]) -> dict[str, Any]:
    """The overview: volume per day and tone, then the searches a community manager acts on."""
    by_key = {obj["id"].removeprefix(f"{prefix}-"): obj for obj in panels}
    saved_panels, references = [], []
    for number, (key, x, y, w, h) in enumerate(LAYOUT):
        target = by_key[key]
        ref_name = f"panel_{number}"
        panel_index = str(number + 1)
        saved_panels.append(
            {
                "version": MIGRATION_VERSIONS["dashboard"],
                "type": target["type"],
                "gridData": {"x": x, "y": y, "w": w, "h": h, "i": panel_index},
                "panelIndex": panel_index,
                "embeddableConfig": {},
                "panelRefName": ref_name,
            }
        )
        references.append({"name": ref_name, "type": target["type"], "id": target["id"]})
    return _saved_object(
        "dashboard",
        f"{prefix}-overview",
        {
            "title": "Veille — vue d'ensemble",
            "description": (
                "Volume, part de voix et tonalité des mentions, négatifs en attente de réponse, "
                "mots de crise, mauvais avis."
            ),
            "panelsJSON": dumps(saved_panels),
            "optionsJSON": dumps({"hidePanelTitles": False, "syncColors": False, "useMargins": True}),
            "version": 1,
            "timeRestore": True,
            "timeFrom": "now-7d",
            "timeTo": "now",
            "refreshInterval": {"pause": False, "value": 300_000},
            "kibanaSavedObjectMeta": {"searchSourceJSON": _search_source("", index=False)},
        },
        references,
    )


def build_saved_objects(config: Config) -> list[dict[str, Any]]:
    """Every saved object, referenced objects first (the order Kibana's export uses)."""
    prefix = config.elasticsearch.index_prefix
    view_id = config.alerts.kibana_data_view
    view = data_view(view_id, IndexNames(prefix))
    searches = [search_object(prefix, search, view_id) for search in saved_searches(config)]
    charts = [visualization_object(prefix, vis, view_id) for vis in visualizations(config)]
    return [view, *searches, *charts, dashboard(prefix, searches + charts)]


def to_ndjson(objects: list[dict[str, Any]]) -> str:
    """One object per line, keys sorted, ending with a newline."""
    return "".join(dumps(obj) + "\n" for obj in objects)
