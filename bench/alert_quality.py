"""Alert quality: Veille's ``negative_spike`` against an ElastAlert-style spike rule, same streams.

Streams of mentions as users meet them: brands from 2 to 2,000 mentions a day; daily and weekly
seasonality with day-to-day and hour-to-hour volatility and a slow trend; non-negative news spikes
(a news day lifts every mention, not the negative share); bursts of +2 to +20 negative mentions an
hour lasting 30 minutes to 12 hours, sudden or gradual, the first from the first day on. The first
week is scored like any other (an install starts with no history). Both rules are checked every
5 minutes. Veille's side runs the engine's own code (``NegativeSpike.judge`` on
``detector.learn`` / ``detector.scan`` -> ``episodes.advance``) on in-memory counts; the engine
feeds the same functions with ES aggregations. The baseline is ElastAlert 2's SpikeRule in count
mode (current window vs the previous one, ``spike_height`` 3, ``threshold_cur`` 5), for 1 h and
2 h timeframes.

A burst is "found" by an alert between its start and one hour after its end; its delay is from
its start (a gradual burst starts from nothing, so its delay includes the time it takes to grow).
Every other alert is false, news spikes included.

Two recalls are printed, never one instead of the other:

- **recall(>=3x)**, the strict figure of the issue: every burst whose mentions (usual + added) were
  at least three times the usual count over the burst, however few mentions it realised. On a
  brand with 0.1 negative an hour, a burst that realised +1 mention in 40 minutes is "x20", yet
  no method can tell it from an ordinary complaint at a budget of a false alert a month.
- **detectable**: the >=3x bursts that an *oracle scan* finds at the same budget. The oracle knows
  the generator's exact expected rate (no learning, no cold start, the generator's own
  volatility) and tests the same windows with the same alphas, ``min_count`` and ``min_ratio``;
  it only looks from each burst's start to an hour after its end, so it has no false alerts by
  construction. Its own recall(>=3x) and delays are printed too: they are the ceiling of a
  windowed test at this budget (with budgets up to 40 times larger, or 5- and 10-minute windows
  added, it stays at 0.90-0.96 and 30-80 min for the large brands, measured with a throw-away
  script on seeds 1-3, 12 brands x 8 weeks).

``--cusum`` adds an oracle Poisson CUSUM (knows the rate, tuned to a tripling, threshold
calibrated by simulation on null streams to the same budget): the other classic way to
accumulate evidence on slow bursts, to see whether it would beat the scan's ceiling.

The delay table gives the median and p90 delay per brand size, per shape and per size x shape,
for Veille, the oracle scan (and CUSUM) and both ElastAlert rules: first from the burst's start
(the issue's definition, which decides the target line), then, as a second reading only, from the
first 5 minutes where the burst's rate (usual + injected) reaches 3x the usual one (later than the
start for a gradual burst). What counts as a burst or a hit is the same in both. The last lines
say which targets are out of reach of the oracle scan itself on this run.

``--misses`` lists every >=3x burst Veille missed or caught late (over 60 min; over 20 min above
200 mentions a day) with its size, shape, added mentions and the oracle's delay.

    .venv/bin/python bench/alert_quality.py [--brands 30] [--weeks 8] [--seed 7] [--misses] [--cusum]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alerts.engine import policy_for
from alerts.episodes import AlertState, advance
from alerts.rules import RuleContext, build_rule
from alerts.rules.detector import HISTORY, HOUR, STEP, learn, prior_phi, tail
from alerts.rules.spike import SCANNED, detector_params
from alerts.series import Series
from core.config.alerts import NegativeSpikeRule

TZ = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
BINS_PER_HOUR = 12
SIZES = (("2-20/day", 2, 20), ("20-200/day", 20, 200), (">200/day", 200, 2000))
MATCH_AFTER = 12  # bins (1 h) after a burst's end where an alert still counts as finding it


@dataclass
class Burst:
    start: int
    end: int
    per_hour: float
    gradual: bool
    added: int = 0
    usual: float = 0.0
    at_3x: int | None = None  # first bin where the usual rate + the injected one reaches 3x the usual

    @property
    def factor(self) -> float:
        return (self.usual + self.added) / max(self.usual, 1e-9)


@dataclass
class Stream:
    size: str
    per_day: float
    neg: list[int]
    total: list[int]
    bursts: list[Burst] = field(default_factory=list)
    news: list[tuple[int, int]] = field(default_factory=list)
    expected: list[float] = field(default_factory=list)  # the generator's own negative rate per bin


def daily(hour: float, evening: float) -> float:
    """Low at night, a lunch bump and an evening peak (its height differs from brand to brand)."""
    base = 0.2 + 0.8 * math.exp(-((hour - 12.5) ** 2) / 18) + evening * math.exp(-((hour - 20.5) ** 2) / 6)
    return base


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


def generate(rng: random.Random, size: str, per_day: float, weeks: int) -> Stream:
    bins = weeks * 7 * 24 * BINS_PER_HOUR
    share = rng.uniform(0.1, 0.25)
    evening = rng.uniform(0.3, 1.2)
    weekend = rng.uniform(0.55, 1.15)
    growth = rng.uniform(-0.3, 0.4)  # over the whole period
    shape_mean = statistics.fmean(daily(h + 0.5, evening) for h in range(24))
    neg, total, expected_neg = [0] * bins, [0] * bins, [0.0] * bins
    day_noise = hour_noise = 1.0
    for i in range(bins):
        when = (T0 + i * STEP).astimezone(TZ)
        if i % (24 * BINS_PER_HOUR) == 0:
            day_noise = rng.gammavariate(1 / 0.15**2, 0.15**2)
        if i % BINS_PER_HOUR == 0:
            hour_noise = rng.gammavariate(1 / 0.3**2, 0.3**2)
        level = per_day / 24 / BINS_PER_HOUR * (1 + growth * i / bins)
        shape = daily(when.hour + when.minute / 60, evening) / shape_mean
        lam = level * shape * (weekend if when.weekday() >= 5 else 1.0)
        n = poisson(rng, lam * day_noise * hour_noise)
        k = sum(1 for _ in range(n) if rng.random() < share)
        neg[i], total[i], expected_neg[i] = k, n, lam * share
    stream = Stream(size, per_day, neg, total, expected=expected_neg)
    add_news(rng, stream, per_day, share)
    add_bursts(rng, stream, expected_neg)
    return stream


def add_news(rng: random.Random, stream: Stream, per_day: float, share: float) -> None:
    """Non-negative news spikes: 3 to 10 times the hourly volume for 1 to 6 h, fewer negatives."""
    i = rng.randrange(0, 10 * 24 * BINS_PER_HOUR)
    while i < len(stream.total):
        length = rng.randrange(1, 7) * BINS_PER_HOUR
        extra = per_day / 24 * rng.uniform(3, 10) / BINS_PER_HOUR + rng.uniform(0.5, 2) / BINS_PER_HOUR
        for j in range(i, min(i + length, len(stream.total))):
            n = poisson(rng, extra)
            stream.total[j] += n
            stream.neg[j] += sum(1 for _ in range(n) if rng.random() < share * 0.5)
        stream.news.append((i, i + length))
        i += length + rng.randrange(7 * 24 * BINS_PER_HOUR, 14 * 24 * BINS_PER_HOUR)


def add_bursts(rng: random.Random, stream: Stream, expected: list[float]) -> None:
    """+2..+20 negatives an hour (log-uniform), 30 min..12 h (log-uniform), sudden or gradual."""
    i = rng.randrange(2 * BINS_PER_HOUR, 2 * 24 * BINS_PER_HOUR)
    while True:
        length = round(math.exp(rng.uniform(math.log(6), math.log(144))))
        if i + length + 24 * BINS_PER_HOUR >= len(stream.neg):
            return
        burst = Burst(i, i + length, math.exp(rng.uniform(math.log(2), math.log(20))), rng.random() < 0.5)
        for j in range(i, i + length):
            # Gradual: rises linearly from nothing to twice the mean rate (same total).
            rate = burst.per_hour / BINS_PER_HOUR * ((2 * (j - i) + 1) / length if burst.gradual else 1.0)
            if burst.at_3x is None and expected[j] + rate >= 3 * expected[j]:
                burst.at_3x = j
            extra = poisson(rng, rate)
            stream.neg[j] += extra
            stream.total[j] += extra
            burst.added += extra
            burst.usual += expected[j]
        stream.bursts.append(burst)
        i += length + rng.randrange(2 * 24 * BINS_PER_HOUR, 5 * 24 * BINS_PER_HOUR)


def hourly(values: list[int], start: int, end: int) -> list[int | None]:
    """Hourly sums of bins [start, end); hours before the stream began are unknown."""
    out: list[int | None] = []
    for h in range(start, end, BINS_PER_HOUR):
        out.append(None if h < 0 else sum(values[h : h + BINS_PER_HOUR]))
    return out


def rule_config(budget: float | None) -> NegativeSpikeRule:
    """The shipped negative_spike defaults, with another budget if one is given."""
    options = {} if budget is None else {"false_alarms_per_month": budget}
    return NegativeSpikeRule(name="bench", type="negative_spike", **options)


def veille_alerts(stream: Stream, budget: float | None = None) -> list[int]:
    config = rule_config(budget)
    rule = build_rule(config, RuleContext(("brand",), (), TZ))
    policy = policy_for(rule)
    state = AlertState(rule="bench", key="brand")
    scanned = int(SCANNED / STEP)
    fired: list[int] = []
    profile, profile_end = None, None
    neg_hours = [sum(stream.neg[h : h + BINS_PER_HOUR]) for h in range(0, len(stream.neg), BINS_PER_HOUR)]
    tot_hours = [sum(stream.total[h : h + BINS_PER_HOUR]) for h in range(0, len(stream.total), BINS_PER_HOUR)]
    for i in range(1, len(stream.neg) + 1):  # a check at the end of every 5-minute bin
        now = T0 + i * STEP
        history_end = (now - SCANNED).replace(minute=0, second=0, microsecond=0)
        if history_end != profile_end:  # the profile only changes when its last hour does
            profile_end = history_end
            end_h = int((history_end - T0) / HOUR)
            start_h = end_h - int(HISTORY / HOUR)
            values = [None if h < 0 else neg_hours[h] for h in range(start_h, end_h)]
            totals = [None if h < 0 else tot_hours[h] for h in range(start_h, end_h)]
            profile = learn(Series(T0 + start_h * HOUR, HOUR, values, totals), TZ)
        lo = i - scanned
        recent_neg = [None] * max(0, -lo) + stream.neg[max(lo, 0) : i]
        recent_tot = [None] * max(0, -lo) + stream.total[max(lo, 0) : i]
        recent = Series(now - SCANNED, STEP, recent_neg, recent_tot)
        finding = rule.judge("brand", profile, recent)  # type: ignore[attr-defined]
        transition = advance(state, finding, now, policy)
        state = transition.state
        if transition.kind == "alert":
            fired.append(i)
    return fired


def elastalert_alerts(
    stream: Stream, timeframe: int, height: float = 3.0, threshold_cur: int = 5
) -> list[int]:
    """SpikeRule in count mode: current window vs the one before; after a match the windows are
    cleared (nothing for two timeframes) and realert (2 h, as ours) silences the rule."""
    prefix = [0]
    for v in stream.neg:
        prefix.append(prefix[-1] + v)
    fired: list[int] = []
    skip_until = 0
    for i in range(2 * timeframe, len(stream.neg) + 1):
        if i < skip_until:
            continue
        cur = prefix[i] - prefix[i - timeframe]
        ref = prefix[i - timeframe] - prefix[i - 2 * timeframe]
        if cur >= threshold_cur and cur >= ref * height:
            fired.append(i)
            skip_until = i + max(2 * timeframe, 24)
    return fired


def oracle_alerts(stream: Stream, budget: float | None = None) -> list[int]:
    """Checks, within each burst and the hour after it, where a scan that *knows* the generator's
    expected rate (no learning, no cold start, the generator's exact volatility) finds a window
    significant at the shipped budget: a ceiling for any detector built on windows at that budget.
    Only checks near bursts are made, so its false alerts are not measured (0 by construction)."""
    params = detector_params(rule_config(budget), negative=True)
    neg = [0]
    exp = [0.0]
    for v, e in zip(stream.neg, stream.expected, strict=True):
        neg.append(neg[-1] + v)
        exp.append(exp[-1] + e)
    fired = []
    for burst in stream.bursts:
        for i in range(burst.start + 1, min(burst.end + MATCH_AFTER, len(stream.neg)) + 1):
            for length in params.windows:
                n = min(int(length / STEP), i)
                count, expected = neg[i] - neg[i - n], exp[i] - exp[i - n]
                if count < params.min_count or count < params.min_ratio * expected:
                    continue
                phi = prior_phi(length)
                if tail(count, expected, phi) <= params.alpha(length):
                    fired.append(i)
                    break
            else:
                continue
            break
    return fired


CUSUM_SHIFT = 3.0  # the oracle CUSUM is tuned to detect a tripling of the negative rate


def _cusum(counts: list[int], rate: list[float], h: float) -> list[int]:
    """Poisson CUSUM for a shift of the rate to CUSUM_SHIFT times it: alarm bins, reset after each."""
    log_k, s, alarms = math.log(CUSUM_SHIFT), 0.0, []
    for t, (x, lam) in enumerate(zip(counts, rate, strict=True)):
        s = max(0.0, s + x * log_k - (CUSUM_SHIFT - 1) * lam)
        if s >= h:
            alarms.append(t + 1)
            s = 0.0
    return alarms


def oracle_cusum_alerts(stream: Stream, rng: random.Random, budget: float) -> list[int]:
    """A Poisson CUSUM that knows the generator's rate (the other idea for slow bursts). Its
    threshold is calibrated on two null streams drawn from the same rate and volatility (no
    bursts, no news) to ``budget`` alarms a month; it has no share test and no cool-down, so its
    false alerts on the real stream (news days, repeats after a burst) flatter nobody."""
    nulls = []
    for _ in range(2):
        null, day, hour = [], 1.0, 1.0
        for i, lam in enumerate(stream.expected):
            if i % (24 * BINS_PER_HOUR) == 0:
                day = rng.gammavariate(1 / 0.15**2, 0.15**2)
            if i % BINS_PER_HOUR == 0:
                hour = rng.gammavariate(1 / 0.3**2, 0.3**2)
            null.append(poisson(rng, lam * day * hour))
        nulls.append(null)
    months = 2 * len(stream.expected) * STEP / timedelta(days=30)
    low, high = 0.5, 64.0  # bisection on log h: alarms fall as h rises
    for _ in range(12):
        h = math.sqrt(low * high)
        rate = sum(len(_cusum(n, stream.expected, h)) for n in nulls) / months
        low, high = (h, high) if rate > budget else (low, h)
    return _cusum(stream.neg, stream.expected, high)


@dataclass
class Score:
    size: str
    found: list[tuple[Burst, float | None]]  # burst, delay in minutes (None = missed)
    false_alerts: int
    months: float


def score(stream: Stream, fired: list[int]) -> Score:
    matched: set[int] = set()
    found = []
    for burst in stream.bursts:
        hits = [t for t in fired if burst.start < t <= burst.end + MATCH_AFTER]
        matched.update(hits)
        found.append((burst, (hits[0] - burst.start) * 5.0 if hits else None))
    months = len(stream.neg) * STEP / timedelta(days=30)
    return Score(stream.size, found, sum(1 for t in fired if t not in matched), months)


def _p90(delays: list[float]) -> float:
    """Nearest rank (the smallest delay with at least 90 % of the delays at or below it)."""
    return delays[math.ceil(0.9 * len(delays)) - 1]


def summarize(name: str, scores: list[Score], detectable: set[int] | None = None) -> dict[str, float]:
    """One line: strict recall on >=3x bursts, recall on the detectable ones (those the oracle scan
    finds at the same budget), false alerts per brand-month, median and p90 delay (>=3x found)."""
    big = [(b, d) for s in scores for b, d in s.found if b.factor >= 3]
    recall = sum(d is not None for _, d in big) / len(big) if big else float("nan")
    months = sum(s.months for s in scores)
    false_rate = sum(s.false_alerts for s in scores) / months if months else float("nan")
    delays = sorted(d for _, d in big if d is not None)
    median = statistics.median(delays) if delays else float("nan")
    p90 = _p90(delays) if delays else float("nan")
    line = (
        f"{name:<34} recall(>=3x) {recall:5.3f} ({len(delays)}/{len(big)})  "
        f"false/brand-month {false_rate:5.2f}  delay median {median:4.0f} min, p90 {p90:4.0f} min"
    )
    out = {"recall": recall, "false": false_rate, "median": median}
    if detectable is not None:
        seen = [d for b, d in big if id(b) in detectable]
        out["detectable"] = sum(d is not None for d in seen) / len(seen) if seen else float("nan")
        line += f"  detectable {out['detectable']:5.3f} ({sum(d is not None for d in seen)}/{len(seen)})"
    print(line)
    return out


def only(scores: list[Score], keep: Callable[[Burst], bool]) -> list[Score]:
    """The same scores restricted to some bursts (false alerts kept: they belong to the brand)."""
    return [Score(s.size, [(b, d) for b, d in s.found if keep(b)], s.false_alerts, s.months) for s in scores]


def _delays(scores: list[Score], keep: Callable[[Stream | None, Burst], bool], streams: list[Stream],
            *, from_3x: bool) -> list[float]:  # fmt: skip
    out = []
    for stream, sc in zip(streams, scores, strict=True):
        for burst, delay in sc.found:
            if burst.factor >= 3 and delay is not None and keep(stream, burst):
                shift = 0.0
                if from_3x and burst.at_3x is not None:
                    shift = (burst.at_3x - burst.start) * 5.0
                out.append(delay - shift)
    return sorted(out)


def _median_p90(delays: list[float]) -> str:
    if not delays:
        return f"{'-':>5} {'-':>5}"
    return f"{statistics.median(delays):5.0f} {_p90(delays):5.0f}"


def print_delays(streams: list[Stream], rows: list[tuple[str, list[Score]]]) -> None:
    """Median and p90 delay (minutes, found >=3x bursts) per brand size and per shape, for each
    detector in ``rows``: first from the burst's start (the issue's definition), then, as a second
    reading only, from the first 5 minutes where the burst's rate (usual + injected) reaches 3x the
    usual one: a gradual burst starts from nothing and gets there later (a negative figure: caught
    before it got there)."""
    groups: list[tuple[str, Callable[[Stream | None, Burst], bool]]] = [("all", lambda s, b: True)]
    for size, _, _ in SIZES:
        groups.append((size, lambda s, b, z=size: s is not None and s.size == z))
    for shape, gradual in (("sudden", False), ("gradual", True)):
        groups.append((shape, lambda s, b, g=gradual: b.gradual == g))
        for size, _, _ in SIZES:
            groups.append((f"{shape} {size}", lambda s, b, g=gradual, z=size: b.gradual == g and s.size == z))  # type: ignore[union-attr]
    names = "".join(f" | {name[:14]:^14}" for name, _ in rows)
    print("delay (minutes; median p90 of the found >=3x bursts)")
    for from_3x in (False, True):
        title = (
            "from the burst's start (the issue's definition)"
            if not from_3x
            else ("second reading: from the first 5 min where the burst's rate reaches 3x the usual")
        )
        print(f"  {title}")
        print(f"  {'bursts':<22}{names}")
        print(f"  {'':<22}" + f" | {'median   p90':>14}" * len(rows))
        for label, keep in groups:
            cells = "".join(
                f" | {_median_p90(_delays(sc, keep, streams, from_3x=from_3x)):>14}" for _, sc in rows
            )
            print(f"  {label:<22}{cells}")


def print_misses(streams: list[Stream], scores: list[Score], oracle: list[Score]) -> None:
    """Every >=3x burst Veille missed or caught late (over 60 min, over 20 min above 200/day)."""
    print(
        "missed or late >=3x bursts (size, mentions/day, usual negatives/h, start day+h, length, shape, "
        "added, usual over the burst, factor, delay)"
    )
    for stream, sc, orc in zip(streams, scores, oracle, strict=True):
        usual_h = sum(stream.neg) / len(stream.neg) * BINS_PER_HOUR
        for (burst, delay), (_, best) in zip(sc.found, orc.found, strict=True):
            late = 20 if stream.size == ">200/day" else 60
            if burst.factor < 3 or (delay is not None and delay <= late):
                continue
            day, rest = divmod(burst.start, 24 * BINS_PER_HOUR)
            print(
                f"  {stream.size:<10} {stream.per_day:7.1f} {usual_h:6.2f} d{day:<2}+{rest / 12:4.1f}h "
                f"{(burst.end - burst.start) * 5:4d} min {'gradual' if burst.gradual else 'sudden ':<7} "
                f"+{burst.added:<3d} usual {burst.usual:6.2f} x{burst.factor:6.1f}  "
                f"{'MISSED' if delay is None else f'{delay:.0f} min'}  "
                f"(oracle: {'missed' if best is None else f'{best:.0f} min'})"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brands", type=int, default=30, help="simulated brands, spread over the sizes")
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--budget", type=float, help="false_alarms_per_month (default: the shipped one)")
    parser.add_argument("--misses", action="store_true", help="list Veille's missed and late bursts")
    parser.add_argument("--cusum", action="store_true", help="also run the oracle CUSUM (slow)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    streams = []
    for n in range(args.brands):
        size, low, high = SIZES[n % len(SIZES)]
        streams.append(generate(rng, size, math.exp(rng.uniform(math.log(low), math.log(high))), args.weeks))
    bursts = [b for s in streams for b in s.bursts]
    print(
        f"{len(streams)} brands x {args.weeks} weeks (2 to 2,000 mentions/day), {len(bursts)} bursts "
        f"({sum(b.factor >= 3 for b in bursts)} of >= 3x), {sum(len(s.news) for s in streams)} news "
        f"spikes; checks every 5 min from the first mention (first week counted)"
    )
    veille = [score(s, veille_alerts(s, args.budget)) for s in streams]
    elast1 = [score(s, elastalert_alerts(s, 12)) for s in streams]
    elast2 = [score(s, elastalert_alerts(s, 24)) for s in streams]
    oracle = [score(s, oracle_alerts(s, args.budget)) for s in streams]
    found = {id(b) for o in oracle for b, d in o.found if d is not None}
    print(
        "recall(>=3x) counts every burst that at least tripled the usual count, however few mentions it "
        "added; 'detectable' keeps those the oracle scan finds at the same budget (see the docstring)"
    )
    ours = summarize("veille negative_spike (defaults)", veille, found)
    orc = summarize("oracle scan (knows the rate)", oracle, found)
    delay_rows = [("veille", veille), ("oracle scan", oracle)]
    if args.cusum:
        cusum_rng = random.Random(args.seed)
        budget = rule_config(args.budget).false_alarms_per_month
        cusum = [score(s, oracle_cusum_alerts(s, cusum_rng, budget)) for s in streams]
        summarize("oracle CUSUM (knows the rate, x3)", cusum, found)
        delay_rows.append(("oracle CUSUM", cusum))
    base1 = summarize("elastalert spike 1 h (x3, cur>=5)", elast1, found)
    base2 = summarize("elastalert spike 2 h (x3, cur>=5)", elast2, found)
    by_size, orc_size = {}, {}
    for size, _, _ in SIZES:
        by_size[size] = summarize(f"  veille, {size}", [s for s in veille if s.size == size], found)
        orc_size[size] = summarize(f"  oracle, {size}", [s for s in oracle if s.size == size], found)
        summarize(f"  elastalert 1 h, {size}", [s for s in elast1 if s.size == size], found)
    for shape, gradual in (("sudden", False), ("gradual", True)):
        summarize(f"  veille, {shape} bursts", only(veille, lambda b, g=gradual: b.gradual == g), found)
        summarize(f"  oracle, {shape} bursts", only(oracle, lambda b, g=gradual: b.gradual == g), found)
    print_delays(streams, [*delay_rows, ("elastalert 1 h", elast1), ("elastalert 2 h", elast2)])
    if args.misses:
        print_misses(streams, veille, oracle)
    big = by_size[">200/day"]
    target = ours["recall"] >= 0.95 and ours["false"] <= 1.0 and ours["median"] <= 60 and big["median"] <= 20
    ahead = all(ours["recall"] > b["recall"] and ours["false"] < b["false"] for b in (base1, base2))
    print(
        f"target (recall>=0.95, <=1 false/brand-month, median delay <=60 min, <=20 min above "
        f"200/day): {'met' if target else 'NOT met'}; ahead of both baselines on recall and false "
        f"alerts: {'yes' if ahead else 'no'}  ({time.perf_counter() - started:.0f} s)"
    )
    # What the oracle scan (knows the rate) reaches says whether a target is within reach at all.
    for name, ok in (
        ("recall>=0.95", orc["recall"] >= 0.95),
        ("median delay <=60 min", orc["median"] <= 60),
        ("median delay <=20 min above 200/day", orc_size[">200/day"]["median"] <= 20),
    ):
        print(f"  reach: {name}: {'within' if ok else 'OUT OF'} reach of the oracle scan at this budget")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
