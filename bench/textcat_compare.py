"""Comparison point for the French classifier: spaCy's own textcat on the same splits.

    .venv/bin/python bench/textcat_compare.py [--corpus DIR] [--epochs 4] [--arch bow|ensemble]

Trains a ``textcat`` (exclusive classes; ``bow`` = spacy.TextCatBOW.v3 word 1-2-grams, or the
default ensemble of spaCy 3.8) on the train split of the corpus (``enrich.train.split_of``) for a
fixed number of epochs (no early stopping: nothing is chosen on the test split), then prints, per
epoch, the dev split figures and, at the end, the test split figures, with the same definitions as
the classifier-level rows: reviews pos/neg decided on P(positive) vs P(negative), short posts
(<= 280 characters) and all texts 3-class. It never touches the shipped model. A few minutes of CPU.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from enrich.classifier import LABELS  # noqa: E402
from enrich.train import DEFAULT_CORPUS, Example, read_corpus, split_of  # noqa: E402

if TYPE_CHECKING:
    from spacy.language import Language

REVIEWS = ("allocine_films_blard", "books_babelio_critiqueslibres")
SHORT_POST = 280
MAX_CHARS = 1500


def _figures(nlp: Language, examples: list[Example]) -> str:
    docs = nlp.pipe([e.text[:MAX_CHARS] for e in examples], batch_size=256)
    right = {"reviews pos/neg": [0, 0], "short 3-class": [0, 0], "all 3-class": [0, 0]}
    for example, doc in zip(examples, docs, strict=True):
        cats = doc.cats
        best = max(LABELS, key=cats.__getitem__)
        sides = [("all 3-class", best)]
        if len(example.text) <= SHORT_POST:
            sides.append(("short 3-class", best))
        if example.source in REVIEWS and example.label != "neutral":
            side = "positive" if cats["positive"] > cats["negative"] else "negative"
            sides.append(("reviews pos/neg", side))
        for name, guess in sides:
            right[name][0] += guess == example.label
            right[name][1] += 1
    return ", ".join(f"{name} {hit / max(1, n):.3f} ({n})" for name, (hit, n) in right.items())


def main() -> None:
    import spacy
    from spacy.training import Example as SpacyExample

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--arch", choices=["bow", "ensemble"], default="bow")
    args = parser.parse_args()
    parts: dict[str, list[Example]] = {"train": [], "dev": [], "test": []}
    for example in read_corpus(args.corpus):
        parts[split_of(example.text)].append(example)
    nlp = spacy.blank("fr")
    bow = {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": 262144,
    }
    textcat = nlp.add_pipe("textcat", config={"model": bow} if args.arch == "bow" else {})
    for label in LABELS:
        textcat.add_label(label)  # type: ignore[attr-defined]
    train = [
        SpacyExample.from_dict(
            nlp.make_doc(e.text[:MAX_CHARS]), {"cats": {label: float(label == e.label) for label in LABELS}}
        )
        for e in parts["train"]
    ]
    optimizer = nlp.initialize(lambda: train)
    shuffle = random.Random(0)
    print(f"spaCy textcat ({args.arch}), train {len(train)} texts")
    for epoch in range(args.epochs):
        start = time.process_time()
        shuffle.shuffle(train)
        losses: dict[str, float] = {}
        for i in range(0, len(train), 64):
            nlp.update(train[i : i + 64], sgd=optimizer, losses=losses)
        spent = time.process_time() - start
        dev = _figures(nlp, parts["dev"])
        print(f"epoch {epoch}: loss {losses['textcat']:.2f}, {spent:.0f} s CPU; dev: {dev}")
    print(f"test: {_figures(nlp, parts['test'])}")


if __name__ == "__main__":
    main()
