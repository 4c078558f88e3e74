"""Alert quality: Veille's ``negative_spike`` against an ElastAlert-style spike rule, same streams.

Generates mention streams (daily and weekly seasonality, over-dispersed noise, quiet to busy
brands), injects bursts of negative mentions of several sizes, and replays both rules every
check interval. Veille's side runs the engine's own code: ``spike_windows`` ->
``series_from_counts`` -> ``decide_spike`` -> ``episodes.advance`` with the shipped rule defaults
(the engine feeds the same functions with ES aggregation results). The baseline compares the
current window with the previous one (``spike_height``, ``threshold_cur``), as ElastAlert 2's
SpikeRule does in count mode.

    .venv/bin/python bench/alert_quality.py [--brands 24] [--weeks 8] [--seed 7]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alerts.episodes import AlertState, Policy, advance
from alerts.rules.base import Finding
from alerts.rules.spike import spike_params
from alerts.rules.spike_logic import decide_spike, series_from_counts, spike_windows
from core.config.alerts import NegativeSpikeRule

BIN = timedelta(minutes=5)
CHECK = timedelta(minutes=15)
T0 = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
WARMUP = timedelta(days=15)  # both rules only judge once two weeks of history exist
BURST_FACTORS = (2, 3, 5, 10)
# A rise of fewer negative mentions than this per hour is not a bad buzz (and below min_count).
MIN_EXTRA_PER_HOUR = 6

# (label, mean mentions per hour, negative share range)
PROFILES = (
    ("quiet", 1.5, (0.08, 0.2)),
    ("small", 6.0, (0.08, 0.2)),
    ("busy", 30.0, (0.08, 0.2)),
    ("very busy", 120.0, (0.08, 0.2)),
)


@dataclass
class Burst:
    start: int  # bin index
    end: int
    factor: int
    effective: float = 0.0  # (expected usual + mentions added) / expected usual, over the burst


@dataclass
class Stream:
    label: str
    neg: list[int]
    total: list[int]
    bursts: list[Burst]


def daily(hour: float) -> float:
    # Quiet at night, busy at lunch and in the evening: ratio ~6 between 4h and 20h.
    return (
        0.25 + 0.75 * (1 + math.sin((hour - 10) / 24 * 2 * math.pi)) + 0.3 * math.exp(-((hour - 13) ** 2) / 2)
    )


def weekly(day: int) -> float:
    return 0.7 if day >= 5 else 1.0


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def generate(
    rng: random.Random, label: str, per_hour: float, share_range: tuple[float, float], weeks: int
) -> Stream:
    bins = int(timedelta(weeks=weeks) / BIN)
    per_bin = per_hour * BIN / timedelta(hours=1)
    share = rng.uniform(*share_range)
    neg, total = [0] * bins, [0] * bins
    expected_neg = [0.0] * bins
    noise = 1.0
    for i in range(bins):
        when = T0 + i * BIN
        if i % 12 == 0:  # hourly over-dispersion: news days, threads that take off (CV ~0.3)
            noise = rng.gammavariate(10, 0.1)
        lam = per_bin * daily(when.hour + when.minute / 60) * weekly(when.weekday()) * noise
        n = poisson(rng, lam)
        k = sum(1 for _ in range(n) if rng.random() < share)
        neg[i], total[i] = k, n
        expected_neg[i] = lam * share
    bursts = inject(rng, neg, total, expected_neg)
    return Stream(label, neg, total, bursts)


def inject(rng: random.Random, neg: list[int], total: list[int], expected: list[float]) -> list[Burst]:
    bursts: list[Burst] = []
    i = int(WARMUP / BIN) + rng.randrange(int(timedelta(days=2) / BIN))
    while True:
        length = rng.randrange(24, 49)  # 2 to 4 hours
        if i + length + 288 >= len(neg):
            return bursts
        factor = rng.choice(BURST_FACTORS)
        usual = sum(expected[i : i + length])
        extra_rate = max((factor - 1) * usual / length, MIN_EXTRA_PER_HOUR / 12)
        added = 0
        for j in range(i, i + length):
            extra = poisson(rng, extra_rate)
            neg[j] += extra
            total[j] += extra
            added += extra
        # Sized by what was actually added: a burst that by chance yielded few mentions is small.
        bursts.append(Burst(i, i + length, factor, (usual + added) / max(usual, 1e-9)))
        i += length + rng.randrange(int(timedelta(days=3) / BIN), int(timedelta(days=6) / BIN))


class Prefix:
    def __init__(self, values: list[int]) -> None:
        self.sums = [0]
        for v in values:
            self.sums.append(self.sums[-1] + v)

    def between(self, start: datetime, end: datetime) -> int | None:
        a, b = int((start - T0) / BIN), int((end - T0) / BIN)
        if a < 0:
            return None  # before the first mention: no data, as the ES query reports it
        return self.sums[min(b, len(self.sums) - 1)] - self.sums[min(a, len(self.sums) - 1)]


def veille_alerts(stream: Stream) -> list[int]:
    rule = NegativeSpikeRule(name="bench", type="negative_spike")
    params = spike_params(rule)
    policy = Policy(episodic=True, realert=rule.realert, escalate_ratio=rule.escalate_ratio)
    neg, total = Prefix(stream.neg), Prefix(stream.total)
    state = AlertState(rule="bench", key="brand")
    fired = []
    now = T0 + WARMUP
    end = T0 + len(stream.neg) * BIN
    while now <= end:
        windows = spike_windows(now, params)
        counts = {key: neg.between(s, e) for key, (s, e) in windows.items()}
        totals = {key: total.between(s, e) for key, (s, e) in windows.items()}
        verdict = decide_spike(series_from_counts(counts, totals, params), params)
        finding = Finding(
            key="brand", brand="brand", status=verdict.status, summary="", severity=verdict.current
        )
        transition = advance(state, finding, now, policy)
        state = transition.state
        if transition.kind == "alert":
            fired.append(int((now - T0) / BIN))
        now += CHECK
    return fired


def elastalert_alerts(
    stream: Stream, spike_height: float, threshold_cur: int, realert: timedelta
) -> list[int]:
    """SpikeRule in count mode: current window vs the one before; after a match, windows are cleared
    (no check for two timeframes) and realert silences the rule."""
    neg = Prefix(stream.neg)
    window = timedelta(hours=1)
    fired: list[int] = []
    skip_until = T0
    now = T0 + WARMUP
    end = T0 + len(stream.neg) * BIN
    while now <= end:
        if now >= skip_until:
            cur = neg.between(now - window, now) or 0
            ref = neg.between(now - 2 * window, now - window) or 0
            if cur >= threshold_cur and cur >= ref * spike_height:
                fired.append(int((now - T0) / BIN))
                skip_until = now + max(2 * window, realert)
        now += CHECK
    return fired


@dataclass
class Score:
    detected: dict[str, list[int]]  # size class -> [detected flags]
    delays: list[float]
    false_alerts: int
    months: float


def score(stream: Stream, fired: list[int]) -> Score:
    window_bins = 12
    detected: dict[str, list[int]] = {}
    delays = []
    matched = set()
    for burst in stream.bursts:
        hits = [t for t in fired if burst.start <= t <= burst.end + window_bins]
        matched.update(hits)
        detected.setdefault(size_class(burst.effective), []).append(1 if hits else 0)
        if hits:
            delays.append((hits[0] - burst.start) * BIN.total_seconds() / 60)
    false_alerts = sum(1 for t in fired if t not in matched)
    months = (len(stream.neg) * BIN - WARMUP) / timedelta(days=30)
    return Score(detected, delays, false_alerts, months)


def size_class(effective: float) -> str:
    if effective < 3:
        return "<3x"
    if effective < 5:
        return "3-5x"
    if effective < 10:
        return "5-10x"
    return ">=10x"


def summarize(name: str, scores: list[Score]) -> dict[str, float]:
    classes = ("<3x", "3-5x", "5-10x", ">=10x")
    merged = {c: [f for s in scores for f in s.detected.get(c, [])] for c in classes}
    big = [f for c in classes[1:] for f in merged[c]]
    months = sum(s.months for s in scores)
    false_rate = sum(s.false_alerts for s in scores) / months
    delays = sorted(d for s in scores for d in s.delays)
    recall_big = sum(big) / len(big) if big else float("nan")
    parts = "  ".join(f"{c}: {sum(v)}/{len(v)}" for c, v in merged.items())
    median = statistics.median(delays) if delays else float("nan")
    p90 = delays[int(0.9 * (len(delays) - 1))] if delays else float("nan")
    print(
        f"{name:<34} recall(>=3x) {recall_big:5.3f}  false alerts/brand-month {false_rate:5.2f}  "
        f"delay median {median:4.0f} min, p90 {p90:4.0f} min   [{parts}]"
    )
    return {"recall": recall_big, "false": false_rate}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brands", type=int, default=24, help="simulated brands (spread over 4 profiles)")
    parser.add_argument("--weeks", type=int, default=8, help="weeks of history per brand")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    streams = []
    for n in range(args.brands):
        label, per_hour, shares = PROFILES[n % len(PROFILES)]
        streams.append(generate(rng, label, per_hour * rng.uniform(0.7, 1.4), shares, args.weeks))
    rule = NegativeSpikeRule(name="bench", type="negative_spike")
    bursts = sum(len(s.bursts) for s in streams)
    print(
        f"{len(streams)} brands x {args.weeks} weeks ({', '.join(p[0] for p in PROFILES)}), "
        f"{bursts} bursts of "
        f"negative mentions (x{'/'.join(map(str, BURST_FACTORS))} the usual rate, 2-4 h, "
        f">= {MIN_EXTRA_PER_HOUR} extra/h); checks every {int(CHECK.total_seconds() // 60)} min, "
        f"window 1 h, cool-down {rule.realert}"
    )
    veille = [score(s, veille_alerts(s)) for s in streams]
    elast = [score(s, elastalert_alerts(s, 3.0, rule.min_count, rule.realert)) for s in streams]
    elast2 = [score(s, elastalert_alerts(s, 2.0, rule.min_count, rule.realert)) for s in streams]
    ours = summarize("veille negative_spike (defaults)", veille)
    base = summarize("elastalert spike h=3 cur>=5", elast)
    summarize("elastalert spike h=2 cur>=5", elast2)
    for label in dict.fromkeys(p[0] for p in PROFILES):
        picked = [sc for sc, st in zip(veille, streams, strict=True) if st.label == label]
        summarize(f"  veille, {label} brands", picked)
    target = ours["recall"] >= 0.95 and ours["false"] <= 1.0
    ahead = ours["recall"] >= base["recall"] and ours["false"] <= base["false"]
    print(
        f"target recall>=0.95 and <=1 false alert/brand-month: {'met' if target else 'NOT met'}; "
        f"ahead of the baseline on both: {'yes' if ahead else 'no'}  ({time.perf_counter() - started:.1f}s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
