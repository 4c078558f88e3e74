"""Brand-targeted sentiment on a contrastive set: comparisons, contrasts, switching operators,
two brands in one clause, emoji and line breaks as boundaries, unknown organisations as others.

    .venv/bin/python bench/targeting_eval.py [--set bench/data/brand_contrasts.tsv] [--errors]

The set (French and English, written for this bench; see bench/data/README.md) has one row per
(sentence, brand) judgement: ``text``, ``brand``, ``label``. Prints the share of judgements where
the label towards the brand is right, per language and overall (target >= 0.85).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.config import load_config  # noqa: E402
from enrich.analysis import Analyzer, TextItem  # noqa: E402

DEFAULT_SET = REPO / "bench" / "data" / "brand_contrasts.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--config", type=Path, default=REPO / "config.yaml")
    parser.add_argument("--errors", action="store_true", help="print the judgements it gets wrong")
    args = parser.parse_args()
    with args.set.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    analyzer = Analyzer.from_config(load_config(args.config).config)
    results = analyzer.analyze([TextItem(text=r["text"], brands=(r["brand"],)) for r in rows])
    totals: dict[str, list[int]] = {}
    for row, result in zip(rows, results, strict=True):
        got = result.brand_sentiments[0].label if result.brand_sentiments else "none"
        right = int(got == row["label"])
        for key in (result.lang, "all"):
            totals.setdefault(key, [0, 0])
            totals[key][0] += right
            totals[key][1] += 1
        if args.errors and not right:
            print(f"  want {row['label']:<8} got {got:<8} {row['brand']:<18} {row['text']!r}")
    sentences = len({r["text"] for r in rows})
    print(f"{args.set.name}: {sentences} sentences, {len(rows)} judgements (sentence, brand)")
    for key in sorted(totals):
        right, count = totals[key]
        print(f"  {key:<5} {right:4d}/{count:<4d} right = {right / count:.3f}")
    print("target >= 0.85 overall")


if __name__ == "__main__":
    main()
