"""Every saved query and chart aggregation runs on a real Elasticsearch and finds the right mentions.

Kibana sends a Lucene query as ``query_string`` (``analyze_wildcard`` on) inside a bool query
whose filter is the time picker's range on the data view's time field; the dashboard's own
range (last 7 days) is used here.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.config import parse_config
from index.indexer import Indexer
from tests.kibana.kibana_ndjson import search_source
from veille.kibana import build_saved_objects

pytestmark = pytest.mark.es

CONFIG = """
brands:
  - name: Velora
  - name: Cafés Lantier
elasticsearch:
  index_prefix: {prefix}
"""


def kibana_query(obj: dict[str, Any], time_from: str, time_to: str) -> dict[str, Any]:
    query = search_source(obj)["query"]["query"]
    must = [{"query_string": {"query": query, "analyze_wildcard": True}}] if query else []
    time_range = {"range": {"published_at": {"gte": time_from, "lte": time_to}}}
    return {"bool": {"must": must, "filter": [time_range]}}


def es_aggregations(vis_state: dict[str, Any]) -> dict[str, Any]:
    """The buckets of an agg-based visualization, nested in order, as Elasticsearch aggregations."""
    root: dict[str, Any] = {}
    level = root
    for agg in vis_state["aggs"]:
        params = agg["params"]
        if agg["type"] == "count":
            continue
        if agg["type"] == "date_histogram":
            body = {
                "date_histogram": {"field": params["field"], "calendar_interval": "1d", "min_doc_count": 1}
            }
        elif agg["type"] == "terms":
            body = {"terms": {"field": params["field"], "size": params["size"], "order": {"_count": "desc"}}}
        else:
            raise AssertionError(f"no translation for {agg['type']}")
        level[agg["id"]] = body
        level = body.setdefault("aggs", {})
    return root


@pytest.fixture
def indexed(es_client, index_names, make_mention):
    """A week of mentions around every saved search's edges; returns their ids by name."""
    now = datetime.now(UTC)

    def review(value: float, worst: float = 1, best: float = 5, **extra: Any):
        return make_mention(
            source={"kind": "review", "name": "avis-test"},
            url=f"https://avis.example.fr/velora/{value}-{worst}-{best}",
            rating={"value": value, "worst": worst, "best": best},
            published_at=now - timedelta(days=1),
            **extra,
        )

    velora_negative = [{"brand": "Velora", "label": "negative", "score": -0.8}]
    mentions = {
        "negative_recent": make_mention(
            text="Arnaque totale, ma VeloBox ne marche plus",
            brand_sentiments=velora_negative,
            published_at=now - timedelta(hours=2),
        ),
        "negative_old": make_mention(
            text="Toujours pas de connexion avec Velora",
            brand_sentiments=velora_negative,
            published_at=now - timedelta(days=3),
        ),
        "positive_recent": make_mention(
            text="Velora Fibre au top",
            published_at=now - timedelta(hours=1),
            brand_sentiments=[{"brand": "Velora", "label": "positive", "score": 0.7}],
        ),
        # No per-brand tone: the whole-text sentiment decides.
        "lantier_recall": make_mention(
            brands=["Cafés Lantier"],
            title="Capsules Lantier",
            text="Rappel de produit sur les capsules",
            sentiment={"label": "negative", "score": -0.6},
            published_at=now - timedelta(hours=5),
        ),
        "boycott": make_mention(text="Boycottez Velora et ses tarifs", published_at=now - timedelta(days=2)),
        "scandal_title": make_mention(
            title="Un service scandaleux", text="Velora encore", published_at=now - timedelta(days=2)
        ),
        "crisis_too_old": make_mention(text="Scandale chez Velora", published_at=now - timedelta(days=10)),
        "review_2_of_5": review(2),
        "review_4_of_5": review(4),
        "review_1_of_0_5": review(1, worst=0),
        "review_2_of_10": review(2, worst=0, best=10),
        "review_4_of_10": review(4, worst=0, best=10),
    }
    Indexer(es_client, index_names, refresh=True).index(list(mentions.values()))
    return {name: mention.id for name, mention in mentions.items()}


def test_every_saved_search_finds_exactly_its_mentions(es_client, index_names, indexed):
    config = parse_config(CONFIG.format(prefix=index_names.prefix))
    objects = {obj["id"].removeprefix(f"{index_names.prefix}-"): obj for obj in build_saved_objects(config)}
    assert objects["overview"]["attributes"]["timeFrom"] == "now-7d"
    expected = {
        "negative-24h": {"negative_recent", "lantier_recall"},
        "waiting-answer": {"negative_recent", "lantier_recall", "negative_old"},
        "reviews-1-2-stars": {"review_2_of_5", "review_1_of_0_5", "review_2_of_10"},
        "crisis-keywords": {"negative_recent", "lantier_recall", "boycott", "scandal_title"},
        "brand-cafes-lantier": {"lantier_recall"},
        "brand-velora": set(indexed) - {"lantier_recall", "crisis_too_old"},
    }
    names_of = {doc_id: name for name, doc_id in indexed.items()}
    data_view = objects[config.alerts.kibana_data_view.removeprefix(f"{index_names.prefix}-")]
    assert data_view["attributes"]["title"] == index_names.alias
    for key, names in expected.items():
        response = es_client.search(
            index=data_view["attributes"]["title"],
            query=kibana_query(objects[key], "now-7d", "now"),
            sort=[{field: order} for field, order in objects[key]["attributes"]["sort"]],
            size=100,
        )
        found = {names_of[hit["_id"]] for hit in response["hits"]["hits"]}
        assert found == names, key


def test_the_negative_search_keeps_its_24_hours_whatever_the_time_picker_says(
    es_client, index_names, indexed
):
    config = parse_config(CONFIG.format(prefix=index_names.prefix))
    (search,) = [obj for obj in build_saved_objects(config) if obj["id"].endswith("-negative-24h")]
    response = es_client.search(
        index=index_names.alias, query=kibana_query(search, "now-30d", "now"), size=100
    )
    assert {hit["_id"] for hit in response["hits"]["hits"]} == {
        indexed["negative_recent"],
        indexed["lantier_recall"],
    }


def test_every_visualization_aggregation_runs_and_counts(es_client, index_names, indexed):
    config = parse_config(CONFIG.format(prefix=index_names.prefix))
    charts = [obj for obj in build_saved_objects(config) if obj["type"] == "visualization"]
    assert len(charts) == 3
    results = {}
    for chart in charts:
        state = json.loads(chart["attributes"]["visState"])
        response = es_client.search(
            index=index_names.alias,
            query=kibana_query(chart, "now-7d", "now"),
            aggs=es_aggregations(state),
            size=0,
        )
        results[state["type"]] = response["aggregations"]
    days = results["histogram"]["2"]["buckets"]
    assert sum(day["doc_count"] for day in days) == len(indexed) - 1  # one is 10 days old
    tones = Counter()
    for day in days:
        tones.update({bucket["key"]: bucket["doc_count"] for bucket in day["3"]["buckets"]})
    assert tones == {"Velora:negative": 2, "Velora:positive": 1}
    voices = {b["key"]: b["doc_count"] for b in results["pie"]["2"]["buckets"]}
    assert voices == {"Velora": len(indexed) - 2, "Cafés Lantier": 1}  # share of voice per brand
    sites = {b["key"]: b["doc_count"] for b in results["table"]["2"]["buckets"]}
    assert sites == {"forum.example.fr": 6, "avis.example.fr": 5}
