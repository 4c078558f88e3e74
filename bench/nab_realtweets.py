"""The volume rule on real brand mention volumes: NAB's realTweets, scored like NAB.

NAB (the Numenta Anomaly Benchmark, github.com/numenta/NAB, MIT licence) holds in
``data/realTweets`` the Twitter mention volume of 10 companies every 5 minutes over about 8 weeks
(Feb-Apr 2015), with hand-labelled anomaly windows in ``labels/combined_windows.json``. Each file
is replayed from scratch through the shipped ``volume-spike`` rule of config.yaml: the engine's own
code (``VolumeSpike.judge`` on ``detector.learn`` / ``detector.scan`` -> ``episodes.advance``),
a check at the end of every 5-minute record, seeing only the past (NAB's rules: no look-ahead, one
parameter set for every file). A detection is a notification that announces a new episode (an
"alert"); ``--with-escalations`` also counts the escalation updates.

The score is NAB's (``bench/nab_scoring.py``: windows, scaled sigmoid, the three profiles,
normalised between the null and the perfect detector), over the 10 realTweets files. Next to it:
the published detectors on the same 10 files, normalised the same way from their per-file raw
scores in NAB's ``results/<detector>/<detector>_<profile>_scores.csv`` (v1.0; their threshold was
tuned by NAB on the whole corpus); and NAB's published scoreboard (its README, whole 58-file
corpus, not comparable file for file). The NAB checkout is not in this repository (5 MB of data
under a licence of its own; see bench/data/nab/README.md): pass its path.

    .venv/bin/python bench/nab_realtweets.py --nab-dir /path/to/NAB [--budget 0.5 2 8] [--with-escalations]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from nab_scoring import PROFILES, FileScore, normalised, null_score, perfect_score, score_file

from alerts.engine import policy_for
from alerts.episodes import AlertState, advance
from alerts.rules import RuleContext, build_rule
from alerts.rules.detector import HISTORY, HOUR, STEP, learn
from alerts.rules.spike import SCANNED
from alerts.series import Series
from core.config.alerts import VolumeSpikeRule

REPO = Path(__file__).resolve().parents[1]
BINS_PER_HOUR = 12
TWEETS = "realTweets"
# NAB's README scoreboard (NAB v1.0, whole corpus of 58 files; github.com/numenta/NAB#scoreboard):
# standard, reward low FP, reward low FN.
SCOREBOARD = (
    ("Perfect", 100.0, 100.0, 100.0),
    ("ARTime", 74.9, 65.1, 80.4),
    ("Numenta HTM", 70.5, 62.6, 75.2),
    ("CAD OSE", 69.9, 67.0, 73.2),
    ("earthgecko Skyline", 58.2, 46.2, 63.9),
    ("KNN CAD", 58.0, 43.4, 64.8),
    ("Relative Entropy", 54.6, 47.6, 58.8),
    ("Random Cut Forest", 51.7, 38.4, 59.7),
    ("Twitter ADVec v1.0.0", 47.1, 33.6, 53.5),
    ("Windowed Gaussian", 39.6, 20.9, 47.4),
    ("Etsy Skyline", 35.7, 27.1, 44.5),
    ("Bayesian Changepoint", 17.7, 3.2, 32.2),
    ("EXPoSE", 16.4, 3.2, 26.9),
    ("Random", 11.0, 1.2, 19.5),
    ("Null", 0.0, 0.0, 0.0),
)


@dataclass(frozen=True)
class DataFile:
    name: str  # "realTweets/Twitter_volume_AAPL.csv", NAB's key
    start: datetime  # first record, floored to its 5-minute bin
    values: list[int]
    windows: list[tuple[int, int]]  # (first, last) record indices, inclusive


def load(nab_dir: Path) -> list[DataFile]:
    labels = json.loads((nab_dir / "labels" / "combined_windows.json").read_text(encoding="utf-8"))
    files = sorted((nab_dir / "data" / TWEETS).glob("*.csv"))
    if not files:
        raise SystemExit(f"no {TWEETS} data under {nab_dir / 'data' / TWEETS} (--nab-dir: a NAB checkout)")
    out = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        stamps = [datetime.fromisoformat(r["timestamp"]).replace(tzinfo=UTC) for r in rows]
        if any(b - a != STEP for a, b in itertools.pairwise(stamps)):
            raise SystemExit(f"{path}: records are not every 5 minutes")
        name = f"{TWEETS}/{path.name}"
        windows = []
        for lo, hi in labels[name]:
            first_t = datetime.fromisoformat(lo).replace(tzinfo=UTC)
            last_t = datetime.fromisoformat(hi).replace(tzinfo=UTC)
            first = next(i for i, t in enumerate(stamps) if t >= first_t)
            last = max(i for i, t in enumerate(stamps) if t <= last_t)
            windows.append((first, last))
        start = stamps[0] - timedelta(minutes=stamps[0].minute % 5, seconds=stamps[0].second)
        out.append(DataFile(name, start, [int(float(r["value"])) for r in rows], windows))
    return out


def shipped_volume_rule() -> dict[str, Any]:
    raw = yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))
    for rule in raw["alerts"]["rules"]:
        if rule.get("type") == "volume_spike":
            return dict(rule)
    raise SystemExit("config.yaml has no volume_spike rule")


def detections(data: DataFile, options: dict[str, Any], *, escalations: bool) -> list[int]:
    """Record indices where the rule notifies, checked at the end of every record."""
    config = VolumeSpikeRule(**options)
    rule = build_rule(config, RuleContext(("brand",), (), UTC))
    policy = policy_for(rule)
    state = AlertState(rule=config.name, key="brand")
    kinds = {"alert", "escalation"} if escalations else {"alert"}
    scanned = int(SCANNED / STEP)
    values = data.values
    hours = [sum(values[h : h + BINS_PER_HOUR]) for h in range(0, len(values), BINS_PER_HOUR)]
    out: list[int] = []
    profile, profile_end = None, None
    for i in range(1, len(values) + 1):  # record i - 1 has just been counted
        now = data.start + i * STEP
        # Whole hours on the data's own clock (record 0 starts hour 0), ending 12 h before now.
        end_h = (i - scanned) // BINS_PER_HOUR
        if end_h != profile_end:
            profile_end = end_h
            start_h = end_h - int(HISTORY / HOUR)
            counts = [None if h < 0 else hours[h] for h in range(start_h, end_h)]
            profile = learn(Series(data.start + start_h * HOUR, HOUR, counts), UTC)
        lo = i - scanned
        recent = Series(now - SCANNED, STEP, [None] * max(0, -lo) + values[max(lo, 0) : i])
        finding = rule.judge("brand", profile, recent)  # type: ignore[attr-defined]
        transition = advance(state, finding, now, policy)
        state = transition.state
        if transition.kind in kinds:
            out.append(i - 1)
    return out


def published(nab_dir: Path, files: list[DataFile]) -> list[tuple[str, dict[str, float]]]:
    """Published detectors' raw scores on these files, normalised like ours (if results/ is there)."""
    results = nab_dir / "results"
    names = {f.name for f in files}
    rows = []
    for folder in sorted(p for p in results.glob("*") if p.is_dir()) if results.is_dir() else []:
        scores: dict[str, float] = {}
        for profile in PROFILES:
            path = folder / f"{folder.name}_{profile}_scores.csv"
            if not path.exists():
                break
            with path.open(encoding="utf-8") as handle:
                raw = [r for r in csv.DictReader(handle) if r["File"] in names]
            if len(raw) != len(files):
                break
            scores[profile] = _normalise(files, sum(float(r["Score"]) for r in raw), profile)
        if len(scores) == len(PROFILES):
            rows.append((folder.name, scores))
    return rows


def _normalise(files: list[DataFile], raw: float, profile: str) -> float:
    weights = PROFILES[profile]
    null = sum(null_score(f.windows, weights) for f in files)
    perfect = sum(perfect_score(f.windows, weights) for f in files)
    return normalised(raw, null, perfect)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nab-dir", type=Path, required=True, help="a checkout of github.com/numenta/NAB")
    parser.add_argument("--budget", type=float, nargs="*", default=[],
                        help="other false_alarms_per_month to score too")  # fmt: skip
    parser.add_argument("--with-escalations", action="store_true", help="escalations count as detections")
    parser.add_argument("--only", nargs="*", default=[], help="tickers, e.g. AAPL KO (default: all 10)")
    parser.add_argument("--tuned-on", nargs="*", default=[],
                        help="tickers constants were chosen on: scored apart too")  # fmt: skip
    args = parser.parse_args()
    files = [f for f in load(args.nab_dir) if not args.only or f.name.split("_")[-1][:-4] in args.only]
    shipped = shipped_volume_rule()
    variants = [("Veille volume-spike (shipped config)", shipped)]
    for budget in args.budget:
        options = {**shipped, "false_alarms_per_month": budget}
        variants.append((f"Veille volume-spike, budget {budget:g}/month", options))
    print(f"NAB {TWEETS}: {len(files)} files, {sum(len(f.values) for f in files)} records, "
          f"{sum(len(f.windows) for f in files)} anomaly windows")  # fmt: skip
    header = f"{'detector':44} {'standard':>9} {'low FP':>9} {'low FN':>9}"
    print(header)
    for label, options in variants:
        started = time.perf_counter()
        found = {f.name: detections(f, options, escalations=args.with_escalations) for f in files}
        scores = {}
        per_file: dict[str, FileScore] = {}
        for profile, weights in PROFILES.items():
            results = {f.name: score_file(len(f.values), f.windows, found[f.name], weights) for f in files}
            scores[profile] = _normalise(files, sum(r.raw for r in results.values()), profile)
            if profile == "standard":
                per_file = results
        print(f"{label:44} {scores['standard']:9.1f} {scores['reward_low_FP_rate']:9.1f} "
              f"{scores['reward_low_FN_rate']:9.1f}   ({time.perf_counter() - started:.0f} s)")  # fmt: skip
        detected = sum(r.detected for r in per_file.values())
        windows = sum(len(f.windows) for f in files)
        fps = sum(r.false_positives for r in per_file.values())
        total = sum(len(v) for v in found.values())
        print(f"{'':4}windows detected {detected}/{windows}, false positives {fps} "
              f"(after the probationary period), detections {total}")  # fmt: skip
        if args.tuned_on:
            for part, keep in (("tuned-on", True), ("held-out", False)):
                subset = [f for f in files if (f.name.split("_")[-1][:-4] in args.tuned_on) == keep]
                cells = []
                for profile, weights in PROFILES.items():
                    raw = sum(score_file(len(f.values), f.windows, found[f.name], weights).raw
                              for f in subset)  # fmt: skip
                    cells.append(f"{_normalise(subset, raw, profile):9.1f}")
                names = " ".join(f.name.split("_")[-1][:-4] for f in subset)
                part_fps = sum(per_file[f.name].false_positives for f in subset)
                part_found = sum(per_file[f.name].detected for f in subset)
                part_windows = sum(len(f.windows) for f in subset)
                print(f"{'':4}{part} ({names}): {' '.join(cells)}; windows {part_found}/{part_windows}, "
                      f"false positives {part_fps}")  # fmt: skip
    rows = published(args.nab_dir, files)
    if rows:
        print(f"\nPublished NAB v1.0 detectors on the same {len(files)} files ({args.nab_dir / 'results'}):")
        for name, scores in sorted(rows, key=lambda r: -r[1]["standard"]):
            print(f"{name:44} {scores['standard']:9.1f} {scores['reward_low_FP_rate']:9.1f} "
                  f"{scores['reward_low_FN_rate']:9.1f}")  # fmt: skip
    held_out = [f for f in files if f.name.split("_")[-1][:-4] not in args.tuned_on]
    if args.tuned_on and held_out:
        rows = published(args.nab_dir, held_out)
        print(f"\nPublished NAB v1.0 detectors on the {len(held_out)} held-out files only:")
        for name, scores in sorted(rows, key=lambda r: -r[1]["standard"]):
            print(f"{name:44} {scores['standard']:9.1f} {scores['reward_low_FP_rate']:9.1f} "
                  f"{scores['reward_low_FN_rate']:9.1f}")  # fmt: skip
    print("\nNAB scoreboard (README, whole 58-file corpus, for reference):")
    for name, standard, low_fp, low_fn in SCOREBOARD:
        print(f"{name:44} {standard:9.1f} {low_fp:9.1f} {low_fn:9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
