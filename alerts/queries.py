"""The aggregations rules read: window counts, rating averages, matching ids, sources' last mention.

Every query is bounded by ``now`` (so a replay sees only the past) and answered by aggregations
(``date_range`` windows, ``cardinality`` of ``story_id`` so a story counts once, ``min``/``max``,
``avg``, bounded ``top_hits``), never by pulling every document.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from index.client import translate_errors
from index.names import IndexNames
from index.queries import sentiment_clause, unique_count, unique_story_aggs

logger = logging.getLogger(__name__)

Windows = Mapping[str, tuple[datetime, datetime]]
# Event rules list at most this many matching mentions per brand and check (newest first).
MAX_EVENT_HITS = 100  # the default index.max_inner_result_window


def iso(when: datetime) -> str:
    return when.isoformat()


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def published_between(start: datetime, end: datetime) -> dict[str, Any]:
    return {"range": {"published_at": {"gte": iso(start), "lt": iso(end)}}}


def negative_clause(brand: str) -> dict[str, Any]:
    """Negative towards ``brand`` (or negative overall when no per-brand sentiment was computed)."""
    return sentiment_clause("negative", brand)


class AlertQueries:
    """Read-only aggregations over the mentions alias, for the rule types."""

    def __init__(self, es: Elasticsearch, names: IndexNames) -> None:
        self.es = es
        self.names = names

    def search(self, **body: Any) -> dict[str, Any]:
        try:
            with translate_errors(self.es, "alert query"):
                return dict(
                    self.es.search(
                        index=self.names.alias, ignore_unavailable=True, allow_no_indices=True, **body
                    )
                )
        except ApiError as exc:
            if exc.meta.status == 404:  # no mentions index yet: nothing to count
                return {}
            raise

    def window_counts(
        self, brands: Sequence[str], windows: Windows, *, negative: bool
    ) -> dict[str, dict[str, dict[str, int | None]]]:
        """Per brand: ``{"all": {window: count}, "neg": {...}}`` (``neg`` only when ``negative``).

        A window that starts before the brand's first indexed mention is ``None``: no data is not
        zero, and a baseline of zeros would make a new install fire.
        """
        start = min(s for s, _ in windows.values())
        end = max(e for _, e in windows.values())
        ranges = [{"key": key, "from": iso(s), "to": iso(e)} for key, (s, e) in windows.items()]
        by_window = {"date_range": {"field": "published_at", "ranges": ranges, "keyed": True}}
        aggs: dict[str, Any] = {}
        for i, brand in enumerate(brands):
            sub: dict[str, Any] = {"windows": {**by_window, "aggs": unique_story_aggs()}}
            if negative:
                sub["neg"] = {
                    "filter": negative_clause(brand),
                    "aggs": {"windows": {**by_window, "aggs": unique_story_aggs()}},
                }
            aggs[f"b{i}"] = {"filter": {"term": {"brands": brand}}, "aggs": sub}
            aggs[f"first{i}"] = {
                "global": {},
                "aggs": {
                    "brand": {
                        "filter": {"term": {"brands": brand}},
                        "aggs": {"first": {"min": {"field": "published_at"}}},
                    }
                },
            }
        response = self.search(
            size=0,
            query={"bool": {"filter": [{"terms": {"brands": list(brands)}}, published_between(start, end)]}},
            aggs=aggs,
        )
        result = response.get("aggregations", {})
        out: dict[str, dict[str, dict[str, int | None]]] = {}
        for i, brand in enumerate(brands):
            first_value = result.get(f"first{i}", {}).get("brand", {}).get("first", {}).get("value_as_string")
            first = parse_time(first_value) if first_value else None
            node = result.get(f"b{i}", {})
            out[brand] = {"all": _window_values(node.get("windows"), windows, first)}
            if negative:
                out[brand]["neg"] = _window_values(node.get("neg", {}).get("windows"), windows, first)
        return out

    def rating_averages(
        self, brands: Sequence[str], periods: Windows
    ) -> dict[str, dict[str, tuple[float | None, int]]]:
        """Per brand and period: (average normalised rating 0..1, number of rated mentions)."""
        start = min(s for s, _ in periods.values())
        end = max(e for _, e in periods.values())
        ranges = [{"key": key, "from": iso(s), "to": iso(e)} for key, (s, e) in periods.items()]
        aggs = {
            f"b{i}": {
                "filter": {"term": {"brands": brand}},
                "aggs": {
                    "periods": {
                        "date_range": {"field": "published_at", "ranges": ranges, "keyed": True},
                        "aggs": {"avg": {"avg": {"field": "rating.normalized"}}},
                    }
                },
            }
            for i, brand in enumerate(brands)
        }
        query = {
            "bool": {
                "filter": [
                    {"terms": {"brands": list(brands)}},
                    {"exists": {"field": "rating.normalized"}},
                    published_between(start, end),
                ]
            }
        }
        result = self.search(size=0, query=query, aggs=aggs).get("aggregations", {})
        out: dict[str, dict[str, tuple[float | None, int]]] = {}
        for i, brand in enumerate(brands):
            buckets = result.get(f"b{i}", {}).get("periods", {}).get("buckets", {})
            out[brand] = {}
            for key in periods:
                bucket = buckets.get(key, {})
                out[brand][key] = (bucket.get("avg", {}).get("value"), int(bucket.get("doc_count", 0)))
        return out

    def matching_mentions(
        self, brands: Sequence[str], clause_for: Any, start: datetime, end: datetime
    ) -> dict[str, dict[str, str]]:
        """Per brand, the newest mentions (id -> published_at) matching ``clause_for(brand)``."""
        aggs = {
            f"b{i}": {
                "filter": {"bool": {"filter": [{"term": {"brands": brand}}, clause_for(brand)]}},
                "aggs": {
                    "hits": {
                        "top_hits": {
                            "size": MAX_EVENT_HITS,
                            "sort": [{"published_at": "desc"}],
                            "_source": ["published_at"],
                        }
                    }
                },
            }
            for i, brand in enumerate(brands)
        }
        query = {"bool": {"filter": [{"terms": {"brands": list(brands)}}, published_between(start, end)]}}
        result = self.search(size=0, query=query, aggs=aggs).get("aggregations", {})
        out: dict[str, dict[str, str]] = {}
        for i, brand in enumerate(brands):
            hits = result.get(f"b{i}", {}).get("hits", {}).get("hits", {}).get("hits", [])
            out[brand] = {hit["_id"]: hit["_source"]["published_at"] for hit in hits}
        return out

    def sources_last_seen(self, sources: Iterable[str], until: datetime) -> dict[str, datetime | None]:
        """When each source last yielded a mention (``first_seen_at``), None if never, up to ``until``."""
        names = sorted(set(sources))
        if not names:
            return {}
        response = self.search(
            size=0,
            query={
                "bool": {
                    "filter": [
                        {"terms": {"source.name": names}},
                        {"range": {"first_seen_at": {"lt": iso(until)}}},
                    ]
                }
            },
            aggs={
                "by": {
                    "terms": {"field": "source.name", "size": len(names)},
                    "aggs": {"last": {"max": {"field": "first_seen_at"}}},
                }
            },
        )
        seen: dict[str, datetime | None] = dict.fromkeys(names)
        for bucket in response.get("aggregations", {}).get("by", {}).get("buckets", []):
            value = bucket["last"].get("value_as_string")
            seen[str(bucket["key"])] = parse_time(value) if value else None
        return seen


def _window_values(
    node: dict[str, Any] | None, windows: Windows, first: datetime | None
) -> dict[str, int | None]:
    buckets = (node or {}).get("buckets", {})
    values: dict[str, int | None] = {}
    for key, (start, _end) in windows.items():
        if key != "cur" and (first is None or start < first):
            values[key] = None
            continue
        bucket = buckets.get(key, {})
        values[key] = unique_count(bucket) if bucket else 0
    return values
