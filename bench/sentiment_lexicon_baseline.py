"""The French lexicon alone on the same held-out public splits as bench/sentiment_eval.py.

    .venv/bin/python bench/sentiment_lexicon_baseline.py [--corpus DIR]

What the learned classifier is measured against: the lexicon (the first version's French
analyzer) labels the held-out test split (``enrich.train.split_of``) of the public training corpus,
3-class on short texts (<= 280 characters) with neutral bands of several widths, and positive vs
negative on the reviews.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from enrich.train import DEFAULT_CORPUS, read_corpus, split_of, with_lexicon  # noqa: E402

SHORT = 280
BANDS = (0.05, 0.2, 0.35)


def label(polarity: float, band: float) -> str:
    return "positive" if polarity > band else "negative" if polarity < -band else "neutral"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    held_out = with_lexicon([e for e in read_corpus(args.corpus) if split_of(e.text) == "test"])
    short = [e for e in held_out if len(e.text) <= SHORT]
    assert short, f"no held-out short text in {args.corpus}"
    for band in BANDS:
        right = sum(label(e.lexicon, band) == e.label for e in short)
        print(
            f"lexicon, short texts 3-class, neutral band {band:.2f}: {right / len(short):.3f} ({len(short)})"
        )
    reviews = [
        e for e in held_out if e.label != "neutral" and ("allocine" in e.source or "babelio" in e.source)
    ]
    assert reviews, f"no held-out review in {args.corpus}"
    right = sum(("positive" if e.lexicon >= 0 else "negative") == e.label for e in reviews)
    print(f"lexicon, reviews positive/negative: {right / len(reviews):.3f} ({len(reviews)})")


if __name__ == "__main__":
    main()
