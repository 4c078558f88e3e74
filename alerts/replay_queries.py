"""The rules' questions answered from memory during a replay: each kind of data fetched once.

``ReplayQueries`` has ``AlertQueries``' interface, so the rules run unchanged; on its first
question of each kind it fetches what the whole replay needs (each mention's publication time and
story per brand, the mentions matching each event rule, rated reviews, when each source yielded
mentions) and then answers every step in memory, counting like the live queries (a story once
per bin, or once in the 12 hours scanned: ``alerts/replay_counts.py``).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch

from alerts.queries import (
    MAX_EVENT_HITS,
    AlertQueries,
    Windows,
    negative_clause,
    parse_time,
    published_between,
)
from alerts.replay_counts import MentionCounts, millis
from alerts.rules.detector import HISTORY, HOUR, STEP, WINDOWS
from alerts.series import Series
from index.names import IndexNames

logger = logging.getLogger(__name__)

PAGE = 5000  # mentions per search_after page


class ReplayQueries(AlertQueries):
    def __init__(self, es: Elasticsearch, names: IndexNames, since: datetime, until: datetime) -> None:
        super().__init__(es, names)
        self.since, self.until = since, until
        self._counts_by: dict[tuple[str, bool], MentionCounts] = {}
        self._first: dict[str, int | None] = {}
        self._recent: dict[tuple[str, bool, int, int, int, bool], list[int | None]] = {}
        # (rule, brand) -> (publication timestamps, ids, publication dates as stored), oldest first
        self._events: dict[tuple[int, str], tuple[list[float], list[str], list[str]]] = {}
        self._ratings: dict[str, tuple[list[float], list[float]]] = {}
        self._sources: dict[str, tuple[list[datetime], list[datetime]]] | None = None

    # -- counts -----------------------------------------------------------------------------
    def _counts(self, brand: str, negative: bool) -> MentionCounts:
        """The brand's mentions (or its negative ones) over the whole replay, fetched once."""
        key = (brand, negative)
        if key not in self._counts_by:
            origin = (self.since - HISTORY - max(WINDOWS) - HOUR).replace(minute=0, second=0, microsecond=0)
            clauses: list[dict[str, Any]] = [{"term": {"brands": brand}}]
            if negative:
                clauses.append(negative_clause(brand))
            hits = self._all_hits({"bool": {"filter": clauses}}, origin, ["published_at", "story_id"])
            times = [millis(parse_time(h["_source"]["published_at"])) for h in hits]
            stories = [h["_source"].get("story_id") for h in hits]
            self._counts_by[key] = MentionCounts(times, stories, self._first_mention(brand), millis(origin))
        return self._counts_by[key]

    def _first_mention(self, brand: str) -> int | None:
        """The brand's first mention ever (bins before it are unknown, not zero), as live reads it."""
        if brand not in self._first:
            response = self.search(
                size=0,
                query={"term": {"brands": brand}},
                aggs={"first": {"min": {"field": "published_at"}}},
            )
            value = response.get("aggregations", {}).get("first", {}).get("value_as_string")
            self._first[brand] = millis(parse_time(value)) if value else None
        return self._first[brand]

    def binned_counts(
        self,
        brands: Sequence[str],
        spans: Mapping[str, tuple[datetime, datetime, timedelta]],
        *,
        negative: bool,
        once: Collection[str] = (),
    ) -> dict[str, dict[str, Series]]:
        out: dict[str, dict[str, Series]] = {}
        # Each span in epoch milliseconds, converted once for all the brands.
        grids = {
            name: (millis(start), round(step.total_seconds() * 1000), int((end - start) / step), name in once)
            for name, (start, end, step) in spans.items()
        }
        for brand in brands:
            out[brand] = {}
            for name, (start, _end, step) in spans.items():
                totals = self._series(brand, False, grids[name])
                if negative:
                    values = self._series(brand, True, grids[name])
                    out[brand][name] = Series(start, step, values, totals)
                else:
                    out[brand][name] = Series(start, step, totals)
        return out

    def _series(self, brand: str, negative: bool, grid: tuple[int, int, int, bool]) -> list[int | None]:
        """One series, remembered a little while: both spike rules ask for the same totals at each
        step (the lists are shared read-only, as the detector only reads them)."""
        key = (brand, negative, *grid)
        values = self._recent.get(key)
        if values is None:
            if len(self._recent) >= 64:  # a few steps' worth; older ones are never asked again
                self._recent.clear()
            s0, width, n, once = grid
            values = self._recent[key] = self._counts(brand, negative).series_ms(s0, width, n, once=once)
        return values

    # -- event rules --------------------------------------------------------------------------
    def matching_mentions(
        self, brands: Sequence[str], clause_for: Any, start: datetime, end: datetime
    ) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        owner = id(getattr(clause_for, "__self__", clause_for))
        since, until = start.timestamp(), end.timestamp()
        for brand in brands:
            key = (owner, brand)
            if key not in self._events:
                clause = {"bool": {"filter": [{"term": {"brands": brand}}, clause_for(brand)]}}
                hits = self._all_hits(clause, start, ["published_at"])
                stored = [h["_source"]["published_at"] for h in hits]
                self._events[key] = ([_ts(t) for t in stored], [h["_id"] for h in hits], stored)
            times, ids, stored = self._events[key]
            lo = bisect.bisect_left(times, since)
            hi = bisect.bisect_left(times, until)
            newest = range(hi - 1, max(lo, hi - MAX_EVENT_HITS) - 1, -1)
            out[brand] = {ids[i]: stored[i] for i in newest}
        return out

    def rating_averages(
        self, brands: Sequence[str], periods: Windows
    ) -> dict[str, dict[str, tuple[float | None, int]]]:
        out: dict[str, dict[str, tuple[float | None, int]]] = {}
        bounds = {key: (start.timestamp(), end.timestamp()) for key, (start, end) in periods.items()}
        for brand in brands:
            if brand not in self._ratings:
                clause = {
                    "bool": {
                        "filter": [{"term": {"brands": brand}}, {"exists": {"field": "rating.normalized"}}]
                    }
                }
                first = min(s for s, _ in periods.values())
                hits = self._all_hits(clause, first, ["published_at", "rating.normalized"])
                times = [_ts(h["_source"]["published_at"]) for h in hits]
                self._ratings[brand] = (
                    times,
                    _prefix_f([h["_source"]["rating"]["normalized"] for h in hits]),
                )
            times, sums = self._ratings[brand]
            out[brand] = {}
            for key, (since, until) in bounds.items():
                lo = bisect.bisect_left(times, since)
                hi = bisect.bisect_left(times, until)
                count = hi - lo
                out[brand][key] = ((sums[hi] - sums[lo]) / count if count else None, count)
        return out

    def sources_last_seen(self, sources: Iterable[str], until: datetime) -> dict[str, datetime | None]:
        if self._sources is None:
            self._sources = self._source_buckets()
        out: dict[str, datetime | None] = {}
        for name in sorted(set(sources)):
            hours, lasts = self._sources.get(name, ([], []))
            i = bisect.bisect_right(hours, until) - 1
            seen = None
            while i >= 0 and seen is None:  # the bucket holding ``until`` counts only if it ended
                seen = lasts[i] if lasts[i] < until else None
                i -= 1
            out[name] = seen
        return out

    # -- fetching ----------------------------------------------------------------------------
    def _all_hits(self, clause: dict[str, Any], start: datetime, fields: list[str]) -> list[dict[str, Any]]:
        """Every mention matching ``clause`` published from ``start`` to the end of the replay."""
        query = {"bool": {"filter": [clause, published_between(start, self.until + STEP)]}}
        hits: list[dict[str, Any]] = []
        after: list[Any] | None = None
        while True:
            extra = {"search_after": after} if after else {}
            page = self.search(query=query, size=PAGE, sort=[{"published_at": "asc"}, {"id": "asc"}],
                               _source=fields, **extra)  # fmt: skip
            batch = page.get("hits", {}).get("hits", [])
            hits.extend(batch)
            if len(batch) < PAGE:
                return hits
            after = batch[-1]["sort"]

    def _source_buckets(self) -> dict[str, tuple[list[datetime], list[datetime]]]:
        """Per source, every hour with news and the last first_seen_at in each, side by side (a
        silence is measured in hours; within the hour holding ``until`` the previous hour's last
        one counts)."""
        response = self.search(
            size=0,
            query={"range": {"first_seen_at": {"lt": self.until.isoformat()}}},
            aggs={
                "by": {
                    "terms": {"field": "source.name", "size": 1000},
                    "aggs": {
                        "h": {
                            "date_histogram": {
                                "field": "first_seen_at",
                                "fixed_interval": "1h",
                                "min_doc_count": 1,
                            },
                            "aggs": {"last": {"max": {"field": "first_seen_at"}}},
                        }
                    },
                }
            },
        )
        out: dict[str, tuple[list[datetime], list[datetime]]] = {}
        for bucket in response.get("aggregations", {}).get("by", {}).get("buckets", []):
            hours, lasts = [], []
            for h in bucket["h"]["buckets"]:
                last = h["last"].get("value_as_string")
                if last:
                    hours.append(parse_time(h["key_as_string"]))
                    lasts.append(parse_time(last))
            out[str(bucket["key"])] = (hours, lasts)
        return out


def _prefix_f(values: list[float]) -> list[float]:
    sums = [0.0]
    for v in values:
        sums.append(sums[-1] + v)
    return sums


def _ts(value: str) -> float:
    return parse_time(value).timestamp()


def progress_logger(total: int) -> Callable[[int], None]:
    """Logs how far a replay has gone, every tenth of the way."""
    marks = {max(1, total * k // 10) for k in range(1, 11)}

    def report(done: int) -> None:
        if done in marks:
            logger.info("replay: %d/%d steps (%d %%)", done, total, round(100 * done / total))

    return report
