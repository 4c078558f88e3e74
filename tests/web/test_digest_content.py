"""The digest's content on indexed mentions: near-duplicates collapsed with their count, worst
reviews first with stars, share of voice against a competitor, French only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.digest import preview_digest
from index.indexer import Indexer
from veille.wiring import open_index


def negative(**fields):
    return {
        "sentiment": {"label": "negative", "score": -0.8, "model": "t"},
        "brand_sentiments": [{"brand": "Velora", "label": "negative", "score": -0.8, "model": "t"}],
        **fields,
    }


def test_digest_collapses_stories_sorts_reviews_and_compares(config_factory, make_mention):
    now = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    loaded = config_factory()
    handle = open_index(loaded)
    story = {"title": "Panne générale VeloBox", "story_id": "story-panne"}
    copies = [
        make_mention(published_at=now - timedelta(hours=h), **story, **negative()) for h in (1, 2, 3, 5)
    ]
    lone = make_mention(title="Facture doublée", published_at=now - timedelta(hours=2), **negative())
    reviews = [
        make_mention(url=f"https://avis.example.fr/velora#r{i}", source={"kind": "review", "name": "avis"},
                     title=title, rating={"value": value}, published_at=now - timedelta(hours=3))
        for i, (title, value) in enumerate([("Maintenance annoncée", 3), ("Service nul", 1),
                                            ("Très bien", 5), ("Décevant", 2)])
    ]  # fmt: skip
    rival = make_mention(
        url="https://forum.example.fr/viewtopic.php?t=9#p1",
        brands=["Velora"],
        entities=[{"text": "Orbitel", "label": "COMPETITOR", "canonical": "Orbitel"}],
        published_at=now - timedelta(days=2),
    )
    Indexer(handle.es, handle.names, refresh=True).index([*copies, lone, *reviews, rival])
    handle.close()

    text = preview_digest(loaded, None, now).text
    fresh = text.split("BAD BUZZ DES DERNIÈRES 24 H : 5 mention(s)")[1].split("À traiter")[0]
    assert fresh.count("Panne générale VeloBox") == 1
    assert "(4 mentions quasi identiques)" in fresh
    assert fresh.index("Panne générale VeloBox") < fresh.index("Facture doublée")  # the bigger story first
    reviews_part = text.split("Avis les plus sévères des dernières 24 h :")[1]
    order = [reviews_part.index(t) for t in ("★☆☆☆☆ Service nul", "★★☆☆☆ Décevant",
                                             "★★★☆☆ Maintenance annoncée", "★★★★★ Très bien")]  # fmt: skip
    assert order == sorted(order)
    assert "Part de voix sur 7 jours : Velora 91 % (10), Orbitel 9 % (1), Nexa Mobile 0 % (0)" in text
