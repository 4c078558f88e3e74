"""The team's workflow on stored mentions: assign, tag, mark handled with a note, correct sentiment.

A sentiment correction (``human_sentiment``) is the store behind ``veille label`` and the web
inbox. The human verdict is kept in its own field *and* written into the fields every count reads
(``sentiment.label``, ``brand_sentiments``, ``brand_labels``), so alerts and the digest count the
corrected label with no change to their queries. The indexer re-applies stored verdicts to every
re-crawled or re-enriched copy (``apply_verdicts``), so a correction survives them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError, helpers

from index.names import IndexNames

logger = logging.getLogger(__name__)

LABELS = ("positive", "neutral", "negative")
# Written by people, never by collection or enrichment: a re-index leaves them alone.
WORKFLOW_FIELDS = frozenset({"status", "handled_at", "assignee", "tags", "note", "human_sentiment"})
HUMAN_MODEL = "human"


def apply_verdicts(doc: dict[str, Any], verdicts: list[dict[str, Any]]) -> dict[str, Any]:
    """``doc`` (a whole or partial mention document) with the human verdicts written into the
    sentiment fields the counts read; later verdicts for the same target win."""
    if not verdicts:
        return doc
    out = dict(doc)
    by_brand = [dict(bs) for bs in out.get("brand_sentiments") or []]
    for verdict in verdicts:
        label, brand = verdict["label"], verdict.get("brand")
        if brand is None:
            out["sentiment"] = {"label": label, "score": _score(label), "model": HUMAN_MODEL}
            continue
        for bs in by_brand:
            if bs.get("brand") == brand:
                bs.update(label=label, score=_score(label), model=HUMAN_MODEL)
                break
        else:
            by_brand.append({"brand": brand, "label": label, "score": _score(label), "model": HUMAN_MODEL})
    out["brand_sentiments"] = by_brand
    out["brand_labels"] = [f"{bs['brand']}:{bs['label']}" for bs in by_brand]
    return out


def _score(label: str) -> float:
    return {"positive": 1.0, "neutral": 0.0, "negative": -1.0}[label]


class Workflow:
    """Reads and writes the workflow fields of mentions through the read alias (any month)."""

    def __init__(self, es: Elasticsearch, names: IndexNames) -> None:
        self.es = es
        self.names = names

    def get(self, doc_id: str) -> tuple[str, dict[str, Any]] | None:
        """(index, source) of one mention, or None."""
        response = self.es.search(
            index=self.names.alias,
            query={"ids": {"values": [doc_id]}},
            size=1,
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        hits = response["hits"]["hits"]
        return (hits[0]["_index"], hits[0]["_source"]) if hits else None

    def update(self, doc_id: str, fields: dict[str, Any]) -> bool:
        """Write ``fields`` (workflow ones) on a mention; False when no mention has that id."""
        found = self.get(doc_id)
        if found is None:
            return False
        try:
            self.es.update(index=found[0], id=doc_id, doc=fields, refresh=True)
        except NotFoundError:
            return False
        return True

    def assign(self, doc_id: str, assignee: str | None) -> bool:
        return self.update(doc_id, {"assignee": assignee or None})

    def set_tags(self, doc_id: str, tags: list[str]) -> bool:
        clean = sorted({t.strip() for t in tags if t.strip()})
        return self.update(doc_id, {"tags": clean})

    def mark_handled(self, doc_id: str, when: datetime, note: str | None = None) -> bool:
        fields = {"status": "handled", "handled_at": when.isoformat(), "note": note or None}
        return self.update(doc_id, fields)

    def reopen(self, doc_id: str) -> bool:
        return self.update(doc_id, {"status": "new", "handled_at": None})

    def correct(
        self, doc_id: str, label: str, *, brand: str | None, by: str, when: datetime
    ) -> dict[str, Any] | None:
        """Record a person's sentiment verdict; returns the updated document, None if not found."""
        if label not in LABELS:
            raise ValueError(f"unknown sentiment {label!r}; expected one of {', '.join(LABELS)}")
        found = self.get(doc_id)
        if found is None:
            return None
        index, doc = found
        if brand is not None and brand not in (doc.get("brands") or []):
            raise ValueError(f"mention {doc_id} is not about brand {brand!r} (it names {doc.get('brands')})")
        before = _current_label(doc, brand)
        verdicts = [v for v in doc.get("human_sentiment") or [] if v.get("brand") != brand]
        verdicts.append(
            {"label": label, "brand": brand, "by": by, "at": when.isoformat(), "model_label": before}
        )
        updated = apply_verdicts({**doc, "human_sentiment": verdicts}, verdicts)
        fields = {k: updated[k] for k in ("sentiment", "brand_sentiments", "brand_labels", "human_sentiment")}
        self.es.update(index=index, id=doc_id, doc=fields, refresh=True)
        logger.info("sentiment of %s set to %s (brand %s) by %s", doc_id, label, brand, by)
        return {**doc, **fields}

    def corrections(self) -> Iterator[dict[str, Any]]:
        """Every correction as a training example: ``text``, ``label``, and ``lang``/``brand`` if known."""
        for hit in helpers.scan(
            self.es,
            index=self.names.alias,
            query={"query": {"exists": {"field": "human_sentiment.label"}}},
            _source=["title", "text", "lang", "human_sentiment"],
            ignore_unavailable=True,
        ):
            doc = hit["_source"]
            text = "\n".join(p for p in (doc.get("title"), doc.get("text")) if p)
            for verdict in doc.get("human_sentiment") or []:
                row: dict[str, Any] = {"text": text, "label": verdict["label"]}
                if doc.get("lang"):
                    row["lang"] = doc["lang"]
                if verdict.get("brand"):
                    row["brand"] = verdict["brand"]
                yield row


def _current_label(doc: dict[str, Any], brand: str | None) -> str | None:
    label: Any = None
    if brand is not None:
        label = next(
            (bs.get("label") for bs in doc.get("brand_sentiments") or [] if bs.get("brand") == brand), None
        )
    if label is None:
        label = (doc.get("sentiment") or {}).get("label")
    return None if label is None else str(label)
