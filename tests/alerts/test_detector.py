"""The bad-buzz detector on count series: expectations, evidence over several windows, cold start."""

from __future__ import annotations

import importlib.util
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from alerts.rules import RuleContext, build_rule, detector
from alerts.rules.detector import HOUR, STEP, Params, binomial_tail, learn, scan, tail
from alerts.series import Series
from core.config.alerts import NegativeSpikeRule, VolumeSpikeRule

TZ = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 18, 15, tzinfo=UTC)  # a Wednesday afternoon
NEG = Params(check_share=True)


def hourly_history(rate_at, hours: int, end: datetime, seed: int = 1, share: float = 0.2) -> Series:
    """Poisson counts of negatives at ``rate_at(local hour)`` per hour, totals at 1/share of it."""
    rng = random.Random(seed)
    start = end - hours * HOUR
    values, totals = [], []
    for i in range(hours):
        lam = rate_at((start + i * HOUR).astimezone(TZ).hour)
        n = _poisson(rng, lam)
        values.append(n)
        totals.append(n + _poisson(rng, lam * (1 - share) / share))
    return Series(start, HOUR, values, totals)


def recent(neg: list, total: list | None = None, end: datetime = NOW, others: float = 0.5) -> Series:
    """5-minute negative counts ending at ``end``; totals add ``others`` other mentions a bin."""
    if total is None:
        total = [
            None if v is None else v + int((i + 1) * others) - int(i * others) for i, v in enumerate(neg)
        ]
    return Series(end - len(neg) * STEP, STEP, neg, total)


def _poisson(rng: random.Random, lam: float) -> int:
    k, p, limit = 0, rng.random(), pow(2.718281828459045, -lam)
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def test_tails_match_known_values():
    assert tail(7, 1.0, 0.0) == pytest.approx(8.3e-5, rel=0.01)  # P(X >= 7 | Poisson 1)
    assert tail(7, 1.0, 0.3) > tail(7, 1.0, 0.0)  # over-dispersion widens the tail
    assert tail(0, 5.0, 0.1) == 1.0 and tail(3, 0.0, 0.1) == 0.0
    assert binomial_tail(5, 5, 0.2) == pytest.approx(0.2**5)


def test_a_bigger_budget_lowers_the_bar():
    assert Params(false_alarms_per_month=2).alpha(HOUR) > Params().alpha(HOUR)
    assert Params().alpha(timedelta(hours=12)) > Params().alpha(timedelta(minutes=15))


def test_too_little_history_is_learning_not_firing():
    history = Series(NOW - 12 * HOUR - 24 * HOUR, HOUR, [None] * 14 + [1] * 10)
    assert learn(history, TZ) is None
    profile = learn(hourly_history(lambda h: 1.0, 24, NOW - 12 * HOUR), TZ)
    assert profile is not None
    assert scan(recent([None] * 142 + [5] * 2), profile, TZ, NEG).status == "learning"
    # Only the windows wholly after the first known bin are judged.
    young = scan(recent([None] * 100 + [0] * 44), profile, TZ, NEG)
    assert young.status == "normal" or max(w.length for w in young.windows) <= timedelta(hours=2)


def _rule():
    return build_rule(NegativeSpikeRule(name="n", type="negative_spike"), RuleContext(("Velora",), (), TZ))


def test_cold_start_judges_a_brand_a_few_hours_old_on_its_own_hours():
    # Installed 6 h ago (no history profile yet), about 1 negative mention an hour among 5 others.
    rng = random.Random(4)
    calm = [None] * 72 + [1 if rng.random() < 1 / 12 else 0 for _ in range(72)]
    totals = [None if v is None else v + (1 if i % 2 else 0) for i, v in enumerate(calm)]
    quiet = _rule().judge("Velora", None, recent(calm, totals))  # type: ignore[attr-defined]
    assert quiet.status in ("normal", "elevated"), quiet.figures
    # Then 20 negative mentions in the last hour: a bad buzz, even on its first day.
    buzz = [*calm[:132], 1, 2, 2, 1, 2, 2, 1, 2, 2, 1, 2, 2]
    tot = totals[:132] + [v + 1 for v in buzz[132:]]
    finding = _rule().judge("Velora", None, recent(buzz, tot))  # type: ignore[attr-defined]
    assert finding.status == "firing", finding.figures
    # Two hours old is too young to judge anything.
    young = [None] * 120 + [0] * 12 + buzz[132:]
    assert _rule().judge("Velora", None, recent(young)).status == "learning"  # type: ignore[attr-defined]


def test_a_large_brand_burst_fires_within_fifteen_minutes():
    profile = learn(hourly_history(lambda h: 12.0, 28 * 24, NOW - 12 * HOUR), TZ)
    assert profile is not None
    calm = [1] * 141
    assert scan(recent([*calm, 1, 1, 1], others=4), profile, TZ, NEG).status == "normal"
    verdict = scan(recent([*calm, 6, 7, 6], others=4), profile, TZ, NEG)  # +16 negatives in 15 minutes
    assert verdict.status == "firing"
    assert verdict.best is not None and verdict.best.length <= timedelta(minutes=30)


def test_a_slow_small_buzz_is_caught_over_hours():
    # 2 negative mentions a day, then +3 an hour: never 5 in one hour, yet a bad buzz.
    profile = learn(hourly_history(lambda h: 2 / 24, 28 * 24, NOW - 12 * HOUR), TZ)
    assert profile is not None
    one_in_an_hour = [0] * 143 + [1]
    assert scan(recent(one_in_an_hour), profile, TZ, NEG).status == "normal"
    slow = [0] * 96 + [1 if i % 4 == 0 else 0 for i in range(48)]  # 3 an hour for 4 hours
    verdict = scan(recent(slow, others=0.03), profile, TZ, NEG)
    assert verdict.status == "firing"
    assert verdict.best is not None and verdict.best.length >= timedelta(hours=2)


def test_cold_start_does_not_take_the_evening_peak_for_a_buzz():
    # One night and morning of history (quiet), then the usual evening, five times busier.
    def day(hour: int) -> float:
        return 1.0 if 8 <= hour < 18 else 0.4 if hour < 8 else 5.0

    history_end = datetime(2026, 3, 18, 6, tzinfo=UTC)  # 7h in Paris
    profile = learn(hourly_history(day, 14, history_end, seed=3), TZ)
    assert profile is not None
    evening_end = history_end + 13 * HOUR  # 20h in Paris
    counts = []
    for i in range(144):
        hour = (evening_end - (144 - i) * STEP).astimezone(TZ).hour
        counts.append(1 if (hour >= 18 and i % 3 == 0) or (hour < 18 and i % 12 == 0) else 0)
    verdict = scan(recent(counts, end=evening_end), profile, TZ, NEG)
    assert verdict.status != "firing", verdict.why


def test_a_news_day_lifting_every_mention_is_not_a_negative_buzz():
    profile = learn(hourly_history(lambda h: 2.0, 28 * 24, NOW - 12 * HOUR), TZ)
    assert profile is not None
    neg = [0] * 132 + [2] * 12  # 24 negatives in the last hour instead of 2...
    news = scan(recent(neg, [10 * v + 1 for v in neg]), profile, TZ, NEG)  # ...among ten times the volume
    assert news.status != "firing"
    buzz = scan(recent(neg, others=0.67), profile, TZ, NEG)  # the same, mostly negative
    assert buzz.status == "firing"


def test_a_pure_negative_excess_on_a_small_brand_needs_no_share_test():
    # About one negative mention a day; three in half an hour, with the other mentions at their
    # usual trickle (one). 3 of 4 is not a significant share at 1 %, but nothing else rose: no
    # news day to rule out, so the count alone decides.
    profile = learn(hourly_history(lambda h: 0.05, 28 * 24, NOW - 12 * HOUR), TZ)
    assert profile is not None
    neg = [0] * 138 + [1, 0, 1, 0, 1, 0]
    verdict = scan(recent(neg, [0] * 138 + [1, 1, 1, 0, 1, 0]), profile, TZ, NEG)
    assert verdict.status == "firing", verdict.why
    assert verdict.best is not None and verdict.best.share == pytest.approx(3 / 4)  # the window's own share
    # The same three among a burst of other mentions (a news item) must pass the share test.
    news = scan(recent(neg, [0] * 138 + [4, 3, 4, 3, 4, 3]), profile, TZ, NEG)
    assert news.status != "firing", news.why


def test_a_past_buzz_does_not_hide_the_next_one():
    history = hourly_history(lambda h: 0.1, 28 * 24, NOW - 12 * HOUR)
    values = list(history.values)
    for i in range(300, 310):  # ten hours of +15 negatives a day two weeks ago
        values[i] = (values[i] or 0) + 15
    profile = learn(Series(history.start, HOUR, values, history.totals), TZ)
    assert profile is not None
    slow = [0] * 120 + [1 if i % 3 == 0 else 0 for i in range(24)]  # 8 in two hours
    assert scan(recent(slow, others=0.03), profile, TZ, NEG).status == "firing"


def test_an_ended_excess_does_not_fire_again():
    profile = learn(hourly_history(lambda h: 0.2, 28 * 24, NOW - 12 * HOUR), TZ)
    assert profile is not None
    ended = [0] * 20 + [2] * 12 + [0] * 112  # a burst ten hours ago, nothing since
    verdict = scan(recent(ended, others=0.07), profile, TZ, NEG)
    assert verdict.status == "normal"  # over: the 12 h window still holds it, but it has ended


def test_ordinary_noise_hours_after_a_burst_does_not_open_a_new_episode():
    # 1.5 negatives an hour; a burst of +20 ended nine hours ago; the last three hours hold 8
    # (4.5 expected): the 12 h window still holds the old excess and its last quarter is a little
    # above the bar, but no more than noise often is. Not a new buzz.
    profile = learn(hourly_history(lambda h: 1.5, 28 * 24, NOW - 12 * HOUR), TZ)
    assert profile is not None

    def hour(n: int) -> list[int]:  # n mentions spread over the twelve bins of an hour
        out = [0] * 12
        for k in range(n):
            out[k * 12 // n] += 1
        return out

    values = hour(2) + hour(12) * 2 + [v for h in range(3, 9) for v in hour(1 if h % 2 else 2)]
    values += hour(3) + hour(3) + hour(2)
    verdict = scan(recent(values, others=0.3), profile, TZ, NEG)
    assert verdict.status != "firing"


def test_the_rule_says_the_size_in_french():
    rule = build_rule(NegativeSpikeRule(name="n", type="negative_spike"), RuleContext(("Velora",), (), TZ))
    profile = learn(hourly_history(lambda h: 0.5, 28 * 24, NOW - 12 * HOUR), TZ)
    neg = [0] * 132 + [1, 2, 1, 2, 1, 2, 1, 2, 1, 1, 0, 1]
    finding = rule.judge("Velora", profile, recent(neg, others=0.17))  # type: ignore[attr-defined]
    assert finding.status == "firing"
    assert finding.summary.startswith("Velora : ") and " mentions négatives en " in finding.summary
    assert "(×" in finding.summary and "fausse alerte par mois" in finding.figures["why_fr"]


def test_the_benchmark_runs_the_engine_code_itself():
    path = Path(__file__).resolve().parents[2] / "bench" / "alert_quality.py"
    spec = importlib.util.spec_from_file_location("alert_quality_bench", path)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up there
    try:
        spec.loader.exec_module(bench)
    finally:
        del sys.modules[spec.name]
    assert bench.learn is detector.learn
    assert bench.build_rule is build_rule


def test_a_burst_too_unlikely_for_a_float_is_still_explained():
    """NAB realTweets (up to 13,000 mentions in 5 minutes): a tail of 1e-310 has no inverse."""
    rule = build_rule(VolumeSpikeRule(name="v", type="volume_spike"), RuleContext(("Velora",), (), TZ))
    window = detector.Window(timedelta(minutes=15), 4000, 150.0, 1e-310, 1e-6)
    assert "pratiquement jamais par hasard" in rule._why(window, "firing")  # type: ignore[attr-defined]
    window = detector.Window(timedelta(minutes=15), 40, 15.0, 2e-5, 1e-6)
    assert "une fois sur 50000" in rule._why(window, "firing")  # type: ignore[attr-defined]
