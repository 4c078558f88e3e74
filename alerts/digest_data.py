"""What the daily digest says about each brand, read with two searches per brand.

Last 24 hours against the 24 before, sentiment towards the brand, split by source kind, top
authors and sites, volume and negative share per local day over 7 days (aggregations), and the
negative mentions still waiting for an answer, oldest first, against the response target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from elasticsearch import Elasticsearch

from alerts.evidence import SHOWN_FIELDS, shown_mention
from alerts.queries import parse_time, published_between
from index.client import translate_errors
from index.names import IndexNames
from index.queries import sentiment_clause

LABELS = ("negative", "neutral", "positive")
WAITING_SHOWN = 10
WAITING_HORIZON = timedelta(days=7)  # older unanswered mentions are a backlog, not today's work
DAYS = 7


@dataclass
class BrandDigest:
    brand: str
    last24: int = 0
    prev24: int = 0
    sentiment: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    authors: dict[str, int] = field(default_factory=dict)
    sites: dict[str, int] = field(default_factory=dict)
    days: list[tuple[str, int, int]] = field(default_factory=list)  # (local day dd/mm, total, negative)
    waiting: list[dict[str, Any]] = field(default_factory=list)
    waiting_total: int = 0
    overdue_total: int = 0

    @property
    def change(self) -> float | None:
        return (self.last24 - self.prev24) / self.prev24 if self.prev24 else None

    @property
    def negative_share(self) -> float | None:
        return self.sentiment.get("negative", 0) / self.last24 if self.last24 else None


def _terms(node: dict[str, Any]) -> dict[str, int]:
    return {str(b["key"]): int(b["doc_count"]) for b in node.get("buckets", [])}


def brand_digest(
    es: Elasticsearch, names: IndexNames, brand: str, now: datetime, tz: ZoneInfo, target: timedelta
) -> BrandDigest:
    out = BrandDigest(brand)
    local_today = now.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    first_day = local_today - timedelta(days=DAYS - 1)
    start = min(first_day, now - timedelta(hours=48))
    day = now - timedelta(hours=24)
    aggs = {
        "last24": {
            "filter": published_between(day, now),
            "aggs": {
                "sentiment": {"filters": {"filters": {lab: sentiment_clause(lab, brand) for lab in LABELS}}},
                "kinds": {"terms": {"field": "source.kind", "size": 10}},
                "authors": {"terms": {"field": "author.name", "size": 5}},
                "sites": {"terms": {"field": "source.domain", "size": 5}},
            },
        },
        "prev24": {"filter": published_between(now - timedelta(hours=48), day)},
        "days": {
            "filter": published_between(first_day, now),
            "aggs": {
                "per_day": {
                    "date_histogram": {
                        "field": "published_at",
                        "calendar_interval": "day",
                        "time_zone": str(tz),
                        "min_doc_count": 0,
                        "extended_bounds": {"min": first_day.isoformat(), "max": now.isoformat()},
                    },
                    "aggs": {"neg": {"filter": sentiment_clause("negative", brand)}},
                }
            },
        },
    }
    with translate_errors(es, "digest figures"):
        response = es.search(
            index=names.alias,
            size=0,
            query={"bool": {"filter": [{"term": {"brands": brand}}, published_between(start, now)]}},
            aggs=aggs,
            ignore_unavailable=True,
            allow_no_indices=True,
        )
    result = response.get("aggregations")
    if result:
        last = result["last24"]
        out.last24, out.prev24 = int(last["doc_count"]), int(result["prev24"]["doc_count"])
        out.sentiment = {k: int(v["doc_count"]) for k, v in last["sentiment"]["buckets"].items()}
        out.kinds, out.authors, out.sites = (
            _terms(last["kinds"]),
            _terms(last["authors"]),
            _terms(last["sites"]),
        )
        for bucket in result["days"]["per_day"]["buckets"]:
            label = parse_time(bucket["key_as_string"]).astimezone(tz).strftime("%d/%m")
            out.days.append((label, int(bucket["doc_count"]), int(bucket["neg"]["doc_count"])))
    _waiting(es, names, out, now, target)
    return out


def _waiting(
    es: Elasticsearch, names: IndexNames, out: BrandDigest, now: datetime, target: timedelta
) -> None:
    query = {
        "bool": {
            "filter": [
                {"term": {"brands": out.brand}},
                {"term": {"status": "new"}},
                sentiment_clause("negative", out.brand),
                published_between(now - WAITING_HORIZON, now),
            ]
        }
    }
    with translate_errors(es, "digest waiting mentions"):
        response = es.search(
            index=names.alias,
            query=query,
            size=WAITING_SHOWN,
            sort=[{"published_at": "asc"}],
            source_includes=SHOWN_FIELDS,
            track_total_hits=True,
            aggs={"overdue": {"filter": {"range": {"published_at": {"lt": (now - target).isoformat()}}}}},
            ignore_unavailable=True,
            allow_no_indices=True,
        )
    out.waiting_total = int(response["hits"]["total"]["value"])
    out.overdue_total = int(response.get("aggregations", {}).get("overdue", {}).get("doc_count", 0))
    for hit in response["hits"]["hits"]:
        shown = shown_mention(hit["_source"], out.brand)
        age = now - parse_time(hit["_source"]["published_at"])
        out.waiting.append({**shown, "age": age, "overdue": age > target})
