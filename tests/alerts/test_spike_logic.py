"""The spike decision on count series (no ES): minimum volume, robust baseline, share, learning."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alerts.rules import spike_logic
from alerts.rules.spike import spike_params
from alerts.rules.spike_logic import SpikeSeries, count_bound, decide_spike, series_from_counts, spike_windows
from core.config.alerts import NegativeSpikeRule

PARAMS = spike_params(NegativeSpikeRule(name="t", type="negative_spike"))


def series(current, recent, seasonal=(), recent_weeks=(), total=None, usual=None):
    total = 2 * current if total is None else total  # a negative share of 50 % unless said otherwise
    return SpikeSeries(current, total, tuple(recent), tuple(seasonal), tuple(recent_weeks), usual)


def test_a_zero_reference_never_fires_below_the_minimum_volume():
    quiet = [0] * 24
    assert decide_spike(series(PARAMS.min_count - 1, quiet), PARAMS).status != "firing"
    assert decide_spike(series(4, quiet), PARAMS).threshold >= PARAMS.min_count


def test_a_real_burst_on_a_zero_reference_fires():
    verdict = decide_spike(series(12, [0] * 24), PARAMS)
    assert verdict.status == "firing"
    assert verdict.baseline == PARAMS.min_baseline  # the floor, not zero


def test_one_noisy_previous_window_does_not_lift_the_baseline():
    recent = [3] * 23 + [80]
    verdict = decide_spike(series(20, recent), PARAMS)
    assert verdict.baseline == 3
    assert verdict.status == "firing"


def test_one_past_burst_at_the_same_hour_is_left_out_of_the_seasonal_level():
    recent = [4] * 24
    seasonal = [4, 4, 5, 4, 90, 4, 4, 5, 4, 4]  # last week a burst at this hour
    weeks = [96, 96]
    verdict = decide_spike(series(20, recent, seasonal, weeks), PARAMS)
    assert verdict.seasonal_level is not None and verdict.seasonal_level < 6
    assert verdict.status == "firing"


def test_the_seasonal_level_follows_the_time_of_day():
    # Busy afternoon: 12 an hour at this time of day in previous weeks, the day's median is 5.
    recent, seasonal, weeks = [5] * 24, [12] * 10, [120, 120]
    assert decide_spike(series(20, recent, seasonal, weeks), PARAMS).status != "firing"
    # The same 20 at night, when this hour usually sees 2, is a spike.
    assert decide_spike(series(20, recent, [2] * 10, weeks), PARAMS).status == "firing"


def test_a_general_volume_rise_with_the_usual_negative_share_is_not_a_negative_spike():
    recent = [3] * 24
    rise = decide_spike(series(15, recent, total=100, usual=0.15), PARAMS)
    assert rise.status != "firing"
    buzz = decide_spike(series(15, recent, total=30, usual=0.15), PARAMS)
    assert buzz.status == "firing"


def test_no_history_means_learning_never_firing():
    verdict = decide_spike(series(50, [None] * 24), PARAMS)
    assert verdict.status == "learning"


def test_back_to_normal_needs_to_fall_halfway():
    recent = [10] * 24
    assert decide_spike(series(16, recent), PARAMS).status == "elevated"
    assert decide_spike(series(14, recent), PARAMS).status == "normal"


def test_count_bound_matches_the_poisson_tail():
    # P(X >= 7 | 1) = 8.3e-5 <= 1e-4 < P(X >= 6 | 1) = 5.9e-4
    assert count_bound(1.0, 1e-4, 0.0) == 7
    assert count_bound(0.0) == 1
    assert count_bound(10) > count_bound(10, dispersion=0.0)
    assert [count_bound(m) for m in (1, 2, 5, 20)] == sorted(count_bound(m) for m in (1, 2, 5, 20))


def test_windows_and_series_line_up():
    now = datetime(2026, 11, 20, 14, tzinfo=UTC)
    windows = spike_windows(now, PARAMS)
    assert windows["cur"] == (now - timedelta(hours=1), now)
    assert windows["r1"] == (now - timedelta(hours=2), now - timedelta(hours=1))
    assert windows["s1c"][1] - windows["s1c"][0] == timedelta(hours=1)
    counts = {key: i for i, key in enumerate(windows)}
    built = series_from_counts(counts, None, PARAMS)
    assert built.current == counts["cur"] and built.recent[0] == counts["r1"]
    assert len(built.seasonal) == 5 * PARAMS.baseline_weeks


def test_the_benchmark_runs_the_engine_decision_itself():
    path = Path(__file__).resolve().parents[2] / "bench" / "alert_quality.py"
    spec = importlib.util.spec_from_file_location("alert_quality_bench", path)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up there
    try:
        spec.loader.exec_module(bench)
    finally:
        del sys.modules[spec.name]
    assert bench.decide_spike is spike_logic.decide_spike
    assert bench.spike_windows is spike_logic.spike_windows


@pytest.mark.parametrize("current", [0, 3])
def test_nothing_fires_without_volume(current):
    assert decide_spike(series(current, [0] * 24), PARAMS).status == "normal"
