"""Sentiment quality: accuracy, macro-F1 and Pearson r of the enrich stage on labeled TSV sets.

    .venv/bin/python bench/sentiment_eval.py                 # French sets + the VADER paper table
    .venv/bin/python bench/sentiment_eval.py FILE.tsv [--lang fr|en]

A TSV has a header naming ``text`` and ``label`` (positive/neutral/negative) and/or ``score`` (a
human rating on any scale), or is a VADER ground-truth file (id, mean rating, text). Sets without a
neutral label are scored two-class. Defaults: enrich/data/eval/fr_*.tsv (dev = tuned on, test =
held out), with vaderSentiment on the same French texts as a baseline, and the four English sets of
Hutto & Gilbert (2014) from ../shared/eval/sentiment-en, scored on the whole text like the paper.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.config import load_config  # noqa: E402
from enrich.analysis import Analyzer, label_for  # noqa: E402
from enrich.evaluation import (  # noqa: E402
    ENGLISH_DIR,
    ENGLISH_SETS,
    EVAL_DIR,
    FRENCH_SETS,
    accuracy,
    binary,
    evaluate,
    macro_f1,
    read_labeled,
    vader_paper_r,
)
from enrich.sentiment_en import EnglishSentiment  # noqa: E402


def _fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def _vader_baseline(path: Path, band: float) -> tuple[float, float]:
    """vaderSentiment (English lexicon) on the same French texts: what the French path replaces."""
    examples = read_labeled(path)
    vader = EnglishSentiment()
    scores = [vader.polarity(e.text) for e in examples]
    gold = [e.label or "" for e in examples]
    two_class = "neutral" not in gold
    guesses = [binary(label_for(s, band), s) if two_class else label_for(s, band) for s in scores]
    return accuracy(gold, guesses), macro_f1(gold, guesses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--lang", choices=["fr", "en"], help="skip language detection for FILES")
    parser.add_argument("--config", type=Path, default=REPO / "config.yaml")
    args = parser.parse_args()
    config = load_config(args.config).config
    analyzer = Analyzer.from_config(config)
    print(f"{'set':<34} {'items':>5} {'acc':>6} {'macroF1':>7} {'r':>6}")
    if args.files:
        for path in args.files:
            scores = evaluate(analyzer, read_labeled(path), lang=args.lang)
            print(
                f"{path.name:<34} {scores.items:5d} {_fmt(scores.accuracy)} {_fmt(scores.macro_f1)}  "
                f"{_fmt(scores.pearson)}"
            )
        return
    band = config.nlp.neutral_band
    for name in FRENCH_SETS:
        path = EVAL_DIR / f"{name}.tsv"
        scores = evaluate(analyzer, read_labeled(path), lang="fr")
        base_acc, base_f1 = _vader_baseline(path, band)
        print(
            f"{name + ' (veille-fr-lex)':<34} {scores.items:5d} {_fmt(scores.accuracy)} "
            f"{_fmt(scores.macro_f1)}       -"
        )
        print(
            f"{name + ' (vaderSentiment EN)':<34} {scores.items:5d} {_fmt(base_acc)} {_fmt(base_f1)}       -"
        )
    if not ENGLISH_DIR.exists():
        print(f"{ENGLISH_DIR}: missing, English paper table not run")
        return
    print("English, VADER paper table (compound on the whole text vs human mean):")
    for name in ENGLISH_SETS:
        path = ENGLISH_DIR / f"{name}_GroundTruth.txt"
        print(f"{name:<34} {len(read_labeled(path)):5d}      -       -  {_fmt(vader_paper_r(path))}")


if __name__ == "__main__":
    main()
