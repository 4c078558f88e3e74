"""What the web workspace reads: the urgency-sorted inbox, search with facets and highlights, CSV rows.

Urgency is computed by Elasticsearch with a ``function_score`` made of filters and a field factor
(no script, so it works on the test distribution that lacks painless):

    score = 50 if negative towards the brand (or overall when no brand is chosen)
          + 0.3 × author influence (0–100, so at most 30)
          + 10 once half the response target has passed, + 10 more once it is overdue

so a negative post by an influential author that is already late comes first, then negative ones
by age, then the rest. Rows are grouped by story (near-duplicates): one row, with their count.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch, helpers

from index.names import IndexNames
from index.queries import MentionFilter, sentiment_clause

NEGATIVE_WEIGHT = 50.0
INFLUENCE_FACTOR = 0.3
LATE_WEIGHT = 10.0
INBOX_CANDIDATES = 120  # scored hits grouped into stories; a page shows at most 50 rows
INBOX_FIELDS = [
    "url", "title", "snippet", "text", "source", "author", "published_at", "first_seen_at", "brands",
    "sentiment", "brand_sentiments", "story_id", "status", "handled_at", "assignee", "tags", "note",
    "human_sentiment",
]  # fmt: skip
FACETS = {
    "brand": "brands",
    "source": "source.name",
    "kind": "source.kind",
    "sentiment": "sentiment.label",
    "site": "source.domain",
    "lang": "lang",
}
# Authors number in the tens of thousands: a terms aggregation over every match costs more than
# the rest of the page, so that facet counts among the best-ranked matches only (per shard).
SAMPLED_FACETS = {"author": "author.name"}
FACET_SAMPLE = 500


@dataclass(frozen=True)
class Narrowing:
    """Filters beyond ``MentionFilter`` that the workspace offers (all optional, ANDed)."""

    lang: str | None = None
    assignee: str | None = None
    tag: str | None = None
    site: str | None = None
    author: str | None = None
    mention_id: str | None = None  # links from emails open one mention in the inbox

    def clauses(self) -> list[dict[str, Any]]:
        pairs = [
            ("lang", self.lang),
            ("assignee", self.assignee),
            ("tags", self.tag),
            ("source.domain", self.site),
            ("author.name", self.author),
        ]
        out: list[dict[str, Any]] = [{"term": {name: value}} for name, value in pairs if value]
        if self.mention_id:
            out.append({"ids": {"values": [self.mention_id]}})
        return out


@dataclass
class InboxRow:
    doc: dict[str, Any]
    score: float
    age: timedelta
    overdue: bool
    reasons: list[str]
    duplicates: int = 0  # other mentions of the same story waiting too
    label: str | None = None  # sentiment towards the brand (or overall)


@dataclass
class InboxPage:
    rows: list[InboxRow] = field(default_factory=list)
    total: int = 0
    overdue: int = 0


def _with(flt: MentionFilter, more: Narrowing) -> MentionFilter:
    return replace(flt, extra=[*flt.extra, *more.clauses()])


def _label(doc: dict[str, Any], brand: str | None) -> str | None:
    label: Any = None
    for bs in doc.get("brand_sentiments") or []:
        if brand is None or bs.get("brand") == brand:
            label = bs.get("label")
            break
    if label is None:
        label = (doc.get("sentiment") or {}).get("label")
    return None if label is None else str(label)


def inbox(
    es: Elasticsearch,
    names: IndexNames,
    flt: MentionFilter,
    more: Narrowing,
    *,
    now: datetime,
    target: timedelta,
    size: int = 50,
) -> InboxPage:
    """Mentions matching ``flt`` (its ``status``: ``new`` for the waiting ones), most urgent first."""
    flt = replace(flt, until=flt.until or now)
    query = _with(flt, more).to_query()
    late, half = (now - target).isoformat(), (now - target / 2).isoformat()
    functions = [
        {"filter": sentiment_clause("negative", flt.brand), "weight": NEGATIVE_WEIGHT},
        {
            "field_value_factor": {
                "field": "author.influence",
                "factor": INFLUENCE_FACTOR,
                "missing": 0,
            }
        },
        {"filter": {"range": {"published_at": {"lt": half}}}, "weight": LATE_WEIGHT},
        {"filter": {"range": {"published_at": {"lt": late}}}, "weight": LATE_WEIGHT},
    ]
    response = es.search(
        index=names.alias,
        query={
            "function_score": {
                "query": query,
                "functions": functions,
                "score_mode": "sum",
                "boost_mode": "replace",
            }
        },
        sort=[{"_score": "desc"}, {"published_at": "asc"}],
        size=INBOX_CANDIDATES,
        source_includes=INBOX_FIELDS,
        track_total_hits=True,
        aggs={"overdue": {"filter": {"range": {"published_at": {"lt": late}}}}},
        ignore_unavailable=True,
        allow_no_indices=True,
    )
    page = InboxPage(
        total=int(response["hits"]["total"]["value"]),
        overdue=int(response.get("aggregations", {}).get("overdue", {}).get("doc_count", 0)),
    )
    by_story: dict[str, InboxRow] = {}
    for hit in response["hits"]["hits"]:
        doc = hit["_source"]
        story = doc.get("story_id") or hit["_id"]
        if story in by_story:
            by_story[story].duplicates += 1
            continue
        # An undated post (the site shows no date) waits since Veille first saw it.
        when = doc.get("published_at") or doc.get("first_seen_at") or now.isoformat()
        published = datetime.fromisoformat(when.replace("Z", "+00:00"))
        age = now - published
        label = _label(doc, flt.brand)
        influence = (doc.get("author") or {}).get("influence")
        reasons = []
        if label == "negative":
            reasons.append("négatif")
        if influence:
            reasons.append(f"influence {round(influence)}")
        if age > target:
            reasons.append("hors délai")
        row = InboxRow({**doc, "id": hit["_id"]}, float(hit["_score"] or 0), age, age > target, reasons)
        row.label = label
        by_story[story] = row
    page.rows = list(by_story.values())[:size]
    return page


@dataclass
class SearchPage:
    hits: list[dict[str, Any]] = field(default_factory=list)  # documents + "highlight" (escaped HTML)
    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def search(
    es: Elasticsearch,
    names: IndexNames,
    flt: MentionFilter,
    more: Narrowing,
    *,
    page: int = 1,
    size: int = 20,
) -> SearchPage:
    """One page of matches (relevance first when there is a query, else newest), with facets and
    highlighted fragments (HTML-escaped by Elasticsearch, ``<mark>`` around the matched words)."""
    sort: list[Any] = (
        [{"_score": "desc"}, {"published_at": "desc"}] if flt.query else [{"published_at": "desc"}]
    )
    response = es.search(
        index=names.alias,
        query=_with(flt, more).to_query(),
        sort=sort,
        from_=max(0, (page - 1) * size),
        size=size,
        track_total_hits=True,
        highlight={
            "encoder": "html",
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "fields": {"title": {"number_of_fragments": 0}, "text": {"fragment_size": 160}},
        },
        aggs={
            **{name: {"terms": {"field": path, "size": 8}} for name, path in FACETS.items()},
            "sample": {
                "sampler": {"shard_size": FACET_SAMPLE},
                "aggs": {
                    name: {"terms": {"field": path, "size": 8}} for name, path in SAMPLED_FACETS.items()
                },
            },
        },
        ignore_unavailable=True,
        allow_no_indices=True,
    )
    out = SearchPage(total=int(response["hits"]["total"]["value"]))
    for hit in response["hits"]["hits"]:
        out.hits.append({**hit["_source"], "id": hit["_id"], "highlight": hit.get("highlight", {})})
    aggs = response.get("aggregations", {})
    sample = aggs.get("sample", {})
    for name in [*FACETS, *SAMPLED_FACETS]:
        buckets = (aggs if name in FACETS else sample).get(name, {}).get("buckets", [])
        out.facets[name] = {str(b["key"]): int(b["doc_count"]) for b in buckets}
    return out


CSV_COLUMNS = (
    "id",
    "published_at",
    "brands",
    "source",
    "site",
    "author",
    "sentiment",
    "status",
    "title",
    "url",
)


def _cell(value: str) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: such mention text is quoted."""
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def export_rows(
    es: Elasticsearch, names: IndexNames, flt: MentionFilter, more: Narrowing, *, limit: int = 10_000
) -> Iterator[list[str]]:
    """CSV rows (header first) of every match, streamed with a scroll, at most ``limit``."""
    yield list(CSV_COLUMNS)
    scan = helpers.scan(
        es,
        index=names.alias,
        query={"query": _with(flt, more).to_query()},
        _source=["published_at", "brands", "source", "author", "sentiment", "status", "title", "url"],
        ignore_unavailable=True,
    )
    for n, hit in enumerate(scan):
        if n >= limit:
            break
        doc = hit["_source"]
        row = [
            hit["_id"],
            doc.get("published_at") or "",
            " ".join(doc.get("brands") or []),
            (doc.get("source") or {}).get("name", ""),
            (doc.get("source") or {}).get("domain", ""),
            (doc.get("author") or {}).get("name") or "",
            (doc.get("sentiment") or {}).get("label", ""),
            doc.get("status") or "",
            doc.get("title") or "",
            doc.get("url") or "",
        ]
        yield [_cell(str(v)) for v in row]
