"""The spike decision on count series: pure functions shared by the engine and the benchmark.

Expected count for the current window: the mean of the same hour (± two windows) of previous
weeks, scaled by the trend (the previous windows against the same span in those weeks), so the
baseline follows the time of day, the day of the week and a growing or fading brand. Without
weeks of history it is the median of the previous windows. It never goes below a floor. A spike
needs ``ratio`` times that baseline, ``min_count`` and a Poisson significance bound, so neither a
zero reference nor one noisy window fires on its own; a negative spike also needs a negative
share that is high and has risen.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from alerts.rules.base import Status

WEEK = timedelta(days=7)
# Chance a quiet window reaches the threshold by luck alone. Evaluated every few minutes on sliding
# windows, ~3,000 hourly windows a month: 1e-4 keeps luck well below one alert per brand-month.
ALPHA = 1e-4
# Mention counts are burstier than Poisson (a thread takes off, a news day): the bound assumes an
# hour-to-hour variation of 30 % of the level on top of the Poisson noise (a negative binomial).
DISPERSION = 0.3
# Pseudo-count that shrinks the trend towards 1 when there are few mentions to measure it on.
TREND_PRIOR = 10.0
TREND_LIMITS = (0.5, 3.0)
# A rise is also judged over the last 2 .. SUSTAINED_SPANS windows together.
SUSTAINED_SPANS = 3
# Same hour of previous weeks: the window at that time and two before and after it.
SEASONAL_OFFSETS = (-2, -1, 0, 1, 2)
SEASONAL_TAGS = "abcde"


@dataclass(frozen=True)
class SpikeParams:
    window: timedelta
    baseline_windows: int
    baseline_weeks: int
    min_count: int
    min_baseline: float
    ratio: float
    min_share: float = 0.0  # negative / all in the window; 0 = not checked
    min_share_rise: float = 0.0  # window share / usual share (previous windows); 0 = not checked


@dataclass(frozen=True)
class SpikeSeries:
    """Counts of one key, ``None`` marking a window before the first indexed mention (no data is
    not zero): the current window, previous windows, the same hour of previous weeks, and the span
    of the previous windows in previous weeks (for the trend)."""

    current: int
    current_total: int | None
    recent: tuple[int | None, ...]
    seasonal: tuple[int | None, ...]
    recent_weeks: tuple[int | None, ...] = ()
    usual_share: float | None = None  # negative share in previous weeks (else previous windows)


@dataclass(frozen=True)
class SpikeVerdict:
    status: Status
    current: int
    baseline: float
    threshold: float
    share: float | None
    level: float  # median of the previous windows
    seasonal_level: float | None  # same hour of previous weeks, scaled by the trend
    why: str  # English, for logs and replay
    usual_share: float | None = None

    @property
    def ratio(self) -> float:
        return self.current / self.baseline if self.baseline else math.inf


def spike_windows(now: datetime, params: SpikeParams) -> dict[str, tuple[datetime, datetime]]:
    """The windows the decision reads: ``cur``, ``r1..rN`` (previous windows), ``s{week}{a..e}``
    (same hour of previous weeks, two windows before and after it) and ``t{week}`` (the span of
    ``r1..rN`` in previous weeks)."""
    w, n = params.window, params.baseline_windows
    windows = {"cur": (now - w, now)}
    for k in range(1, n + 1):
        windows[f"r{k}"] = (now - (k + 1) * w, now - k * w)
    for week in range(1, params.baseline_weeks + 1):
        for offset, tag in zip(SEASONAL_OFFSETS, SEASONAL_TAGS, strict=True):
            end = now - week * WEEK + offset * w
            windows[f"s{week}{tag}"] = (end - w, end)
        windows[f"t{week}"] = (now - week * WEEK - (n + 1) * w, now - week * WEEK - w)
    return windows


def series_from_counts(
    counts: Mapping[str, int | None], totals: Mapping[str, int | None] | None, params: SpikeParams
) -> SpikeSeries:
    """Arrange counts keyed as by ``spike_windows`` into a ``SpikeSeries``; ``totals`` (all
    mentions, same keys) give the negative share of a negative series."""
    n, weeks = params.baseline_windows, params.baseline_weeks
    recent = tuple(counts.get(f"r{k}") for k in range(1, n + 1))
    seasonal = tuple(counts.get(f"s{week}{tag}") for week in range(1, weeks + 1) for tag in SEASONAL_TAGS)
    recent_weeks = tuple(counts.get(f"t{week}") for week in range(1, weeks + 1))
    total, usual = None, None
    if totals is not None:
        total = totals.get("cur")
        # The usual share comes from the same span in previous weeks when there is one, so an
        # episode under way (in the previous windows) does not raise the bar for itself.
        for keys in ([f"t{w}" for w in range(1, weeks + 1)], [f"r{k}" for k in range(1, n + 1)]):
            known = [(counts.get(k), totals.get(k)) for k in keys]
            pairs = [(c, t) for c, t in known if c is not None and t is not None]
            all_mentions = sum(t for _, t in pairs)
            if all_mentions:
                usual = sum(c for c, _ in pairs) / all_mentions
                break
    return SpikeSeries(int(counts.get("cur") or 0), total, recent, seasonal, recent_weeks, usual)


def count_bound(mean: float, alpha: float = ALPHA, dispersion: float = DISPERSION) -> int:
    """Smallest k with P(X >= k) <= alpha, X negative binomial of mean ``mean`` and variance
    ``mean + (dispersion * mean)**2`` (Poisson when ``dispersion`` is 0)."""
    if mean <= 0:
        return 1
    variance = mean + (dispersion * mean) ** 2
    if mean > 400:  # normal approximation
        return math.ceil(mean + 4.0 * math.sqrt(variance))
    step: Callable[[int], float]
    if dispersion <= 0:
        term, step = math.exp(-mean), lambda k: mean / (k + 1)
    else:
        shape = 1.0 / dispersion**2
        p = shape / (shape + mean)
        term, step = p**shape, lambda k: (k + shape) / (k + 1) * (1 - p)
    cumulative, k = term, 0
    while 1.0 - cumulative > alpha:
        term *= step(k)
        k += 1
        cumulative += term
    return k + 1


def seasonal_expectation(series: SpikeSeries) -> float | None:
    """Same hour of previous weeks (its highest value left out: one past burst does not lift it)
    times the trend."""
    seasonal = [c for c in series.seasonal if c is not None]
    weeks = [c for c in series.recent_weeks if c is not None]
    if not seasonal or not weeks or any(c is None for c in series.recent):
        return None
    recent_sum = sum(c for c in series.recent if c is not None)
    trend = (recent_sum + TREND_PRIOR) / (statistics.fmean(weeks) + TREND_PRIOR)
    return _trimmed_mean(seasonal) * min(max(trend, TREND_LIMITS[0]), TREND_LIMITS[1])


def _trimmed_mean(values: list[int]) -> float:
    """Mean without the highest value (a past burst at this hour) once there are 4 or more."""
    kept = sorted(values)[:-1] if len(values) >= 4 else values
    return statistics.fmean(kept)


def decide_spike(series: SpikeSeries, params: SpikeParams) -> SpikeVerdict:
    """Is the current window a spike against its baseline? See the module docstring."""
    recent = [c for c in series.recent if c is not None]
    share = None
    if series.current_total is not None:
        share = series.current / series.current_total if series.current_total else 0.0
    needed = max(4, params.baseline_windows // 2)
    if len(recent) < needed:
        why = f"learning: {len(recent)} previous window(s) with data, {needed} needed"
        return SpikeVerdict("learning", series.current, 0.0, math.inf, share, 0.0, None, why)
    level = statistics.median(recent)
    seasonal = seasonal_expectation(series)
    baseline = max(params.min_baseline, level if seasonal is None else seasonal)
    threshold = max(params.min_count, params.ratio * baseline, count_bound(baseline))
    share_ok = _share_ok(share, series.usual_share, params)
    # Back to normal only below halfway between the baseline and a spike, so an episode hovering
    # around the threshold does not end and start again every few minutes.
    calm = series.current < params.min_count or series.current <= baseline * (1 + (params.ratio - 1) / 2)
    sustained = _sustained(series, baseline, params)
    if (series.current >= threshold or sustained) and share_ok:
        status: Status = "firing"
    elif calm:
        status = "normal"
    else:
        status = "elevated"
    why = (
        f"{series.current} in window vs baseline {baseline:.1f} (previous windows median {level:.1f}, "
        f"same hour of previous weeks x trend {'-' if seasonal is None else f'{seasonal:.1f}'}); "
        f"threshold {threshold:.1f}"
    )
    if share is not None:
        usual = "-" if series.usual_share is None else f"{series.usual_share:.0%}"
        why += f"; negative share {share:.0%} (usual {usual}, min {params.min_share:.0%})"
    return SpikeVerdict(
        status, series.current, baseline, threshold, share, level, seasonal, why, series.usual_share
    )


def _sustained(series: SpikeSeries, baseline: float, params: SpikeParams) -> bool:
    """A rise that lasts is judged on the last two and three windows together too: more evidence,
    so a bad buzz that builds over hours is caught before any single window looks improbable."""
    if series.current < max(params.min_count, params.ratio * baseline):
        return False
    total = series.current
    for span, previous in enumerate(series.recent[: SUSTAINED_SPANS - 1], start=2):
        if previous is None:
            return False
        total += previous
        if total >= max(span * params.ratio * baseline, count_bound(span * baseline)):
            return True
    return False


def _share_ok(share: float | None, usual: float | None, params: SpikeParams) -> bool:
    """A negative spike also needs a negative share that is high and has risen: when every mention
    rises together (a launch, an advert), negatives rise too without any bad buzz."""
    if params.min_share <= 0 and params.min_share_rise <= 0:
        return True
    if share is None or share < params.min_share:
        return False
    return usual is None or params.min_share_rise <= 0 or share >= params.min_share_rise * usual
