"""A web workspace on the test Elasticsearch, with three accounts and a small realistic inbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.mention import Mention
from index.indexer import Indexer
from veille.web.app import Workspace
from veille.web.server import build_workspace

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
PASSWORDS = {"camille": "camille-pass-123", "lea": "lea-pass-4567", "admin": "admin-pass-890"}


@dataclass
class Seeded:
    ws: Workspace
    mentions: dict[str, Mention]


def _mention(make: Callable[..., Mention], key: str, **fields: Any) -> tuple[str, Mention]:
    return key, make(**fields)


@pytest.fixture
def seeded(config_factory, make_mention) -> Iterator[Seeded]:
    loaded = config_factory()
    ws = build_workspace(loaded, clock=lambda: NOW)
    ws.accounts.add("camille", PASSWORDS["camille"], "responder")
    ws.accounts.add("lea", PASSWORDS["lea"], "viewer")
    ws.accounts.add("admin", PASSWORDS["admin"], "admin")

    def neg(label: str) -> dict[str, Any]:
        score = {"negative": -0.8, "neutral": 0.0, "positive": 0.7}[label]
        return {
            "sentiment": {"label": label, "score": score, "model": "t"},
            "brand_sentiments": [{"brand": "Velora", "label": label, "score": score, "model": "t"}],
            "lang": "fr",
        }

    mentions = dict(
        [
            _mention(make_mention, "late_influential", title="Pannes à répétition",
                     text="Encore des pannes sur ma VeloBox Velora, trois coupures cette semaine.",
                     author={"name": "gros_compte", "influence": 90.0},
                     published_at=NOW - timedelta(hours=6), **neg("negative")),
            _mention(make_mention, "fresh_negative", title="Box Velora en panne",
                     text="Ma box Velora est en panne depuis ce matin, service client injoignable.",
                     author={"name": "petit_compte", "influence": 5.0},
                     published_at=NOW - timedelta(minutes=30), story_id="story-1", **neg("negative")),
            _mention(make_mention, "fresh_negative_copy", title="Box Velora en panne",
                     text="Ma box Velora est en panne depuis ce matin, service client injoignable !",
                     author={"name": "autre", "influence": 5.0},
                     published_at=NOW - timedelta(minutes=20), story_id="story-1", **neg("negative")),
            _mention(make_mention, "happy", title="Merci Velora",
                     text="Technicien Velora au top, la fibre marche enfin.",
                     author={"name": "content"}, published_at=NOW - timedelta(hours=2),
                     **neg("positive")),
            _mention(make_mention, "wrongly_positive", title="Bravo Velora…",
                     text="Bravo Velora, encore une facture doublée, vraiment génial.",
                     author={"name": "ironique"}, published_at=NOW - timedelta(hours=1),
                     **neg("positive")),
        ]
    )  # fmt: skip
    Indexer(ws.es, ws.names, refresh=True).index(mentions.values())
    yield Seeded(ws, mentions)
    ws.accounts.close()
    ws.es.close()
