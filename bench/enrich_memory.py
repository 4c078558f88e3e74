"""Memory of the enrich stage over a long run: RSS and spaCy's string store, batch after batch.

    .venv/bin/python bench/enrich_memory.py [--mentions 20000] [--config config.yaml]

Feeds ``Enricher.enrich`` spool-sized batches of French and English mentions in which, as in a
real stream, every post brings a few words never seen before (order numbers, handles, links,
typos) among common ones. Prints, after a warm-up fifth of the run, the growth of the process's
resident memory and of the French pipeline's string store, per mention.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.config import load_config  # noqa: E402
from core.mention import Mention  # noqa: E402
from enrich.analysis import Analyzer  # noqa: E402
from enrich.pipeline import STATE_FILE, Enricher  # noqa: E402

FRENCH = [
    "Bonjour, ma box Velora coupe tous les soirs depuis la commande {ref}, merci @{handle}.",
    "Le service client d'Orbitel m'a rappelé au {phone}, dossier {ref}, toujours rien.",
    "Franchement la fibre Velora à {city} c'est {typo}, voir {link} pour les détails.",
    "Colis {ref} reçu avec trois jours de retard, le café était {typo} mais bon.",
]
ENGLISH = [
    "My Velora router keeps dropping every night since order {ref}, thanks @{handle}.",
    "Orbitel support called me back on {phone}, ticket {ref}, still nothing fixed.",
    "Honestly Velora fibre in {city} is {typo}, see {link} for the details.",
]
CITIES = ["Paris", "Lyon", "Nantes", "Lille", "Brest", "Dijon", "Toulouse", "London", "Leeds"]
WORDS = ["nul", "génial", "lent", "top", "awful", "great", "bof", "moyen", "terrible", "parfait"]
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def _noise(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(size))


def make_mentions(first: int, count: int, rng: random.Random) -> list[Mention]:
    start = datetime(2026, 5, 1, tzinfo=UTC)
    out = []
    for n in range(first, first + count):
        template = rng.choice(FRENCH if n % 4 else ENGLISH)
        word = rng.choice(WORDS)
        text = template.format(
            ref=f"CMD-{_noise(rng, 8).upper()}",
            handle=f"user_{_noise(rng, 6)}",
            phone=f"0{rng.randint(100_000_000, 999_999_999)}",
            city=rng.choice(CITIES),
            typo=word + word[-1] * rng.randint(1, 4) + _noise(rng, 2),  # "nullllx7": a new word
            link=f"https://forum.example.fr/t/{_noise(rng, 10)}",
        )
        out.append(
            Mention(
                url=f"https://forum.example.fr/t/{n // 20}#p{n}",
                source={"kind": "forum", "name": "bench"},
                brands=["Velora"],
                text=f"{text} {text[::-1][:40]}",
                author={"name": f"user{n % 500}"},
                published_at=start + timedelta(minutes=n),
            )
        )
    return out


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument("--config", type=Path, default=REPO / "config.yaml")
    args = parser.parse_args()
    config = load_config(args.config).config
    size = config.nlp.spool_batch
    rng = random.Random(13)
    analyzer = Analyzer.from_config(config)
    strings = analyzer.pipelines.fr.vocab.strings
    samples: list[tuple[int, int, int]] = []  # (mentions done, RSS, strings in the French store)
    with tempfile.TemporaryDirectory() as state:
        enricher = Enricher(config, analyzer, Path(state) / STATE_FILE)
        for first in range(0, args.mentions, size):
            count = min(size, args.mentions - first)
            enricher.enrich(make_mentions(first, count, rng))
            samples.append((first + count, rss_bytes(), len(strings)))
        enricher.close()
    warm = samples[max(1, len(samples) // 5) - 1]
    last = samples[-1]
    done = last[0] - warm[0]
    print(f"{args.mentions} mentions in batches of {size}; measured from mention {warm[0]} to {last[0]}")
    rss = (last[1] - warm[1]) / done
    print(f"RSS: {warm[1] / 2**20:.0f} -> {last[1] / 2**20:.0f} MiB, {rss:.0f} bytes/mention")
    strings_per = (last[2] - warm[2]) / done
    print(f"French string store: {warm[2]} -> {last[2]} strings, {strings_per:.2f} per mention")
    print(f"peak RSS during the run: {max(s[1] for s in samples) / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
