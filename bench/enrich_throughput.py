"""Throughput of the whole enrich stage vs raw spaCy NER, on 100-word French mentions, same run.

    .venv/bin/python bench/enrich_throughput.py [--mentions 2000] [--config config.yaml]

Prints mentions/s per core for (a) ``nlp.pipe`` of the same French model with only NER enabled and
(b) ``Enricher.enrich`` (language, sentiment whole + per brand, NER + brand ruler, stories, author
influence, SQLite state), the ratio b/a (target >= 0.8) and the peak RSS. Single process, one core
(CPU time of the process). Each round runs both on the same fresh texts, interleaved one spool
batch at a time (alternating which goes first), and the best round of each is kept, so a burst of
load from another process does not decide the ratio.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import spacy  # noqa: E402

from core.config import load_config  # noqa: E402
from core.mention import Mention  # noqa: E402
from enrich.analysis import Analyzer  # noqa: E402
from enrich.pipeline import STATE_FILE, Enricher  # noqa: E402

# Sentence templates with slots: every generated post is a different text (as real posts are),
# not a shuffle of a few fixed sentences that would all be near-duplicates of each other.
OPENINGS = [
    "Bonjour à tous, depuis {n} semaines ma box Velora coupe tous les soirs vers {h}h",
    "Petit retour après {n} mois chez Velora Fibre à {city} pour ceux qui hésitent encore",
    "Je viens de recevoir ma commande de Cafés Lantier du {d} et je voulais partager mon avis",
    "Alerte aux clients Nexa Mobile de {city}, le réseau est instable depuis {day}",
    "Franchement je ne comprends pas comment fonctionne le service client d'Orbitel à {city}",
]
MIDDLES = [
    "le technicien {name} est passé {day} vers {h}h, il a changé la prise et refait les branchements",
    "j'ai appelé le service client {n} fois et on m'a promis un rappel avant {day} qui n'est jamais venu",
    "le débit est correct la journée mais tombe à {n} Mb/s le soir vers {h}h quand tout le monde est là",
    "la conseillère {name} en boutique à {city} a été très patiente et m'a expliqué toutes les options",
    "le café {coffee} est bien torréfié, avec des notes de {note} et une belle longueur en bouche",
    "la facture de {month} comporte {n} euros de frais que personne ne sait m'expliquer",
    "l'application s'est améliorée depuis la mise à jour de {month}, on trouve enfin ses factures",
    "mon voisin {name} chez Orbitel n'a aucun problème alors que nous sommes dans le même immeuble à {city}",
    "on m'a proposé {n} euros de remise pendant {n2} mois pour rester, ce qui est un peu léger",
    "ma fille {name} joue en ligne le {day} soir et la connexion tient enfin sans coupure",
    "le colis est arrivé {day} à {h}h avec {n} jours de retard mais bien emballé",
    "le vendeur de {city} m'a conseillé la VeloBox Pro pour {n} euros de plus par mois",
]
CLOSINGS = [
    "Quelqu'un a une solution à {city} ? Merci d'avance pour vos conseils.",
    "Bref, je recommande sans hésiter, surtout l'offre à {n} euros.",
    "Je vais résilier si rien ne bouge d'ici {day} prochain.",
    "Au final une bonne expérience malgré quelques galères en {month}.",
    "Je vous tiens au courant, bonne journée à tous de la part de {name}.",
]
SLOTS = {
    "city": [
        "Paris",
        "Lyon",
        "Marseille",
        "Lille",
        "Nantes",
        "Rennes",
        "Bordeaux",
        "Toulouse",
        "Nice",
        "Grenoble",
        "Dijon",
        "Brest",
        "Tours",
        "Metz",
        "Reims",
        "Angers",
        "Caen",
        "Limoges",
        "Pau",
        "Nancy",
    ],
    "day": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "month": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "name": [
        "Marc",
        "Julie",
        "Karim",
        "Sophie",
        "Léa",
        "Thomas",
        "Nadia",
        "Paul",
        "Inès",
        "Hugo",
        "Camille",
        "Yanis",
        "Chloé",
        "Louis",
        "Sarah",
        "Malik",
    ],
    "coffee": ["Grand Cru", "Moka", "Santos", "Sidamo", "Huehuetenango", "Yirgacheffe", "Java", "Kenya AA"],
    "note": ["noisette", "chocolat", "fruits rouges", "agrumes", "caramel", "épices", "miel", "cacao"],
}


def _fill(template: str, rng: random.Random) -> str:
    values = {key: rng.choice(options) for key, options in SLOTS.items()}
    values |= {
        "n": rng.randint(2, 90),
        "n2": rng.randint(2, 24),
        "h": rng.randint(7, 23),
        "d": f"{rng.randint(1, 28)}/{rng.randint(1, 12)}",
    }
    return template.format(**values)


def make_texts(count: int, words: int = 100, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = [_fill(rng.choice(OPENINGS), rng) + "."]
        while sum(len(p.split()) for p in parts) < words - 12:
            sentence = _fill(rng.choice(MIDDLES), rng)
            parts.append(sentence[0].upper() + sentence[1:] + ".")
        parts.append(_fill(rng.choice(CLOSINGS), rng))
        texts.append(" ".join(parts))
    return texts


def make_mentions(texts: list[str], site: str = "forum.example.org") -> list[Mention]:
    start = datetime(2024, 5, 1, tzinfo=UTC)
    return [
        Mention(
            url=f"https://{site}/t/{i // 20}#p{i}",
            source={"kind": "forum", "name": "bench"},
            brands=["Velora"],
            text=text,
            author={"name": f"user{i % 150}", "posts": i % 900},
            engagement={"views": 40 + i % 500, "replies": i % 12},
            published_at=start + timedelta(minutes=i),
        )
        for i, text in enumerate(texts)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=2000, help="mentions per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--config", type=Path, default=REPO / "config.yaml")
    args = parser.parse_args()
    config = load_config(args.config).config
    size = config.nlp.spool_batch

    baseline = spacy.load(config.nlp.model_fr)
    baseline.select_pipes(enable=["ner"])
    analyzer = Analyzer.from_config(config)
    raw_rates, enrich_rates = [], []
    with tempfile.TemporaryDirectory() as state:
        enricher = Enricher(config, analyzer, Path(state) / STATE_FILE)
        warm = make_texts(100, seed=1)
        list(baseline.pipe(warm, batch_size=config.nlp.batch_size))
        enricher.enrich(make_mentions(warm, "warm-up.example"))
        for round_no in range(args.rounds):
            texts = make_texts(args.mentions, seed=100 + round_no)
            mentions = make_mentions(texts, f"round{round_no}.example")
            raw_time = enrich_time = 0.0
            # Interleaved batch by batch, which side goes first alternating: on a machine shared
            # with other work, a burst of load seconds long then slows both sides alike.
            for chunk_no, i in enumerate(range(0, len(mentions), size)):
                for side in (0, 1) if chunk_no % 2 == 0 else (1, 0):
                    started = time.process_time()
                    if side == 0:
                        for _ in baseline.pipe(texts[i : i + size], batch_size=config.nlp.batch_size):
                            pass
                        raw_time += time.process_time() - started
                    else:
                        enricher.enrich(mentions[i : i + size])
                        enrich_time += time.process_time() - started
            raw_rates.append(len(texts) / raw_time)
            enrich_rates.append(len(mentions) / enrich_time)
            print(
                f"round {round_no + 1}: raw NER {raw_rates[-1]:6.1f}/s, enrich {enrich_rates[-1]:6.1f}/s, "
                f"ratio {enrich_rates[-1] / raw_rates[-1]:.2f}"
            )
        enricher.close()

    words = sum(len(t.split()) for t in texts) / len(texts)
    raw_rate, enrich_rate = max(raw_rates), max(enrich_rates)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.mentions} French mentions per round, {words:.0f} words on average, {args.rounds} rounds")
    print(f"raw nlp.pipe, NER only ({config.nlp.model_fr}): {raw_rate:8.1f} mentions/s per core (best round)")
    print(f"whole enrich stage (Enricher.enrich):      {enrich_rate:8.1f} mentions/s per core (best round)")
    print(f"ratio enrich / raw NER: {enrich_rate / raw_rate:.2f} (target >= 0.80)")
    print(f"peak RSS: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
