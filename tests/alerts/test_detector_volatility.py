"""The detector's volatility learned from each brand's own history, and its night-time prior."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from alerts.rules import detector
from alerts.rules.detector import HOUR, STEP, Params, learn, prior_phi, scan
from alerts.series import Series

NOW = datetime(2026, 3, 18, 15, tzinfo=UTC)  # a Wednesday afternoon
VOLUME = Params()  # the volume rule's test (no share)


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 50:  # normal approximation, plenty at these rates
        return max(0, round(rng.gauss(lam, lam**0.5)))
    k, p, limit = 0, rng.random(), pow(2.718281828459045, -lam)
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def history(
    rate: float, hours: int, cv: float, seed: int = 1, buzz: tuple[int, int, float] | None = None
) -> Series:
    """Hourly counts at ``rate`` times a Gamma hour-to-hour factor of sd ``cv`` (0 = pure Poisson);
    ``buzz`` = (first hour, hours, factor) multiplies some hours."""
    rng = random.Random(seed)
    values = []
    for i in range(hours):
        lam = rate * (rng.gammavariate(1 / cv**2, cv**2) if cv else 1.0)
        if buzz and buzz[0] <= i < buzz[0] + buzz[1]:
            lam *= buzz[2]
        values.append(_poisson(rng, lam))
    return Series(NOW - timedelta(hours=12) - hours * HOUR, HOUR, values)


def recent_bins(per_bin: list[int]) -> Series:
    return Series(NOW - len(per_bin) * STEP, STEP, per_bin)


def test_a_bursty_brand_learns_a_wider_volatility_than_a_regular_one():
    regular = learn(history(100, 28 * 24, cv=0.0), UTC)
    bursty = learn(history(100, 28 * 24, cv=0.8), UTC)
    assert regular is not None and bursty is not None
    # Pure Poisson: nothing beyond it to learn, so the floor (half the generic value) after a week.
    assert regular.phi(HOUR) == pytest.approx(0.5 * prior_phi(HOUR))
    assert bursty.phi(HOUR) > 3 * prior_phi(HOUR)  # 0.8**2 = 0.64, shrunk a little
    assert bursty.phi(12 * HOUR) < bursty.phi(HOUR)  # averages out over longer windows
    # The same hour at 2.6 times the usual count: news for the regular brand, not for the bursty one.
    rng = random.Random(3)
    calm = [_poisson(rng, 100 / 12) for _ in range(132)]
    busy = calm + [_poisson(rng, 260 / 12) for _ in range(12)]
    assert scan(recent_bins(busy), regular, UTC, VOLUME).status == "firing"
    assert scan(recent_bins(busy), bursty, UTC, VOLUME).status != "firing"


def test_a_past_buzz_does_not_pass_for_volatility():
    calm = learn(history(40, 28 * 24, cv=0.3, seed=5), UTC)
    buzzed = learn(history(40, 28 * 24, cv=0.3, seed=5, buzz=(300, 8, 6.0)), UTC)
    assert calm is not None and buzzed is not None
    # Eight hours at six times the usual level would multiply a plain variance several times over.
    assert buzzed.phi(HOUR) < 1.3 * calm.phi(HOUR)


def test_cold_start_never_learns_a_calmer_brand_than_the_generic_one():
    young = learn(history(100, 3 * 24, cv=0.0), UTC)
    assert young is not None
    assert young.dispersion == pytest.approx(tuple(prior_phi(k * HOUR) for k in detector.SCALES))


def test_a_tiny_brand_learns_little_and_stays_near_the_generic_volatility():
    bursty = learn(history(0.1, 28 * 24, cv=0.8), UTC)  # truly 0.64 at an hour, hardly visible
    regular = learn(history(0.1, 28 * 24, cv=0.0), UTC)  # truly 0
    assert bursty is not None and regular is not None
    generic = prior_phi(HOUR)
    assert generic * 0.9 < bursty.phi(HOUR) < generic + (0.64 - generic) / 3
    assert regular.phi(HOUR) > 0.8 * generic


def test_waves_within_the_hour_widen_the_short_windows():
    rng = random.Random(7)
    flat = [_poisson(rng, 20) for _ in range(144)]
    # The same volume, but a third of each hour's mentions come in one 5-minute wave.
    wavy = []
    for _hour in range(12):
        bins = [_poisson(rng, 20 * 2 / 3) for _ in range(12)]
        bins[rng.randrange(12)] += _poisson(rng, 80)
        wavy += bins
    end = NOW
    flat_phi = detector._sub_hour_phi(detector._clock_hours(flat, end), 3, prior_phi(HOUR))
    wavy_phi = detector._sub_hour_phi(detector._clock_hours(wavy, end), 3, prior_phi(HOUR))
    assert flat_phi < 0.02
    assert wavy_phi > 0.1  # winsorised: the wave is an outlier within its hour, by design
    # A 15-minute wave of the same kind now is ordinary for that brand, news for the flat one.
    profile = learn(history(240, 28 * 24, cv=0.3, seed=2), UTC)
    assert profile is not None
    last = [20, 20, 200]
    assert scan(recent_bins(flat[:-3] + last), profile, UTC, VOLUME).status == "firing"
    assert scan(recent_bins(wavy[:-3] + last), profile, UTC, VOLUME).status != "firing"


def test_a_tiny_brand_expects_less_at_night_than_at_its_peak():
    """The prior of each hour follows a generic day: after four weeks a brand with 3 mentions a
    day no longer expects its peak level at 4 am (a night-time burst would drown in it)."""
    rng = random.Random(11)
    start = NOW - timedelta(hours=12) - 28 * 24 * HOUR
    shape = detector.GENERIC_DAY
    scale = 3 / sum(shape)
    values = [_poisson(rng, scale * shape[(start + i * HOUR).hour]) for i in range(28 * 24)]
    profile = learn(Series(start, HOUR, values), UTC)
    assert profile is not None
    wednesday = 2 * 24
    assert profile.rates[wednesday + 4] < 0.5 * profile.rates[wednesday + 19]
