"""What the daily digest says about each brand, read with a few bounded searches per brand.

Last 24 hours against the 24 before, sentiment towards the brand, split by source kind, top
authors and sites, volume and negative share per 24-hour window over 7 days (the last window *is*
the "last 24 h" figure, so the chart and the headline always agree), the fresh bad buzz (negative
stories of the last 24 h still waiting, near-duplicates collapsed with their count), then the
older unanswered negatives, the worst reviews, and the share of voice against competitors.
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
from index.dashboard import Voice, brand_board
from index.names import IndexNames
from index.queries import sentiment_clause

LABELS = ("negative", "neutral", "positive")
WAITING_SHOWN = 10
FRESH_SHOWN = 8  # stories
FRESH_FETCHED = 200  # negative mentions of the last 24 h read to group into stories
REVIEWS_SHOWN = 5
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
    days: list[tuple[str, int, int]] = field(default_factory=list)  # (window end dd/mm, total, negative)
    fresh: list[dict[str, Any]] = field(default_factory=list)  # stories, most repeated first
    fresh_total: int = 0  # negative mentions of the last 24 h still waiting
    waiting: list[dict[str, Any]] = field(default_factory=list)  # older ones, oldest first
    waiting_total: int = 0
    overdue_total: int = 0
    worst_reviews: list[dict[str, Any]] = field(default_factory=list)
    voices: list[Voice] = field(default_factory=list)

    @property
    def unscored(self) -> int:
        """Mentions of the last 24 h without a sentiment yet (so the three labels add up)."""
        return max(0, self.last24 - sum(self.sentiment.values()))

    @property
    def change(self) -> float | None:
        return (self.last24 - self.prev24) / self.prev24 if self.prev24 else None

    @property
    def negative_share(self) -> float | None:
        return self.sentiment.get("negative", 0) / self.last24 if self.last24 else None


def _terms(node: dict[str, Any]) -> dict[str, int]:
    return {str(b["key"]): int(b["doc_count"]) for b in node.get("buckets", [])}


def brand_digest(
    es: Elasticsearch,
    names: IndexNames,
    brand: str,
    now: datetime,
    tz: ZoneInfo,
    target: timedelta,
    competitors: list[str] | None = None,
) -> BrandDigest:
    out = BrandDigest(brand)
    first_day = now - timedelta(days=DAYS)
    start = first_day
    day = now - timedelta(hours=24)
    windows = [
        {
            "key": str(i),
            "from": (now - timedelta(days=i + 1)).isoformat(),
            "to": (now - timedelta(days=i)).isoformat(),
        }
        for i in range(DAYS - 1, -1, -1)
    ]
    aggs: dict[str, Any] = {
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
            "range": {"field": "published_at", "ranges": windows, "keyed": False},
            "aggs": {"neg": {"filter": sentiment_clause("negative", brand)}},
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
        for bucket in result["days"]["buckets"]:
            label = (now - timedelta(days=int(bucket["key"]))).astimezone(tz).strftime("%d/%m")
            out.days.append((label, int(bucket["doc_count"]), int(bucket["neg"]["doc_count"])))
    _fresh(es, names, out, now, target)
    _waiting(es, names, out, now, target)
    _worst_reviews(es, names, out, now)
    if competitors:
        board = brand_board(es, names, brand, competitors, since=first_day, until=now, tz=tz)
        out.voices = board.voices
    return out


def _fresh(es: Elasticsearch, names: IndexNames, out: BrandDigest, now: datetime, target: timedelta) -> None:
    """Negative mentions of the last 24 h still waiting, one entry per story with its size."""
    response = es.search(
        index=names.alias,
        query={"bool": {"filter": [
            {"term": {"brands": out.brand}}, {"term": {"status": "new"}},
            sentiment_clause("negative", out.brand), published_between(now - timedelta(hours=24), now),
        ]}},
        size=FRESH_FETCHED,
        sort=[{"author.influence": {"order": "desc", "missing": "_last"}}, {"published_at": "desc"}],
        source_includes=[*SHOWN_FIELDS, "story_id"],
        track_total_hits=True,
        ignore_unavailable=True,
        allow_no_indices=True,
    )  # fmt: skip
    out.fresh_total = int(response["hits"]["total"]["value"])
    stories: dict[str, dict[str, Any]] = {}
    for hit in response["hits"]["hits"]:
        key = hit["_source"].get("story_id") or hit["_id"]
        if key in stories:
            stories[key]["count"] += 1
            continue
        age = now - parse_time(hit["_source"]["published_at"])
        shown = shown_mention(hit["_source"], out.brand)
        stories[key] = {**shown, "id": hit["_id"], "count": 1, "age": age, "overdue": age > target}
    ranked = sorted(stories.values(), key=lambda s: (-s["count"], -(s["influence"] or 0)))
    out.fresh = ranked[:FRESH_SHOWN]


def _worst_reviews(es: Elasticsearch, names: IndexNames, out: BrandDigest, now: datetime) -> None:
    """Rated reviews of the last 24 h, lowest rating first (then newest): what hurts the average."""
    response = es.search(
        index=names.alias,
        query={"bool": {"filter": [
            {"term": {"brands": out.brand}}, {"exists": {"field": "rating.normalized"}},
            published_between(now - timedelta(hours=24), now),
        ]}},
        size=REVIEWS_SHOWN,
        sort=[{"rating.normalized": "asc"}, {"published_at": "desc"}],
        source_includes=SHOWN_FIELDS,
        ignore_unavailable=True,
        allow_no_indices=True,
    )  # fmt: skip
    for hit in response["hits"]["hits"]:
        rating = hit["_source"].get("rating") or {}
        shown = shown_mention(hit["_source"], out.brand)
        out.worst_reviews.append({**shown, "id": hit["_id"], "stars": stars(rating)})


def stars(rating: dict[str, Any]) -> str:
    """``★★☆☆☆`` for 2 out of 5, whatever the site's scale (shown on five stars)."""
    if rating.get("value") is None:
        return ""
    best, worst, value = (
        float(rating.get("best", 5.0)),
        float(rating.get("worst", 1.0)),
        float(rating["value"]),
    )
    if best <= worst:
        return ""
    filled = round(1 + 4 * (value - worst) / (best - worst))
    return "★" * filled + "☆" * (5 - filled)


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
    # The list shows what waits from before the last 24 h (those are in the fresh bad buzz);
    # the totals count every unanswered negative mention.
    older = {"range": {"published_at": {"lt": (now - timedelta(hours=24)).isoformat()}}}
    with translate_errors(es, "digest waiting mentions"):
        response = es.search(
            index=names.alias,
            query=query,
            size=0,
            track_total_hits=True,
            aggs={
                "overdue": {"filter": {"range": {"published_at": {"lt": (now - target).isoformat()}}}},
                "older": {
                    "filter": older,
                    "aggs": {
                        "shown": {
                            "top_hits": {
                                "size": WAITING_SHOWN,
                                "sort": [{"published_at": "asc"}],
                                "_source": SHOWN_FIELDS,
                            }
                        }
                    },
                },
            },
            ignore_unavailable=True,
            allow_no_indices=True,
        )
    out.waiting_total = int(response["hits"]["total"]["value"])
    out.overdue_total = int(response.get("aggregations", {}).get("overdue", {}).get("doc_count", 0))
    older_hits = response.get("aggregations", {}).get("older", {}).get("shown", {}).get("hits", {})
    for hit in older_hits.get("hits", []):
        shown = shown_mention(hit["_source"], out.brand)
        age = now - parse_time(hit["_source"]["published_at"])
        out.waiting.append({**shown, "id": hit["_id"], "age": age, "overdue": age > target})
