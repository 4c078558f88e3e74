"""Sentiment quality: accuracy, macro-F1 and Pearson r of the enrich stage on labeled TSV sets.

    .venv/bin/python bench/sentiment_eval.py [--corpus DIR]  # held-out public splits, cross-domain,
                                                             # hand-written regression sets, VADER table
    .venv/bin/python bench/sentiment_eval.py FILE.tsv [--lang fr|en]

Headline: the held-out test split (``enrich.train.split_of``) of every file of the training corpus
(../shared/data/sentiment-fr, public data nobody on the team wrote), scored through the whole
Analyzer: 3-class per source, "short posts" (test texts of 280 characters or less, 3-class) and
"reviews pos/neg" (the review sources' positive and negative texts, decided on P(pos) vs P(neg)).
Cross-domain: the Allociné film reviews (all of them) scored by a model trained without that file
(trained here, a few minutes of CPU; ``--no-cross-domain`` skips it).
The hand-written sets of enrich/data/eval are a regression check, not the headline.
``--model F.npz`` scores another model file (e.g. one built with ``python -m enrich.train --vectors``).

A TSV has a header naming ``text`` and ``label`` (positive/neutral/negative) and/or ``score`` (a
human rating on any scale), or is a VADER ground-truth file (id, mean rating, text). Sets without a
neutral label are scored two-class. Defaults: enrich/data/eval/fr_*.tsv (dev = tuned on, test =
held out), with vaderSentiment on the same French texts as a baseline, and the four English sets of
Hutto & Gilbert (2014) from ../shared/eval/sentiment-en, scored on the whole text like the paper.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.config import load_config  # noqa: E402
from enrich.analysis import Analyzer, label_for  # noqa: E402
from enrich.classifier import SentimentClassifier  # noqa: E402
from enrich.evaluation import (  # noqa: E402
    ENGLISH_DIR,
    ENGLISH_SETS,
    EVAL_DIR,
    FRENCH_SETS,
    Example,
    Scores,
    accuracy,
    binary,
    evaluate,
    macro_f1,
    read_labeled,
    vader_paper_r,
)
from enrich.sentiment_en import EnglishSentiment  # noqa: E402
from enrich.train import DEFAULT_CORPUS, read_corpus, split_of, with_lexicon  # noqa: E402
from enrich.train import Example as TrainExample  # noqa: E402
from enrich.train import main as train_main  # noqa: E402

SHORT_POST = 280
REVIEWS = ("allocine_films_blard", "books_babelio_critiqueslibres")


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


def _row(name: str, scores: Scores) -> None:
    print(f"{name:<34} {scores.items:5d} {_fmt(scores.accuracy)} {_fmt(scores.macro_f1)}       -")


def _held_out(analyzer: Analyzer, corpus: Path, cross_domain: bool, vectors: bool) -> None:
    if not corpus.exists():
        print(f"{corpus}: missing, held-out splits not run (give --corpus DIR)")
        return
    rows = read_corpus(corpus)
    test = [r for r in rows if split_of(r.text) == "test"]
    print(f"Held-out test split of {corpus.name} (public, not seen in training):")
    for source in sorted({r.source for r in test}):
        _row(source, evaluate(analyzer, [Example(r.text, r.label) for r in test if r.source == source], "fr"))
    short = [Example(r.text, r.label) for r in test if len(r.text) <= SHORT_POST]
    _row(f"short posts (<= {SHORT_POST} chars), 3-class", evaluate(analyzer, short, "fr"))
    reviews = [Example(r.text, r.label) for r in test if r.source in REVIEWS and r.label != "neutral"]
    _row("reviews pos/neg", evaluate(analyzer, reviews, "fr"))
    _classifier_alone(analyzer, [r for r in test if r.source in REVIEWS and r.label != "neutral"])
    _row("all, 3-class", evaluate(analyzer, [Example(r.text, r.label) for r in test], "fr"))
    if not cross_domain:
        return
    held = "allocine_films_blard"
    with tempfile.TemporaryDirectory() as scratch:
        model_path = Path(scratch) / "model.npz"
        options = ["--vectors"] if vectors else []
        train_main(["--corpus", str(corpus), "--exclude", held, "--out", str(model_path), *options])
        trained = analyzer.classifier
        analyzer.classifier = SentimentClassifier.load(model_path)
        try:
            films = [Example(r.text, r.label) for r in rows if r.source == held]
            _row(f"cross-domain: {held} (model w/o it)", evaluate(analyzer, films, "fr"))
        finally:
            analyzer.classifier = trained


def _classifier_alone(analyzer: Analyzer, rows: list[TrainExample]) -> None:
    """The same reviews scored by the classifier alone (with the lexicon polarity as its feature,
    without the Analyzer's lexicon back-off): shows what the back-off adds or costs."""
    examples = with_lexicon(rows)
    probabilities = analyzer.classifier.probabilities(
        [e.text for e in examples], [e.lexicon for e in examples]
    )
    guesses = ["positive" if row[2] > row[0] else "negative" for row in probabilities]
    gold = [e.label for e in examples]
    scores = Scores(len(gold), accuracy(gold, guesses), macro_f1(gold, guesses), None)
    _row("reviews pos/neg, classifier alone", scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--lang", choices=["fr", "en"], help="skip language detection for FILES")
    parser.add_argument("--config", type=Path, default=REPO / "config.yaml")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--no-cross-domain", action="store_true")
    parser.add_argument("--model", type=Path, help="score with this model file instead of the shipped one")
    args = parser.parse_args()
    config = load_config(args.config).config
    analyzer = Analyzer.from_config(config)
    if args.model:
        analyzer.classifier = SentimentClassifier.load(args.model)
    # The cross-domain model is trained like the scored one (with word vectors if it has them).
    vectors = analyzer.classifier.vectors is not None
    print(f"{'set':<34} {'items':>5} {'acc':>6} {'macroF1':>7} {'r':>6}")
    if not args.files:
        _held_out(analyzer, args.corpus, cross_domain=not args.no_cross_domain, vectors=vectors)
        print("Regression only (hand-written by the team):")
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
            f"{name + ' (veille-fr)':<34} {scores.items:5d} {_fmt(scores.accuracy)} "
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
