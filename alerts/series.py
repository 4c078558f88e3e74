"""Counts per time bin, the input of the bad-buzz detector (no dependency: queries build them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Series:
    """Counts per bin, oldest first; ``None`` = no data (before the brand's first mention).
    ``totals`` (all mentions, same bins) come with a negative series, for its share."""

    start: datetime
    step: timedelta
    values: Sequence[int | None]
    totals: Sequence[int | None] | None = None

    @property
    def end(self) -> datetime:
        return self.start + self.step * len(self.values)
