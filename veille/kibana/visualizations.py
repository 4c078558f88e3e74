"""Aggregation-based visualizations for the dashboard (Kibana's ``visState`` layout).

Each one is a count plus bucket aggregations on mapping fields, which the tests translate into
the equivalent Elasticsearch aggregation and run on a real node. Agg-based charts rather than
Lens: their saved state is small, stable across 8.x, and fully checkable here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.config.schema import Config


@dataclass(frozen=True)
class Agg:
    """One aggregation of a visualization: ``schema`` says where Kibana draws it."""

    id: str
    type: str
    schema: str
    params: dict[str, Any] = field(default_factory=dict)

    def state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "enabled": True,
            "type": self.type,
            "schema": self.schema,
            "params": self.params,
        }


@dataclass(frozen=True)
class Visualization:
    key: str
    title: str
    description: str
    vis_type: str
    aggs: tuple[Agg, ...]
    params: dict[str, Any]
    query: str = ""

    def state(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "type": self.vis_type,
            "aggs": [agg.state() for agg in self.aggs],
            "params": self.params,
        }


COUNT = Agg("1", "count", "metric")


def _terms(agg_id: str, field_name: str, size: int, schema: str) -> Agg:
    return Agg(
        agg_id,
        "terms",
        schema,
        {
            "field": field_name,
            "orderBy": COUNT.id,
            "order": "desc",
            "size": size,
            "otherBucket": False,
            "otherBucketLabel": "Autres",
            "missingBucket": False,
            "missingBucketLabel": "Manquant",
        },
    )


def _histogram_params(value_label: str) -> dict[str, Any]:
    """The stacked vertical bars layout, as Kibana saves it (axes, series, legend)."""
    return {
        "type": "histogram",
        "grid": {"categoryLines": False},
        "categoryAxes": [
            {
                "id": "CategoryAxis-1",
                "type": "category",
                "position": "bottom",
                "show": True,
                "style": {},
                "scale": {"type": "linear"},
                "labels": {"show": True, "filter": True, "truncate": 100},
                "title": {},
            }
        ],
        "valueAxes": [
            {
                "id": "ValueAxis-1",
                "name": "LeftAxis-1",
                "type": "value",
                "position": "left",
                "show": True,
                "style": {},
                "scale": {"type": "linear", "mode": "normal"},
                "labels": {"show": True, "rotate": 0, "filter": False, "truncate": 100},
                "title": {"text": value_label},
            }
        ],
        "seriesParams": [
            {
                "show": True,
                "type": "histogram",
                "mode": "stacked",
                "data": {"label": value_label, "id": COUNT.id},
                "valueAxis": "ValueAxis-1",
                "drawLinesBetweenPoints": True,
                "lineWidth": 2,
                "showCircles": True,
            }
        ],
        "addTooltip": True,
        "detailedTooltip": True,
        "addLegend": True,
        "legendPosition": "right",
        "times": [],
        "addTimeMarker": False,
        "labels": {"show": False},
        "thresholdLine": {"show": False, "value": 10, "width": 1, "style": "full", "color": "#E7664C"},
        "palette": {"type": "palette", "name": "default"},
        "isVislibVis": True,
    }


def volume_by_tone(brand_count: int) -> Visualization:
    date_histogram = Agg(
        "2",
        "date_histogram",
        "segment",
        {
            "field": "published_at",
            "useNormalizedEsInterval": True,
            "scaleMetricValues": False,
            "interval": "auto",
            "drop_partials": False,
            "min_doc_count": 1,
            "extended_bounds": {},
        },
    )
    return Visualization(
        key="volume-by-tone",
        title="Veille — mentions par jour et tonalité envers la marque",
        description="Volume de mentions dans le temps, empilé par marque et tonalité (Velora:negative…).",
        vis_type="histogram",
        # Three tones per brand: every series shows, none folds into "Autres".
        aggs=(COUNT, date_histogram, _terms("3", "brand_labels", 3 * max(brand_count, 1), "group")),
        params=_histogram_params("Mentions"),
    )


def top_sites() -> Visualization:
    return Visualization(
        key="top-sites",
        title="Veille — sites les plus actifs",
        description="Les sites qui parlent le plus des marques sur la période.",
        vis_type="table",
        aggs=(COUNT, _terms("2", "source.domain", 15, "bucket")),
        params={
            "perPage": 15,
            "showPartialRows": False,
            "showMetricsAtAllLevels": False,
            "showTotal": False,
            "totalFunc": "sum",
            "percentageCol": "",
        },
    )


def share_of_voice(brand_count: int) -> Visualization:
    return Visualization(
        key="share-of-voice",
        title="Veille — part de voix",
        description="La part des mentions de chaque marque sur la période (une mention peut en citer deux).",
        vis_type="pie",
        aggs=(COUNT, _terms("2", "brands", max(brand_count, 1), "segment")),
        params={
            "type": "pie",
            "addTooltip": True,
            "addLegend": True,
            "legendPosition": "right",
            "isDonut": True,
            "labels": {"show": True, "values": True, "last_level": True, "truncate": 100},
            "palette": {"type": "palette", "name": "default"},
            "distinctColors": True,
        },
    )


def visualizations(config: Config) -> list[Visualization]:
    return [volume_by_tone(len(config.brands)), share_of_voice(len(config.brands)), top_sites()]
