"""The evidence an alert email shows: top mentions with links, top sources, authors and terms.

All bounded reads over the finding's own filter: a few documents (the mentions shown) and
``terms``/``significant_text`` aggregations, never the whole match.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from index.names import IndexNames
from index.queries import MentionFilter, MentionQueries

logger = logging.getLogger(__name__)

SNIPPET_CHARS = 280
OVERFETCH = 4  # read a few more than shown, so near-duplicates can be folded into one line
SHOWN_FIELDS = [
    "id", "url", "title", "snippet", "text", "author", "source", "published_at", "sentiment",
    "brand_sentiments", "rating", "status", "story_id",
]  # fmt: skip


@dataclass
class Evidence:
    total: int = 0
    mentions: list[dict[str, Any]] = field(default_factory=list)
    sites: dict[str, int] = field(default_factory=dict)
    authors: dict[str, int] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)


def shown_mention(doc: dict[str, Any], brand: str | None) -> dict[str, Any]:
    """The fields an email shows of one mention (text cut short; escaping is the template's job)."""
    text = (doc.get("snippet") or doc.get("text") or "").strip()
    if len(text) > SNIPPET_CHARS:
        text = text[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + " …"
    score = None
    for bs in doc.get("brand_sentiments") or []:
        if bs.get("brand") == brand:
            score = bs.get("score")
    if score is None and doc.get("sentiment"):
        score = doc["sentiment"].get("score")
    author = doc.get("author") or {}
    source = doc.get("source") or {}
    return {
        "id": doc.get("id"),
        "url": doc.get("url"),
        "title": doc.get("title") or "(sans titre)",
        "text": text,
        "author": author.get("name") or "anonyme",
        "influence": author.get("influence"),
        "site": source.get("domain") or source.get("name") or "",
        "kind": source.get("kind") or "",
        "published_at": doc.get("published_at"),
        "score": score,
        "rating": (doc.get("rating") or {}).get("value"),
        "status": doc.get("status"),
        "story_id": doc.get("story_id"),
        "duplicates": 0,  # other mentions of the same story (near-duplicates), set by ``gather``
    }


def gather(
    es: Elasticsearch, names: IndexNames, query: dict[str, Any], brand: str | None, *, size: int = 5
) -> Evidence:
    """Evidence for the mentions matching ``query``; a failing part is logged and left empty."""
    queries = MentionQueries(es, names)
    flt = MentionFilter(extra=[query])
    evidence = Evidence()
    try:
        response = es.search(
            index=names.alias,
            query=query,
            size=size * OVERFETCH,
            sort=[
                {"author.influence": {"order": "desc", "missing": "_last"}},
                {"published_at": {"order": "desc"}},
            ],
            source_includes=SHOWN_FIELDS,
            track_total_hits=True,
            ignore_unavailable=True,
        )
        evidence.total = int(response["hits"]["total"]["value"])
        shown = [shown_mention(hit["_source"], brand) for hit in response["hits"]["hits"]]
        evidence.mentions = _one_per_story(shown)[:size]
        _count_duplicates(es, names, query, evidence.mentions)
        evidence.sites = queries.top_sites(flt, size=5)
        evidence.authors = queries.top_authors(flt, size=5)
        evidence.terms = queries.top_terms(flt, size=8)
    except ApiError as exc:
        # The email still goes out with the figures; the missing part is said in the log.
        logger.warning("alert evidence incomplete: %s", exc)
    return evidence


def _one_per_story(mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first mention of each story (a mention without a story stands alone)."""
    seen: set[str] = set()
    kept = []
    for mention in mentions:
        story = mention.get("story_id")
        if story in seen:
            continue
        if story:
            seen.add(story)
        kept.append(mention)
    return kept


def _count_duplicates(
    es: Elasticsearch, names: IndexNames, query: dict[str, Any], mentions: list[dict[str, Any]]
) -> None:
    """Set each shown mention's ``duplicates``: the other matching mentions of its story."""
    stories = [m["story_id"] for m in mentions if m.get("story_id")]
    if not stories:
        return
    response = es.search(
        index=names.alias,
        size=0,
        query={"bool": {"filter": [query, {"terms": {"story_id": stories}}]}},
        aggs={"stories": {"terms": {"field": "story_id", "size": len(stories)}}},
        ignore_unavailable=True,
    )
    counts = {b["key"]: b["doc_count"] for b in response["aggregations"]["stories"]["buckets"]}
    for mention in mentions:
        mention["duplicates"] = max(0, counts.get(mention.get("story_id"), 1) - 1)
