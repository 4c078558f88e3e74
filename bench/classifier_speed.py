"""Speed of the French classifier's featurisation and scoring, on public texts.

    .venv/bin/python bench/classifier_speed.py [--corpus DIR] [--texts N]

Prints texts per CPU-second for the hashed features (a cold token cache, then a warm one, as in a
long-running enrich process) and for the whole ``SentimentClassifier.probabilities`` call, on the
first N texts of at most 280 characters of the corpus (short posts: what the enrich stage sees).
CPU time (``time.process_time``), so other processes on the machine weigh less on the figure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from enrich import featurize  # noqa: E402
from enrich.classifier import SentimentClassifier  # noqa: E402
from enrich.train import DEFAULT_CORPUS, read_corpus  # noqa: E402


def _rate(label: str, count: int, run) -> None:  # type: ignore[no-untyped-def]
    start = time.process_time()
    run()
    spent = max(time.process_time() - start, 1e-9)
    print(f"{label:<40} {count / spent:9.0f} texts/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--texts", type=int, default=3000)
    args = parser.parse_args()
    texts = [r.text for r in read_corpus(args.corpus) if len(r.text) <= 280][: args.texts]
    classifier = SentimentClassifier.load()
    classifier.probabilities(["import scipy and sklearn once, outside the timing"])
    featurize._cache.clear()
    _rate("features, cold token cache", len(texts), lambda: featurize.raw_counts(texts))
    _rate("features, warm token cache", len(texts), lambda: featurize.raw_counts(texts))
    vectors = classifier.vectors
    if vectors is not None:
        token_lists = [featurize.tokens(text) for text in texts]
        vectors._cache.clear()
        _rate("word vectors, cold cache (no tokenising)", len(texts), lambda: vectors.pool(token_lists))
        _rate("word vectors, warm cache (no tokenising)", len(texts), lambda: vectors.pool(token_lists))
    _rate("probabilities (features + 2 heads)", len(texts), lambda: classifier.probabilities(texts))
    _rate("before: sklearn HashingVectorizer x2", len(texts), lambda: _sklearn_counts(texts))


def _sklearn_counts(texts: list[str]) -> object:
    """What the features were before (issue 10, first version): scikit-learn's hashing of word
    1-2-grams and char_wb 3-5-grams, which builds every n-gram string in Python."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import HashingVectorizer

    from core.text import fold_text

    common = {"alternate_sign": False, "norm": None, "lowercase": False, "n_features": 2**19}
    pattern = r"(?u)[^\W\d_]+'?|\d+|[!?]+|[\U0001F300-\U0001FAFF\u2600-\u27BF]"  # the one it used
    word = HashingVectorizer(analyzer="word", token_pattern=pattern, ngram_range=(1, 2), **common)  # type: ignore[arg-type]
    char = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common)  # type: ignore[arg-type]
    folded = [fold_text(text[:1500]) for text in texts]
    return hstack([word.transform(folded), char.transform(folded)], format="csr")


if __name__ == "__main__":
    main()
