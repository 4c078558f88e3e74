"""Turn a page's query string into the filters index/ understands (and back, for links)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from index.queries import MentionFilter
from index.workspace import Narrowing

PERIODS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30),
           "90d": timedelta(days=90)}  # fmt: skip
SENTIMENTS = ("negative", "neutral", "positive")
KINDS = ("forum", "blog", "review", "news", "feed")
STATUSES = ("new", "handled", "all")
KEYS = ("q", "brand", "source", "kind", "sentiment", "lang", "period", "status", "assignee", "tag",
        "site", "author", "id", "more")  # fmt: skip


@dataclass(frozen=True)
class PageFilters:
    """The filters as the page shows them (strings, "" when unset)."""

    values: dict[str, str]

    @classmethod
    def parse(cls, params: dict[str, str], *, brands: list[str], default_status: str = "new",
              default_period: str = "7d") -> PageFilters:  # fmt: skip
        values = {k: (params.get(k) or "").strip()[:200] for k in KEYS}
        # Unknown choices fall back to "all" rather than erroring: the values come from links.
        if values["brand"] not in brands:
            values["brand"] = ""
        if values["sentiment"] not in SENTIMENTS:
            values["sentiment"] = ""
        if values["kind"] not in KINDS:
            values["kind"] = ""
        if values["status"] not in STATUSES:
            values["status"] = default_status
        if values["period"] not in PERIODS and values["period"] != "all":
            values["period"] = default_period
        return cls(values)

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def mention_filter(self, now: datetime) -> MentionFilter:
        v = self.values
        period = PERIODS.get(v["period"])
        return MentionFilter(
            brand=v["brand"] or None,
            sentiment=v["sentiment"] or None,
            since=now - period if period else None,
            source_kind=v["kind"] or None,
            source_name=v["source"] or None,
            query=v["q"] or None,
            status=None if v["status"] in {"", "all"} else v["status"],
        )

    def narrowing(self) -> Narrowing:
        v = self.values
        return Narrowing(
            lang=v["lang"] or None,
            assignee=v["assignee"] or None,
            tag=v["tag"] or None,
            site=v["site"] or None,
            author=v["author"] or None,
            mention_id=v["id"] or None,
        )

    def query_string(self, **changes: str) -> str:
        merged = {**self.values, **changes}
        return urlencode({k: v for k, v in merged.items() if v})
