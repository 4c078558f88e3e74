"""MentionCounts (replay's in-memory counts) against a direct count of the same mentions."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from alerts.replay_counts import MentionCounts, millis

ORIGIN = datetime(2026, 1, 1, tzinfo=UTC)


def direct(times, stories, first, start, step, bins, once):
    """Live's rules, one mention at a time: a story once per bin (or per span), None before ``first``."""
    s0, width = millis(start), round(step.total_seconds() * 1000)
    out, seen_in_span = [], set()
    for b in range(bins):
        lo, hi = s0 + b * width, s0 + (b + 1) * width
        count, seen = 0, set()
        for t, story in zip(times, stories, strict=True):
            if not lo <= t < hi:
                continue
            if story is None:
                count += 1
            elif story not in (seen_in_span if once else seen):
                (seen_in_span if once else seen).add(story)
                count += 1
        out.append(None if first is None or lo < first else count)
    return out


def test_counts_match_a_direct_count_for_any_span_and_cadence():
    rng = random.Random(3)
    for _ in range(200):
        times = sorted(
            millis(ORIGIN) + rng.randrange(0, 3 * 86_400_000) for _ in range(rng.randrange(0, 300))
        )
        stories = [rng.choice([None, "a", "b", "c", "d"]) for _ in times]
        first = times[0] - rng.randrange(0, 86_400_000) if times else None
        counts = MentionCounts(times, stories, first, millis(ORIGIN))
        start = ORIGIN + timedelta(minutes=rng.choice([1, 5, 7, 60]) * rng.randrange(0, 400))
        step = rng.choice(
            [timedelta(minutes=5), timedelta(hours=1), timedelta(minutes=1), timedelta(minutes=7)]
        )
        bins, once = rng.randrange(1, 100), rng.random() < 0.5
        got = counts.series(start, start + bins * step, step, once=once)
        assert got == direct(times, stories, first, start, step, bins, once), (start, step, once)


def test_a_story_repeated_within_the_span_counts_once_in_the_bin_of_its_first_mention():
    t0 = millis(ORIGIN)
    minute = 60_000
    times = [t0 + 2 * minute, t0 + 7 * minute, t0 + 12 * minute, t0 + 13 * minute]
    counts = MentionCounts(times, ["s", "s", "s", None], t0, t0)
    five = timedelta(minutes=5)
    assert counts.series(ORIGIN, ORIGIN + 3 * five, five, once=False) == [1, 1, 2]
    assert counts.series(ORIGIN, ORIGIN + 3 * five, five, once=True) == [1, 0, 1]
    assert counts.series(ORIGIN + five, ORIGIN + 3 * five, five, once=True) == [1, 1]
