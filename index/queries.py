"""The queries alerts, digests and ``veille search`` need, answered by ES aggregations.

Counts never pull documents: date histograms, ``terms`` and ``filters`` aggregations, and a
``cardinality`` of ``story_id`` when a story (near-duplicate group) must count once. Sentiment
"towards the brand" uses ``brand_labels`` ("Velora:negative"); a mention without per-brand
sentiment falls back to its overall label.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch

from index import search_syntax
from index.client import translate_errors
from index.names import IndexNames
from index.stopwords import STOPWORDS

HIGHLIGHT_FIELDS = ("text.fr", "text.en", "text.folded", "text", "title.fr", "title.folded", "title")


@dataclass(frozen=True)
class MentionFilter:
    """What to count or list; every field is optional and they combine with AND."""

    brand: str | None = None
    sentiment: str | None = None  # positive | neutral | negative (towards the brand if brand is set)
    since: datetime | None = None
    until: datetime | None = None
    source_kind: str | None = None
    source_name: str | None = None
    query: str | None = None  # search-box syntax (index.search_syntax): words, "phrases", OR, -word, pre*
    status: str | None = None
    extra: list[dict[str, Any]] = field(default_factory=list)  # raw ES clauses, ANDed

    def to_query(self) -> dict[str, Any]:
        clauses: list[dict[str, Any]] = list(self.extra)
        if self.brand:
            clauses.append({"term": {"brands": self.brand}})
        if self.sentiment:
            clauses.append(sentiment_clause(self.sentiment, self.brand))
        if self.since or self.until:
            bounds: dict[str, str] = {}
            if self.since:
                bounds["gte"] = self.since.isoformat()
            if self.until:
                bounds["lt"] = self.until.isoformat()
            clauses.append({"range": {"published_at": bounds}})
        if self.source_kind:
            clauses.append({"term": {"source.kind": self.source_kind}})
        if self.source_name:
            clauses.append({"term": {"source.name": self.source_name}})
        if self.status:
            clauses.append({"term": {"status": self.status}})
        text_query = search_syntax.to_query(self.query) if self.query else None
        if text_query:
            clauses.append(text_query)
        return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


@dataclass(frozen=True)
class Hit:
    """One matching mention's document and its highlighted fragments (``<em>`` around matches)."""

    source: dict[str, Any]
    fragments: list[str]


def sentiment_clause(label: str, brand: str | None) -> dict[str, Any]:
    if brand is None:
        return {"term": {"sentiment.label": label}}
    return {
        "bool": {
            "should": [
                {"term": {"brand_labels": f"{brand}:{label}"}},
                {
                    "bool": {
                        "filter": [{"term": {"sentiment.label": label}}],
                        "must_not": [{"prefix": {"brand_labels": f"{brand}:"}}],
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }


class MentionQueries:
    """Read side of the mentions alias."""

    def __init__(self, es: Elasticsearch, names: IndexNames) -> None:
        self.es = es
        self.names = names

    def _search(self, **body: Any) -> dict[str, Any]:
        with translate_errors(self.es, "search"):
            return dict(
                self.es.search(index=self.names.alias, ignore_unavailable=True, allow_no_indices=True, **body)
            )

    def count(self, flt: MentionFilter, *, unique_stories: bool = False) -> int:
        if not unique_stories:
            with translate_errors(self.es, "count"):
                counted = self.es.count(index=self.names.alias, query=flt.to_query(), ignore_unavailable=True)
            return int(counted["count"])
        response = self._search(size=0, query=flt.to_query(), aggs=unique_story_aggs())
        return unique_count(response["aggregations"])

    def histogram(
        self,
        flt: MentionFilter,
        *,
        interval: str,
        start: datetime,
        end: datetime,
        unique_stories: bool = False,
    ) -> list[tuple[datetime, int]]:
        """Counts per ``interval`` bucket ("1h", "1d"…) from ``start`` to ``end``, empty ones included."""
        aggs: dict[str, Any] = {
            "buckets": {
                "date_histogram": {
                    "field": "published_at",
                    "fixed_interval": interval,
                    "min_doc_count": 0,
                    # The last bucket is the one ending at ``end`` (``until`` excludes ``end``).
                    "extended_bounds": {
                        "min": start.isoformat(),
                        "max": (end - timedelta(milliseconds=1)).isoformat(),
                    },
                    "offset": _offset(start, interval),
                },
            }
        }
        if unique_stories:
            aggs["buckets"]["aggs"] = unique_story_aggs()
        bounded = replace(flt, since=start, until=end)
        response = self._search(size=0, query=bounded.to_query(), aggs=aggs)
        if "aggregations" not in response:
            return []
        out = []
        for bucket in response["aggregations"]["buckets"]["buckets"]:
            when = datetime.fromisoformat(bucket["key_as_string"].replace("Z", "+00:00"))
            out.append((when, unique_count(bucket) if unique_stories else bucket["doc_count"]))
        return out

    def counts_by(self, field_name: str, flt: MentionFilter, *, size: int = 20) -> dict[str, int]:
        """Mention count per value of a keyword field (``brands``, ``sentiment.label``, ``source.kind``…)."""
        response = self._search(
            size=0, query=flt.to_query(), aggs={"by": {"terms": {"field": field_name, "size": size}}}
        )
        buckets = response.get("aggregations", {}).get("by", {}).get("buckets", [])
        return {str(b["key"]): int(b["doc_count"]) for b in buckets}

    def crosstab(
        self, row_field: str, column_field: str, flt: MentionFilter, *, size: int = 50
    ) -> dict[str, dict[str, int]]:
        """Counts per (row value, column value), e.g. per source and sentiment, in one aggregation."""
        response = self._search(
            size=0,
            query=flt.to_query(),
            aggs={
                "rows": {
                    "terms": {"field": row_field, "size": size},
                    "aggs": {"columns": {"terms": {"field": column_field, "size": 20}}},
                }
            },
        )
        rows = response.get("aggregations", {}).get("rows", {}).get("buckets", [])
        return {
            str(row["key"]): {str(col["key"]): int(col["doc_count"]) for col in row["columns"]["buckets"]}
            for row in rows
        }

    def top_authors(self, flt: MentionFilter, *, size: int = 10) -> dict[str, int]:
        return self.counts_by("author.name", flt, size=size)

    def top_sites(self, flt: MentionFilter, *, size: int = 10) -> dict[str, int]:
        return self.counts_by("source.domain", flt, size=size)

    def top_terms(self, flt: MentionFilter, *, size: int = 10) -> list[str]:
        """Words that stand out in the matching mentions against the whole index (significant_text)."""
        response = self._search(
            size=0,
            query=flt.to_query(),
            aggs={
                "sample": {
                    "sampler": {"shard_size": 500},
                    "aggs": {
                        "terms": {
                            "significant_text": {
                                "field": "text",
                                "size": size,
                                "filter_duplicate_text": True,
                                "exclude": sorted(STOPWORDS),
                            }
                        }
                    },
                }
            },
        )
        buckets = response.get("aggregations", {}).get("sample", {}).get("terms", {}).get("buckets", [])
        return [str(b["key"]) for b in buckets]

    def average(self, field_name: str, flt: MentionFilter) -> tuple[float | None, int]:
        """(average of a numeric field, how many mentions had it)."""
        response = self._search(
            size=0,
            query=flt.to_query(),
            aggs={"avg": {"avg": {"field": field_name}}, "n": {"value_count": {"field": field_name}}},
        )
        aggs = response.get("aggregations", {})
        return aggs.get("avg", {}).get("value"), int(aggs.get("n", {}).get("value", 0))

    def latest(
        self, flt: MentionFilter, *, size: int = 20, sort: str = "published_at"
    ) -> list[dict[str, Any]]:
        """The newest matching mentions' documents (``sort`` field descending)."""
        response = self._search(size=size, query=flt.to_query(), sort=[{sort: "desc"}])
        return [hit["_source"] for hit in response["hits"]["hits"]]

    def matching(self, flt: MentionFilter, *, size: int = 20) -> list[Hit]:
        """The newest matching mentions with highlighted fragments of the words searched for."""
        body: dict[str, Any] = {"size": size, "query": flt.to_query(), "sort": [{"published_at": "desc"}]}
        text_query = search_syntax.to_query(flt.query) if flt.query else None
        if text_query:
            body["highlight"] = {
                "highlight_query": text_query,
                "fields": {name: {} for name in HIGHLIGHT_FIELDS},
                "fragment_size": 140,
                "number_of_fragments": 2,
                "no_match_size": 0,
            }
        response = self._search(**body)
        return [Hit(hit["_source"], _fragments(hit.get("highlight", {}))) for hit in response["hits"]["hits"]]


def _fragments(highlight: dict[str, list[str]]) -> list[str]:
    # The same words are highlighted in several sub-fields: keep the first field that has any.
    for name in HIGHLIGHT_FIELDS:
        if highlight.get(name):
            return list(highlight[name])
    return []


def unique_story_aggs() -> dict[str, Any]:
    """Sub-aggregations counting a story (near-duplicate group) once; read them with ``unique_count``."""
    # Mentions without a story id count one each; those with one count once per story.
    return {
        "stories": {"cardinality": {"field": "story_id", "precision_threshold": 3000}},
        "no_story": {"missing": {"field": "story_id"}},
    }


def unique_count(aggs: dict[str, Any]) -> int:
    """Stories plus mentions without a story, from the buckets of ``unique_story_aggs``."""
    return int(aggs["stories"]["value"]) + int(aggs["no_story"]["doc_count"])


def _offset(start: datetime, interval: str) -> str:
    """Align buckets on ``start`` rather than on the epoch, so the last bucket ends at ``end``."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    size = int(interval[:-1]) * units[interval[-1]]
    seconds = int(start.timestamp()) % size
    return f"{seconds}s"
