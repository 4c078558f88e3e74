"""The aggregations rules read: window counts, rating averages, matching ids, sources' last mention.

Every query is bounded by ``now`` (so a replay sees only the past) and answered by aggregations
(``date_range`` windows, ``cardinality`` of ``story_id`` so a story counts once, ``min``/``max``,
``avg``, bounded ``top_hits``), never by pulling every document.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from alerts.series import Series
from index.client import translate_errors
from index.names import IndexNames
from index.queries import sentiment_clause, unique_story_aggs

logger = logging.getLogger(__name__)

Windows = Mapping[str, tuple[datetime, datetime]]
# Event rules list at most this many matching mentions per brand and check (newest first).
MAX_EVENT_HITS = 100  # the default index.max_inner_result_window
# Brands per binned-counts search: 4 weeks hourly + 12 h of 5 minutes, twice, stays far below
# the search.max_buckets default (65,536).
BRANDS_PER_SEARCH = 10
# Stories listed per brand when a story counts once in a span (12 h): far above a real brand's.
MAX_STORIES = 10_000


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

    def binned_counts(
        self,
        brands: Sequence[str],
        spans: Mapping[str, tuple[datetime, datetime, timedelta]],
        *,
        negative: bool,
        once: Collection[str] = (),
    ) -> dict[str, dict[str, Series]]:
        """Per brand and span name: counts per bin of ``step`` from ``start`` to ``end``, negative
        ones with the totals beside them when ``negative``. A story (near-duplicates) counts once
        per bin, or once in the whole span for the spans named in ``once`` (in the bin of its first
        mention there). Bins that start before the brand's first mention are ``None``; mentions
        without ``published_at`` fall in no bin."""
        out: dict[str, dict[str, Series]] = {brand: {} for brand in brands}
        for chunk_start in range(0, len(brands), BRANDS_PER_SEARCH):
            chunk = list(brands[chunk_start : chunk_start + BRANDS_PER_SEARCH])
            aggs: dict[str, Any] = {}
            for i, brand in enumerate(chunk):
                sub: dict[str, Any] = {}
                for name, (start, end, step) in spans.items():
                    histogram = (
                        _first_mentions(start, end, step) if name in once else _histogram(start, end, step)
                    )
                    sub[f"all_{name}"] = {"filter": published_between(start, end), "aggs": {"h": histogram}}
                    if negative:
                        sub[f"neg_{name}"] = {
                            "filter": {
                                "bool": {"filter": [published_between(start, end), negative_clause(brand)]}
                            },
                            "aggs": {"h": histogram},
                        }
                aggs[f"b{i}"] = {"filter": {"term": {"brands": brand}}, "aggs": sub}
                aggs[f"first{i}"] = {
                    "global": {},
                    "aggs": {"brand": {"filter": {"term": {"brands": brand}},
                                       "aggs": {"first": {"min": {"field": "published_at"}}}}},
                }  # fmt: skip
            lo = min(s for s, _, _ in spans.values())
            hi = max(e for _, e, _ in spans.values())
            response = self.search(
                size=0,
                query={"bool": {"filter": [{"terms": {"brands": chunk}}, published_between(lo, hi)]}},
                aggs=aggs,
            )
            result = response.get("aggregations", {})
            for i, brand in enumerate(chunk):
                node = result.get(f"first{i}", {}).get("brand", {}).get("first", {})
                first = parse_time(node["value_as_string"]) if node.get("value_as_string") else None
                for name, (start, end, step) in spans.items():
                    all_values = _bins(result.get(f"b{i}", {}).get(f"all_{name}"), start, end, step, first)
                    if negative:
                        neg = _bins(result.get(f"b{i}", {}).get(f"neg_{name}"), start, end, step, first)
                        out[brand][name] = Series(start, step, neg, all_values)
                    else:
                        out[brand][name] = Series(start, step, all_values)
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


def _histogram(start: datetime, end: datetime, step: timedelta, *, stories: bool = True) -> dict[str, Any]:
    seconds = int(step.total_seconds())
    offset = int(start.timestamp()) % seconds  # bins start at ``start``, not at the epoch's grid
    return {
        "date_histogram": {
            "field": "published_at",
            "fixed_interval": f"{seconds}s",
            "offset": f"{offset}s",
            "min_doc_count": 0,
            "hard_bounds": {"min": iso(start), "max": iso(end)},
        },
        **({"aggs": unique_story_aggs()} if stories else {}),
    }


def _first_mentions(start: datetime, end: datetime, step: timedelta) -> dict[str, Any]:
    """Mentions without a story per bin, and each story's first mention in the span."""
    return {
        "filter": {"match_all": {}},
        "aggs": {
            "h": {"filter": {"bool": {"must_not": {"exists": {"field": "story_id"}}}},
                  "aggs": {"h": _histogram(start, end, step, stories=False)}},
            "stories": {"terms": {"field": "story_id", "size": MAX_STORIES},
                        "aggs": {"first": {"min": {"field": "published_at"}}}},
        },
    }  # fmt: skip


def _bins(
    node: dict[str, Any] | None, start: datetime, end: datetime, step: timedelta, first: datetime | None
) -> list[int | None]:
    n = int((end - start) / step)
    values: list[int | None] = [0] * n
    histogram = (node or {}).get("h", {})
    if "stories" in histogram:  # counted once in the span: a story in the bin of its first mention
        for bucket in histogram["stories"].get("buckets", []):
            first_ms = bucket.get("first", {}).get("value")
            index = int((first_ms / 1000 - start.timestamp()) // step.total_seconds()) if first_ms else -1
            if 0 <= index < n:
                values[index] = (values[index] or 0) + 1
        for bucket in histogram.get("h", {}).get("h", {}).get("buckets", []):  # mentions without a story
            index = int((bucket["key"] / 1000 - start.timestamp()) // step.total_seconds())
            if 0 <= index < n:
                values[index] = (values[index] or 0) + int(bucket.get("doc_count", 0))
    else:
        for bucket in histogram.get("buckets", []):
            index = int((bucket["key"] / 1000 - start.timestamp()) // step.total_seconds())
            if 0 <= index < n:
                values[index] = int(bucket.get("stories", {}).get("value", 0)) + int(
                    bucket.get("no_story", {}).get("doc_count", 0)
                )
    for index in range(n):
        if first is None or start + index * step < first:
            values[index] = None  # before the brand's first mention: no data, not zero
    return values
