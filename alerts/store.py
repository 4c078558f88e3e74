"""Where alert state and history live: an Elasticsearch index (``{prefix}-alerts``), or memory.

One state document per rule and key (``state:{rule}:{key}``), written with optimistic
concurrency (``if_seq_no``) so two runs at once cannot both notify. A notification is first
written *inside* the state document (``pending``) in the same atomic write that moves the
episode on; only then is the email queued, and the pending part cleared. A crash at any point
either leaves the state unchanged (nothing was decided) or leaves a pending notification that
the next run queues (nothing is forgotten); the queue ignores a Message-ID it already holds
(nothing is sent twice).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from typing import Any, Protocol

from elasticsearch import ApiError, ConflictError, Elasticsearch, NotFoundError

from alerts.episodes import AlertState
from index.client import translate_errors
from index.names import IndexNames

logger = logging.getLogger(__name__)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def state_to_doc(state: AlertState) -> dict[str, Any]:
    return {
        "status": state.status,
        "since": state.since.isoformat() if state.since else None,
        "last_alert_at": state.last_alert_at.isoformat() if state.last_alert_at else None,
        "last_severity": state.last_severity,
        "level": state.level,
        "notified": dict(state.notified),
    }


def state_from_doc(rule: str, key: str, doc: dict[str, Any]) -> AlertState:
    return AlertState(
        rule=rule,
        key=key,
        status=doc.get("status", "normal"),
        since=_dt(doc.get("since")),
        last_alert_at=_dt(doc.get("last_alert_at")),
        last_severity=float(doc.get("last_severity") or 0.0),
        level=int(doc.get("level") or 0),
        notified=dict(doc.get("notified") or {}),
    )


@dataclass
class Stored:
    """A state as read, with what is needed to write it back safely."""

    state: AlertState
    version: tuple[int, int] | None = None  # (seq_no, primary_term); None = never written
    pending: dict[str, Any] | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # rule_type, brand


class AlertStore(Protocol):
    def load(self, rule: str, keys: list[str]) -> dict[str, Stored]: ...

    def save(
        self, stored: Stored, state: AlertState, *, pending: dict[str, Any] | None, now: datetime
    ) -> bool:
        """Write ``state`` (and a pending notification) if nobody wrote in between; False if someone did."""
        ...

    def clear_pending(self, stored: Stored, notification_id: str) -> None: ...

    def with_pending(self) -> list[Stored]: ...

    def record(self, doc_id: str, doc: dict[str, Any]) -> None: ...


class MemoryStore:
    """State in a dict: replays and dry runs (nothing is written anywhere)."""

    def __init__(self) -> None:
        self.states: dict[tuple[str, str], Stored] = {}
        self.records: dict[str, dict[str, Any]] = {}

    def load(self, rule: str, keys: list[str]) -> dict[str, Stored]:
        out = {}
        for k in keys:
            stored = self.states.get((rule, k))
            if stored is None:  # kept, so a replay does not build it again at each of its steps
                stored = self.states[(rule, k)] = Stored(AlertState(rule=rule, key=k))
            out[k] = stored
        return out

    def save(
        self, stored: Stored, state: AlertState, *, pending: dict[str, Any] | None, now: datetime
    ) -> bool:
        self.states[(state.rule, state.key)] = Stored(state, (0, 0), pending, stored.meta)
        return True

    def clear_pending(self, stored: Stored, notification_id: str) -> None:
        current = self.states.get((stored.state.rule, stored.state.key))
        if current is not None and current.pending and current.pending.get("id") == notification_id:
            current.pending = None

    def with_pending(self) -> list[Stored]:
        return [s for s in self.states.values() if s.pending]

    def record(self, doc_id: str, doc: dict[str, Any]) -> None:
        self.records[doc_id] = doc


class EsAlertStore:
    """State and history in ``{prefix}-alerts``; created with its mapping on first use."""

    def __init__(self, es: Elasticsearch, names: IndexNames) -> None:
        self.es = es
        self.index = names.alerts

    def _call(self, what: str, fn: Any, **kwargs: Any) -> Any:
        with translate_errors(self.es, what):
            return fn(**kwargs)

    def ensure(self) -> None:
        if self._call("alerts index", self.es.indices.exists, index=self.index):
            return
        mapping = json.loads(resources.files("alerts.mappings").joinpath("alerts.v1.json").read_text("utf-8"))
        settings = {"number_of_shards": 1, "auto_expand_replicas": "0-1"}
        try:
            self._call(
                "alerts index", self.es.indices.create, index=self.index, mappings=mapping, settings=settings
            )
            logger.info("created alerts index %s", self.index)
        except ApiError as exc:
            if "resource_already_exists" not in str(exc):  # created by a concurrent run: fine
                raise

    @staticmethod
    def state_id(rule: str, key: str) -> str:
        return f"state:{rule}:{key}"

    def load(self, rule: str, keys: list[str]) -> dict[str, Stored]:
        if not keys:
            return {}
        ids = [self.state_id(rule, k) for k in keys]
        try:
            # mget is real-time: it sees the last write even before a refresh.
            response = self._call("read alert state", self.es.mget, index=self.index, ids=ids)
        except NotFoundError:  # no alerts index yet (first run, or a dry run)
            response = {"docs": [{} for _ in ids]}
        out: dict[str, Stored] = {}
        for key, doc in zip(keys, response["docs"], strict=True):
            if doc.get("found"):
                source = doc["_source"]
                out[key] = Stored(
                    state_from_doc(rule, key, source),
                    (doc["_seq_no"], doc["_primary_term"]),
                    source.get("pending"),
                    {"rule_type": source.get("rule_type"), "brand": source.get("brand")},
                )
            else:
                out[key] = Stored(AlertState(rule=rule, key=key))
        return out

    def save(
        self, stored: Stored, state: AlertState, *, pending: dict[str, Any] | None, now: datetime
    ) -> bool:
        doc = {
            "doc_type": "state",
            "rule": state.rule,
            "key": state.key,
            **stored.meta,
            **state_to_doc(state),
            "pending": pending,
            "pending_id": pending["id"] if pending else None,
            "updated_at": now.isoformat(),
        }
        kwargs: dict[str, Any] = {
            "index": self.index,
            "id": self.state_id(state.rule, state.key),
            "document": doc,
        }
        if stored.version is None:
            kwargs["op_type"] = "create"
        else:
            kwargs["if_seq_no"], kwargs["if_primary_term"] = stored.version
        try:
            response = self._call("write alert state", self.es.index, **kwargs)
        except ConflictError:
            logger.warning("alert %s/%s was updated by another run meanwhile; leaving it to that run",
                           state.rule, state.key)  # fmt: skip
            return False
        stored.version = (response["_seq_no"], response["_primary_term"])
        stored.state, stored.pending = state, pending
        return True

    def clear_pending(self, stored: Stored, notification_id: str) -> None:
        try:
            self._call(
                "write alert state",
                self.es.update,
                index=self.index,
                id=self.state_id(stored.state.rule, stored.state.key),
                doc={"pending": None, "pending_id": None},
                if_seq_no=stored.version[0] if stored.version else None,
                if_primary_term=stored.version[1] if stored.version else None,
            )
        except (ConflictError, NotFoundError):
            # Someone moved the state on; the message is queued already (the queue ignores a repeat).
            logger.info("pending notification %s: state changed meanwhile, left as is", notification_id)

    def with_pending(self) -> list[Stored]:
        if not self._call("alerts index", self.es.indices.exists, index=self.index):
            return []
        self._call("refresh alerts index", self.es.indices.refresh, index=self.index)
        response = self._call(
            "read pending alerts",
            self.es.search,
            index=self.index,
            query={
                "bool": {"filter": [{"term": {"doc_type": "state"}}, {"exists": {"field": "pending_id"}}]}
            },
            size=1000,
            seq_no_primary_term=True,
        )
        out = []
        for hit in response["hits"]["hits"]:
            source = hit["_source"]
            state = state_from_doc(source["rule"], source["key"], source)
            meta = {"rule_type": source.get("rule_type"), "brand": source.get("brand")}
            out.append(Stored(state, (hit["_seq_no"], hit["_primary_term"]), source.get("pending"), meta))
        return out

    def record(self, doc_id: str, doc: dict[str, Any]) -> None:
        # Same id for the same notification: recording it again after a crash changes nothing.
        self._call("write alert history", self.es.index, index=self.index, id=doc_id, document=doc)

    def exists(self, doc_id: str) -> bool:
        return bool(self._call("read alert history", self.es.exists, index=self.index, id=doc_id))

    def history(self, start: datetime, end: datetime, size: int = 200) -> list[dict[str, Any]]:
        """Notifications recorded between ``start`` and ``end``, newest first."""
        if not self._call("alerts index", self.es.indices.exists, index=self.index):
            return []
        self._call("refresh alerts index", self.es.indices.refresh, index=self.index)
        response = self._call(
            "read alert history",
            self.es.search,
            index=self.index,
            query={
                "bool": {
                    "filter": [
                        {"term": {"doc_type": "event"}},
                        {"range": {"at": {"gte": start.isoformat(), "lte": end.isoformat()}}},
                    ]
                }
            },
            sort=[{"at": "desc"}],
            size=size,
        )
        return [hit["_source"] for hit in response["hits"]["hits"]]
