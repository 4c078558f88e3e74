"""The dashboard's figures, one search per brand: volume and sentiment per day, share of voice
against the configured competitors, top sites and authors with their influence.

Share of voice counts mentions naming each name over the period: the brand through ``brands``,
a competitor through the entity enrichment tags with its canonical name (``entities.canonical``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from elasticsearch import Elasticsearch

from index.names import IndexNames
from index.queries import sentiment_clause

LABELS = ("negative", "neutral", "positive")


@dataclass
class Voice:
    name: str
    count: int
    share: float
    is_brand: bool


@dataclass
class Leader:
    """A top site or author: mentions, how many negative, and the influence enrichment gave it."""

    name: str
    count: int
    negative: int
    influence: float | None = None


@dataclass
class BrandBoard:
    brand: str
    days: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # (dd/mm, label -> count)
    total: int = 0
    voices: list[Voice] = field(default_factory=list)
    sites: list[Leader] = field(default_factory=list)
    authors: list[Leader] = field(default_factory=list)


def brand_board(
    es: Elasticsearch,
    names: IndexNames,
    brand: str,
    competitors: list[str],
    *,
    since: datetime,
    until: datetime,
    tz: ZoneInfo,
) -> BrandBoard:
    period = {"range": {"published_at": {"gte": since.isoformat(), "lt": until.isoformat()}}}
    negative = sentiment_clause("negative", brand)
    leader_aggs = {"neg": {"filter": negative}, "influence": {"max": {"field": "author.influence"}}}
    aggs: dict[str, Any] = {
        "brand": {
            "filter": {"term": {"brands": brand}},
            "aggs": {
                "per_day": {
                    "date_histogram": {
                        "field": "published_at",
                        "calendar_interval": "day",
                        "time_zone": str(tz),
                        "min_doc_count": 0,
                        # ``until`` is excluded: no empty bucket for the day after the period.
                        "extended_bounds": {
                            "min": since.isoformat(),
                            "max": (until - timedelta(milliseconds=1)).isoformat(),
                        },
                    },
                    "aggs": {
                        "sentiment": {
                            "filters": {"filters": {lab: sentiment_clause(lab, brand) for lab in LABELS}}
                        }
                    },
                },
                "sites": {"terms": {"field": "source.domain", "size": 8}, "aggs": leader_aggs},
                "authors": {"terms": {"field": "author.name", "size": 8}, "aggs": leader_aggs},
            },
        },
    }
    if competitors:  # an empty ``filters`` aggregation is an error
        voices = {name: {"term": {"entities.canonical": name}} for name in competitors}
        aggs["voices"] = {"filters": {"filters": voices}}
    response = es.search(
        index=names.alias,
        size=0,
        query={"bool": {"filter": [period]}},
        aggs=aggs,
        ignore_unavailable=True,
        allow_no_indices=True,
    )
    board = BrandBoard(brand)
    result = response.get("aggregations")
    if not result:
        return board
    mine = result["brand"]
    board.total = int(mine["doc_count"])
    for bucket in mine["per_day"]["buckets"]:
        day = datetime.fromisoformat(bucket["key_as_string"].replace("Z", "+00:00")).astimezone(tz)
        counts = {k: int(v["doc_count"]) for k, v in bucket["sentiment"]["buckets"].items()}
        board.days.append((day.strftime("%d/%m"), counts))
    for key, target in (("sites", board.sites), ("authors", board.authors)):
        for b in mine[key]["buckets"]:
            target.append(Leader(str(b["key"]), int(b["doc_count"]), int(b["neg"]["doc_count"]),
                                 b["influence"]["value"]))  # fmt: skip
    counts = {brand: board.total}
    voices = result.get("voices", {}).get("buckets", {})
    counts.update({k: int(v["doc_count"]) for k, v in voices.items()})
    whole = sum(counts.values())
    board.voices = [
        Voice(name, n, n / whole if whole else 0.0, name == brand)
        for name, n in sorted(counts.items(), key=lambda kv: -kv[1])
    ]
    return board


@dataclass
class ResponseTimes:
    """How fast negative mentions were answered (``handled_at`` − ``published_at``)."""

    handled: int = 0
    waiting: int = 0
    median: float | None = None  # hours
    p90: float | None = None
    within_target: float | None = None  # share answered within the target


def response_times(
    es: Elasticsearch, names: IndexNames, brand: str, *, since: datetime, until: datetime, target_hours: float
) -> ResponseTimes:
    """Response times of the negative mentions published in the period (up to 10 000 read; the
    test distribution has no scripts, so the difference is computed here, not in an aggregation)."""
    base = [
        {"term": {"brands": brand}},
        sentiment_clause("negative", brand),
        {"range": {"published_at": {"gte": since.isoformat(), "lt": until.isoformat()}}},
    ]
    response = es.search(
        index=names.alias,
        query={
            "bool": {"filter": [*base, {"term": {"status": "handled"}}, {"exists": {"field": "handled_at"}}]}
        },
        source_includes=["published_at", "handled_at"],
        size=10_000,
        ignore_unavailable=True,
        allow_no_indices=True,
    )
    hours = []
    for hit in response["hits"]["hits"]:
        doc = hit["_source"]
        published = datetime.fromisoformat(doc["published_at"].replace("Z", "+00:00"))
        handled = datetime.fromisoformat(doc["handled_at"].replace("Z", "+00:00"))
        hours.append(max(0.0, (handled - published).total_seconds() / 3600))
    waiting = es.count(
        index=names.alias,
        query={"bool": {"filter": [*base, {"term": {"status": "new"}}]}},
        ignore_unavailable=True,
    )["count"]
    out = ResponseTimes(handled=len(hours), waiting=int(waiting))
    if hours:
        hours.sort()
        out.median = hours[len(hours) // 2]
        out.p90 = hours[min(len(hours) - 1, int(0.9 * len(hours)))]
        out.within_target = sum(1 for h in hours if h <= target_hours) / len(hours)
    return out
