"""Indexing throughput: Veille's Indexer against a raw ``helpers.bulk`` of the same documents.

    .venv/bin/python bench/index_throughput.py [--docs 50000] [--es-url URL] [--rounds 4]

Both index the same realistic mentions into the same Elasticsearch (the local node, started if
needed), each into fresh indices of its own. The raw side gets the documents already serialized
and indexed with plain ``index`` operations; Veille's side starts from Mention objects and does
everything it does in production (serialization, the id look-up that prevents duplicates across
monthly indices, create/update per document, per-document results). Rounds alternate which side
goes first; the best round of each is reported. Target: ratio >= 0.9.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from elasticsearch import Elasticsearch, helpers

from core.mention import Mention
from index import local_credentials
from index.indexer import Indexer
from index.names import IndexNames
from index.templates import ensure_templates

OPENINGS = [
    "Franchement, {brand} m'a déçu :",
    "Retour d'expérience sur {brand} :",
    "Petit message pour dire que {brand}",
    "Quelqu'un a eu le même souci avec {brand} ?",
    "Je recommande {brand},",
    "Mon avis après six mois chez {brand} :",
]
BODIES = [
    "la box redémarre toutes les nuits et le SAV ne répond pas au téléphone.",
    "installation rapide, technicien à l'heure, débit conforme à ce qui était annoncé.",
    "facture du mois dernier incompréhensible, on m'a compté deux fois l'option TV.",
    "le café est excellent, bien torréfié, livraison en deux jours, rien à redire.",
    "appli mobile plantée depuis la mise à jour, impossible de consulter ma conso.",
    "service client aimable mais il a fallu trois appels pour résoudre le problème.",
]
KINDS = ["forum", "blog", "review", "news", "feed"]


def make_mentions(count: int, seed: int = 7) -> list[Mention]:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    out = []
    for i in range(count):
        brand = rng.choice(["Velora", "Cafés Lantier"])
        kind = rng.choice(KINDS)
        text = " ".join([rng.choice(OPENINGS).format(brand=brand), *rng.sample(BODIES, 3), f"(message {i})"])
        out.append(
            Mention(
                url=f"https://{kind}.example.fr/thread/{i // 20}#p{i}",
                thread_url=f"https://{kind}.example.fr/thread/{i // 20}",
                source={"kind": kind, "name": f"{kind}-bench"},
                brands=[brand],
                title=f"Sujet {i // 20} sur {brand}",
                text=text,
                snippet=text[:160],
                author={"name": f"membre{rng.randrange(2000)}", "posts": rng.randrange(5000)},
                published_at=now - timedelta(minutes=rng.randrange(90 * 24 * 60)),
                lang="fr",
                rating={"value": rng.randint(1, 5)} if kind == "review" else None,
                sentiment={
                    "label": rng.choice(["positive", "neutral", "negative"]),
                    "score": 0.1,
                    "model": "b",
                },
                brand_sentiments=[{"brand": brand, "label": "negative", "score": -0.4, "model": "b"}],
                entities=[{"text": brand, "label": "ORG", "canonical": brand}],
            )
        )
    return out


def fresh(es: Elasticsearch, prefix: str) -> IndexNames:
    es.indices.delete(index=f"{prefix}-*", allow_no_indices=True, expand_wildcards="all")
    names = IndexNames(prefix)
    ensure_templates(es, names)
    return names


def run_veille(es: Elasticsearch, mentions: list[Mention], prefix: str) -> float:
    names = fresh(es, prefix)
    start = time.perf_counter()
    report = Indexer(es, names, chunk_size=500).index(mentions)
    es.indices.refresh(index=names.alias)
    elapsed = time.perf_counter() - start
    assert report.created == len(mentions) and not report.failed, report
    return elapsed


def run_raw(es: Elasticsearch, actions: list[dict], prefix: str) -> float:
    names = fresh(es, prefix)
    for action in actions:
        action["_index"] = names.monthly(datetime.fromisoformat(action["_source"]["published_at"]))
    start = time.perf_counter()
    ok, errors = helpers.bulk(es, actions, chunk_size=500, stats_only=True)
    es.indices.refresh(index=names.alias)
    elapsed = time.perf_counter() - start
    assert ok == len(actions) and not errors
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--es-url", help="default: the local node (started if needed)")
    args = parser.parse_args()
    url = args.es_url
    if not url:
        from veille.services.es_node import LocalNode

        url = LocalNode.from_config().start().url
    es = Elasticsearch(url, request_timeout=120, **local_credentials.client_options(url))
    print(f"generating {args.docs} mentions…", flush=True)
    mentions = make_mentions(args.docs)
    serialized = [m.to_document() for m in mentions]
    veille_times, raw_times = [], []
    for round_number in range(1, args.rounds + 1):
        actions = [{"_op_type": "index", "_id": d["id"], "_source": d} for d in serialized]
        # Who goes first alternates, so a burst of load from elsewhere does not favour one side.
        if round_number % 2:
            raw_times.append(run_raw(es, actions, "bench-raw"))
            veille_times.append(run_veille(es, mentions, "bench-veille"))
        else:
            veille_times.append(run_veille(es, mentions, "bench-veille"))
            raw_times.append(run_raw(es, actions, "bench-raw"))
        print(
            f"round {round_number}: raw {args.docs / raw_times[-1]:,.0f} docs/s, "
            f"veille {args.docs / veille_times[-1]:,.0f} docs/s",
            flush=True,
        )
    raw_rate = args.docs / min(raw_times)
    veille_rate = args.docs / min(veille_times)
    for prefix in ("bench-raw", "bench-veille"):
        es.indices.delete(index=f"{prefix}-*", allow_no_indices=True)
    print(f"raw helpers.bulk (pre-serialized): {raw_rate:,.0f} docs/s")
    print(f"veille Indexer (from Mentions):    {veille_rate:,.0f} docs/s")
    print(f"ratio veille/raw: {veille_rate / raw_rate:.2f} (target >= 0.9)")


if __name__ == "__main__":
    main()
