"""Binned mention counts answered from memory, the way ``AlertQueries.binned_counts`` counts them.

A replay fetches the publication time and story of each mention of a brand once (all mentions,
then the negative ones), and ``MentionCounts`` answers every later question about counts per bin
with the live query's rules:

- a story (near-duplicates) counts once per bin, or once in the whole span when the span is
  counted ``once`` (in the bin of its first mention there); a mention without a story counts once;
- bins that start before the brand's first mention are ``None`` (no data is not zero);
- a bin holds the mentions published in ``[bin start, bin end)``.

Counts per 5-minute bin on a fixed grid (prefix sums) answer spans that start on the grid in a
slice; other spans (a 1-minute replay cadence) bisect the sorted times at each bin edge. Only the
mentions repeating a story already seen need a second look, and they are few.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import datetime, timedelta

GRID_MS = 5 * 60 * 1000


def millis(when: datetime) -> int:
    return round(when.timestamp() * 1000)


class MentionCounts:
    """The mentions of one brand (all of them, or the negative ones) as sorted publication times."""

    def __init__(
        self, times: Sequence[int], stories: Sequence[str | None], first: int | None, origin: int
    ) -> None:
        """``times`` in epoch milliseconds, oldest first; ``stories`` beside them; ``first``: the
        brand's first mention ever (ms), which decides the unknown bins; ``origin``: the grid's start."""
        self.times = list(times)
        self.first = first
        self.origin = origin
        # A mention whose story was mentioned before (in this set): when, and when the story was last.
        last: dict[str, int] = {}
        self.repeat_at: list[int] = []
        self.repeat_prev: list[int] = []
        for t, story in zip(self.times, stories, strict=True):
            if story is None:
                continue
            if story in last:
                self.repeat_at.append(t)
                self.repeat_prev.append(last[story])
            last[story] = t
        size = (self.times[-1] - origin) // GRID_MS + 1 if self.times and self.times[-1] >= origin else 0
        grid = [0] * size
        for t in self.times:
            if t >= origin:
                grid[(t - origin) // GRID_MS] += 1
        self.grid = grid
        self.prefix = [0] * (size + 1)
        for i, c in enumerate(grid):
            self.prefix[i + 1] = self.prefix[i] + c

    def series(self, start: datetime, end: datetime, step: timedelta, *, once: bool) -> list[int | None]:
        """Counts per ``step`` bin from ``start`` to ``end``."""
        return self.series_ms(millis(start), round(step.total_seconds() * 1000), int((end - start) / step),
                              once=once)  # fmt: skip

    def series_ms(self, s0: int, width: int, n: int, *, once: bool) -> list[int | None]:
        """``n`` bins of ``width`` ms from ``s0`` (epoch ms): ``series`` with its span converted once."""
        offset, rest = divmod(s0 - self.origin, GRID_MS)
        per, per_rest = divmod(width, GRID_MS)
        values: list[int]
        if rest == 0 and per_rest == 0 and offset >= 0:
            if per == 1:
                values = self.grid[offset : offset + n]
            else:  # sums over ``per`` grid bins: differences of every per-th prefix sum
                edges = self.prefix[offset : offset + n * per + 1 : per]
                if len(edges) < n + 1 and offset < len(self.prefix):
                    edges.append(self.prefix[-1])  # the bin holding the last mention
                values = [b - a for a, b in zip(edges, edges[1:], strict=False)]  # noqa: RUF007 (faster)
            values += [0] * (n - len(values))  # past the last mention
        else:
            edges = [bisect.bisect_left(self.times, s0 + k * width) for k in range(n + 1)]
            values = [edges[k + 1] - edges[k] for k in range(n)]
        # Mentions repeating a story already counted in the same bin (or span, when ``once``).
        lo = bisect.bisect_left(self.repeat_at, s0)
        hi = bisect.bisect_left(self.repeat_at, s0 + n * width)
        for j in range(lo, hi):
            k = (self.repeat_at[j] - s0) // width
            if self.repeat_prev[j] >= (s0 if once else s0 + k * width):
                values[k] -= 1
        if self.first is None:
            return [None] * n
        if s0 >= self.first:  # the usual case: every bin known
            return values  # type: ignore[return-value]  # list is invariant; ints are int | None
        known = min(n, -((s0 - self.first) // width))
        out: list[int | None] = [None] * known
        out.extend(values[known:])
        return out
