"""Erasure beyond the index: the copies of forgotten mentions in emails and alert documents.

An alert or digest email quotes mentions (text, author, link), and Veille keeps copies of what it
sends: the mail queue (the message itself, until it is sent and for a month after), the outbox
(.eml files, with the file transport) and the alerts index (a notification waiting to be queued
inside its rule's state document; the ids of the mentions behind each alert in its history).

``erase_copies`` removes what quotes a forgotten mention from all of those:

- a message not sent yet (queued, waiting for a retry, or refused) is withdrawn: it will not
  be sent; the alert itself stays in the alerts index and on the dashboard;
- the stored copy of a message already sent is deleted. The delivered email cannot be recalled
  from the recipients' mailboxes: the count says how many there were;
- outbox files quoting the mention are deleted; a pending notification in a state document is
  withdrawn; the forgotten ids are removed from the alerts' history.

A copy quotes a mention when its text (every text part of an email, decoded, HTML entities
resolved) holds the mention's URL or id, or, when erasing by author, the author's name as a word.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from alerts.outgoing import mail_queue
from core.config import LoadedConfig
from index.names import IndexNames

logger = logging.getLogger(__name__)

UNSENT = ("pending", "uncertain", "dead")  # "uncertain" may have arrived: it is not resent either
SENT = ("sent", "sending")  # "sending": being delivered by a flush right now


@dataclass
class Traces:
    """What identifies the forgotten mentions in a copy."""

    ids: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # authors, when erasing by author

    def __bool__(self) -> bool:
        return bool(self.ids or self.urls or self.names)

    def found_in(self, text: str) -> bool:
        if any(token in text for token in (*self.ids, *self.urls)):
            return True
        return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in self.names)


def erase_copies(loaded: LoadedConfig, es: Elasticsearch | None, traces: Traces) -> dict[str, int]:
    """Withdraw or delete every stored copy quoting the forgotten mentions; counts per place."""
    counts = {
        "unsent emails withdrawn": 0,
        "copies of sent emails deleted": 0,
        "outbox files deleted": 0,
        "pending alert notifications withdrawn": 0,
        "alert records cleaned": 0,
    }
    if not traces:
        return counts
    with mail_queue(loaded) as queue:
        for msg_id, state, payload in queue.rows():
            if traces.found_in(email_text(payload)) and queue.remove(msg_id, state):
                key = "unsent emails withdrawn" if state in UNSENT else "copies of sent emails deleted"
                counts[key] += 1
    counts["outbox files deleted"] = _erase_outbox(loaded.outbox_dir, traces)
    if es is not None:
        names = IndexNames(loaded.config.elasticsearch.index_prefix)
        pending, records = _erase_alert_docs(es, names.alerts, traces)
        counts["pending alert notifications withdrawn"] = pending
        counts["alert records cleaned"] = records
    return counts


def email_text(payload: bytes) -> str:
    """Every text part of a message, decoded, HTML entities resolved, and its headers."""
    msg = BytesParser(policy=policy.default).parsebytes(payload)
    parts = [f"{key}: {value}" for key, value in msg.items()]
    for part in msg.walk():
        if part.get_content_maintype() != "text":
            continue
        try:
            text = part.get_content()
        except (LookupError, ValueError):  # an unknown charset: read what can be read
            raw = part.get_payload(decode=True)
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""
        parts.append(html.unescape(text) if part.get_content_subtype() == "html" else text)
    return "\n".join(parts)


def _erase_outbox(outbox: Path, traces: Traces) -> int:
    count = 0
    if outbox.is_dir():
        for path in sorted(outbox.glob("*.eml")):
            try:
                if traces.found_in(email_text(path.read_bytes())):
                    path.unlink()
                    count += 1
            except FileNotFoundError:  # sent away or pruned meanwhile
                continue
    return count


def _erase_alert_docs(es: Elasticsearch, index: str, traces: Traces) -> tuple[int, int]:
    try:
        es.indices.refresh(index=index)
    except NotFoundError:
        return 0, 0  # no alert ever evaluated
    pending = 0
    waiting = es.search(
        index=index,
        query={"bool": {"filter": [{"term": {"doc_type": "state"}}, {"exists": {"field": "pending_id"}}]}},
        size=1000,
        seq_no_primary_term=True,
    )["hits"]["hits"]
    for hit in waiting:
        quoted = json.dumps(hit["_source"].get("pending"), ensure_ascii=False)
        if traces.found_in(html.unescape(quoted)):
            es.update(index=index, id=hit["_id"], doc={"pending": None, "pending_id": None}, refresh=True)
            pending += 1
    records = 0
    if traces.ids:
        events = _search_all(es, index, {"terms": {"mention_ids": sorted(traces.ids)}})
        for hit in events:
            kept = [i for i in hit["_source"].get("mention_ids") or [] if i not in traces.ids]
            es.update(index=index, id=hit["_id"], doc={"mention_ids": kept}, refresh=True)
            records += 1
    return pending, records


def _search_all(es: Elasticsearch, index: str, query: dict[str, Any]) -> Iterable[dict[str, Any]]:
    hits: list[dict[str, Any]] = []
    after: list[Any] | None = None
    while True:
        found = es.search(index=index, query=query, size=500, sort=["_doc"], search_after=after)
        page = found["hits"]["hits"]
        if not page:
            return hits
        hits.extend(page)
        after = page[-1]["sort"]
