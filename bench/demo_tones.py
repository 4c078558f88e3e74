"""The demo's phrase banks through the Analyzer: which label each tone gets towards its brand.

    PYTHONPATH=$PWD .venv/bin/python bench/demo_tones.py [--config config.yaml] [--errors]

The sentences are the team's own text (veille/demo_web/texts.py, written for the demo), so this is a
REGRESSION check of what the demo digest shows, not a quality figure: the rules were looked at
against these very sentences. Each sentence is scored alone and followed by each of the demo's
follow-up lines (the demo appends one to 30% of posts). Prints, per tone, how many judgements came
out negative / neutral / positive towards the brand. Praise and neutral should never be negative:
those are what would fill the digest's "waiting for an answer" list.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.config import load_config  # noqa: E402
from enrich.analysis import Analyzer, TextItem  # noqa: E402
from veille.demo_web import texts  # noqa: E402

BANKS = {
    ("Velora", "praise"): texts.VELORA_PRAISE_FR,
    ("Velora", "neutral"): texts.VELORA_NEUTRAL_FR,
    ("Velora", "complaint"): texts.VELORA_COMPLAINT_FR,
    ("Velora", "burst"): texts.VELORA_BURST_FR + texts.VELORA_BURST_EN,
    ("Cafés Lantier", "praise"): texts.LANTIER_PRAISE_FR,
    ("Cafés Lantier", "neutral"): texts.LANTIER_NEUTRAL_FR,
    ("Cafés Lantier", "complaint"): texts.LANTIER_COMPLAINT_FR,
    ("Cafés Lantier", "burst"): texts.LANTIER_BURST_FR,
}
FILL = {"city": "Lyon", "n": 300, "amount": "29,99", "competitor": "Orbitel", "days": 15}
LABELS = ("negative", "neutral", "positive")


def judgements() -> list[tuple[str, str, str]]:
    """(tone, brand, text): every sentence alone, then with each follow-up the demo may give it
    (bursts go alone)."""
    out = []
    for (brand, tone), bank in BANKS.items():
        for sentence in bank:
            text = sentence.format(**FILL)
            out.append((tone, brand, text))
            if tone != "burst":
                follow_ups = texts.PRAISE_FOLLOW_UPS if tone == "praise" else texts.FOLLOW_UPS
                out += [(tone, brand, f"{text}\n\n{follow}") for follow in follow_ups]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=REPO / "config.yaml")
    parser.add_argument("--errors", action="store_true", help="print praise/neutral read as negative")
    args = parser.parse_args()
    rows = judgements()
    analyzer = Analyzer.from_config(load_config(args.config).config)
    results = analyzer.analyze([TextItem(text=text, brands=(brand,)) for _, brand, text in rows])
    confusion: dict[str, Counter[str]] = {}
    for (tone, brand, text), result in zip(rows, results, strict=True):
        found = result.brand_sentiments[0] if result.brand_sentiments else None
        label = found.label if found else "none"
        confusion.setdefault(tone, Counter())[label] += 1
        if args.errors and found and (label == "negative") != (tone in ("complaint", "burst")):
            print(f"  {tone:<9} {label:<8} {found.score:+.3f} {brand}: {text!r}")
    print(f"demo banks (team's own text, regression only): {len(rows)} judgements")
    print(f"  {'tone':<10}" + "".join(f"{label:>10}" for label in LABELS))
    for tone in ("praise", "neutral", "complaint", "burst"):
        counts = confusion.get(tone, Counter())
        print(f"  {tone:<10}" + "".join(f"{counts[label]:>10}" for label in LABELS))


if __name__ == "__main__":
    main()
