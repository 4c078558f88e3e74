"""The Numenta Anomaly Benchmark's scoring, written from its documentation (not from its code).

Sources: Lavin & Ahmad, "Evaluating Real-time Anomaly Detection Algorithms - the Numenta Anomaly
Benchmark" (ICMLA 2015, arXiv:1510.03336), the NAB wiki's scoring page and ``config/profiles.json``.

- Each data file has labelled **anomaly windows** (``labels/combined_windows.json``). The first
  detection inside a window is a true positive worth ``A_TP x sigma(y)``; later detections in the
  same window count for nothing. ``y`` is the detection's position relative to the window: -1 at
  its first record, 0 at its last. ``sigma(y) = 2 / (1 + e^(5y)) - 1`` (the "scaled sigmoid"), so
  an early detection earns almost 1 and one at the window's end almost 0.
- A detection outside every window is a false positive. Shortly after a window it costs
  ``A_FP x sigma(y)`` with ``y`` measured in that window's lengths past its end (a late detection
  of the same event costs little). Far from any window (``y`` > 3, or no window before) it costs
  ``A_FP`` in full.
- A window without any detection costs ``A_FN``.
- The first records of each file are a **probationary period** where the detector learns:
  detections there are ignored. Its length is 15 % of the file, at most 750 records (15 % of 5,000).
- **Profiles** weight the terms: standard (A_TP 1, A_FP 0.11, A_FN 1), reward low FP (A_FP 0.22),
  reward low FN (A_FN 2).
- **Normalised score**: ``100 x (S - S_null) / (S_perfect - S_null)`` over the files scored, where
  the null detector never detects (it only pays ``A_FN`` per window) and the perfect one detects
  at the first record of each window.

Checked against NAB's own per-record scores in ``results/numenta/realTweets/*.csv`` (v1.0): the
false-positive and missed-window terms match to the sixth decimal; a true positive scored in the
middle of its window differs from NAB's by about 0.01-0.02 (see ``tests/alerts/test_nab_scoring.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

PROBATION_SHARE = 0.15
PROBATION_MAX = 750  # records: 15 % of 5,000
FAR = 3.0  # window lengths after a window's end where a false positive gets the full cost


@dataclass(frozen=True)
class Profile:
    tp: float
    fp: float
    fn: float


PROFILES = {
    "standard": Profile(1.0, 0.11, 1.0),
    "reward_low_FP_rate": Profile(1.0, 0.22, 1.0),
    "reward_low_FN_rate": Profile(1.0, 0.11, 2.0),
}


@dataclass(frozen=True)
class FileScore:
    raw: float
    detected: int  # windows with a detection
    missed: int
    false_positives: int


def sigma(y: float) -> float:
    """The scaled sigmoid: about +1 at a window's start, 0 at its end, towards -1 after it."""
    if y > FAR:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * y)) - 1.0


def probation(length: int) -> int:
    return min(math.floor(PROBATION_SHARE * length), PROBATION_MAX)


def score_file(
    length: int, windows: Sequence[tuple[int, int]], detections: Sequence[int], profile: Profile
) -> FileScore:
    """Raw score of one file: ``windows`` as (first, last) record indices, inclusive, sorted;
    ``detections`` as record indices (any order)."""
    start = probation(length)
    hits = sorted(d for d in set(detections) if start <= d < length)
    raw, detected, false_positives = 0.0, 0, 0
    for first, last in windows:
        inside = [d for d in hits if first <= d <= last]
        if inside:
            y = -(last - inside[0]) / max(last - first, 1)
            raw += profile.tp * sigma(y)
            detected += 1
        else:
            raw -= profile.fn
    for d in hits:
        if any(first <= d <= last for first, last in windows):
            continue
        false_positives += 1
        before = [(first, last) for first, last in windows if last < d]
        if before:
            first, last = before[-1]
            raw += profile.fp * sigma((d - last) / max(last - first, 1))
        else:
            raw -= profile.fp
    return FileScore(raw, detected, len(windows) - detected, false_positives)


def null_score(windows: Sequence[tuple[int, int]], profile: Profile) -> float:
    return -profile.fn * len(windows)


def perfect_score(windows: Sequence[tuple[int, int]], profile: Profile) -> float:
    return profile.tp * sigma(-1.0) * len(windows)


def normalised(raw: float, null: float, perfect: float) -> float:
    return 100.0 * (raw - null) / (perfect - null)
