"""NAB's scoring as reimplemented in bench/nab_scoring.py, against NAB's own published figures."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data" / "nab_numenta_realtweets.json"


@pytest.fixture(scope="module")
def nab() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nab_scoring", ROOT / "bench" / "nab_scoring.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_early_detection_scores_almost_one_late_one_almost_nothing(nab: ModuleType) -> None:
    standard = nab.PROFILES["standard"]
    windows = [(1000, 1099)]
    early = nab.score_file(10_000, windows, [1000, 1010, 1050], standard)
    late = nab.score_file(10_000, windows, [1099], standard)
    assert early.raw == pytest.approx(nab.perfect_score(windows, standard))  # later ones ignored
    assert early.detected == 1 and early.false_positives == 0
    assert abs(late.raw) < 1e-9
    assert nab.score_file(10_000, windows, [], standard).raw == -1.0


def test_false_positives_cost_less_just_after_a_window_and_nothing_in_probation(nab: ModuleType) -> None:
    low_fp = nab.PROFILES["reward_low_FP_rate"]
    windows = [(1000, 1099)]
    perfect = nab.perfect_score(windows, low_fp)
    just_after = nab.score_file(10_000, windows, [1000, 1110], low_fp).raw - perfect
    far = nab.score_file(10_000, windows, [1000, 5000], low_fp).raw - perfect
    before = nab.score_file(10_000, windows, [1000, 900], low_fp).raw - perfect
    assert -0.1 < just_after < 0
    assert far == pytest.approx(-0.22) and before == pytest.approx(-0.22)
    assert nab.probation(10_000) == 750 and nab.probation(1000) == 150
    assert nab.score_file(10_000, windows, [100, 1000], low_fp).false_positives == 0


def test_normalised_between_null_and_perfect(nab: ModuleType) -> None:
    fn = nab.PROFILES["reward_low_FN_rate"]
    windows = [(1000, 1099), (3000, 3099)]
    null, perfect = nab.null_score(windows, fn), nab.perfect_score(windows, fn)
    assert null == -4.0
    one = nab.score_file(10_000, windows, [1000], fn).raw
    assert nab.normalised(perfect, null, perfect) == 100.0
    assert nab.normalised(null, null, perfect) == 0.0
    assert 40 < nab.normalised(one, null, perfect) < 60


def test_matches_nab_published_scores_of_its_own_detector_on_realtweets(nab: ModuleType) -> None:
    """NAB's "numenta" detector, its published detections and raw scores on the 10 realTweets files:
    false positives and misses match exactly; each detected window scores within 0.02 of NAB."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    checked = 0
    for entry in data["files"]:
        windows = [tuple(w) for w in entry["windows"]]
        for name, profile in nab.PROFILES.items():
            published = entry["profiles"][name]
            ours = nab.score_file(entry["records"], windows, published["detections"], profile)
            assert abs(ours.raw - published["published_raw_score"]) <= 0.02 * ours.detected + 1e-6, (
                entry["file"], name, ours, published["published_raw_score"])  # fmt: skip
            checked += 1
    assert checked == 30
