"""The evidence of an alert email: near-duplicates (one story) are shown once, with their count."""

from __future__ import annotations

from alerts.evidence import gather
from index.indexer import Indexer

COPIED = "Velora c'est une arnaque : box morte, hotline saturée, et ils osent envoyer la facture."


def test_one_line_per_story_with_the_count_of_its_copies(es_client, index_names, make_mention):
    copies = [make_mention(text=COPIED, story_id="story-copied") for _ in range(4)]
    other = make_mention(text="Panne VeloBox à Rennes depuis ce matin.", story_id="story-other")
    loose = make_mention(text="Velora ne répond plus.", story_id=None)  # not enriched: stands alone
    report = Indexer(es_client, index_names, refresh=True).index([*copies, other, loose])
    assert report.failed == {} and report.created == 6

    evidence = gather(es_client, index_names, {"match_all": {}}, "Velora", size=5)

    assert evidence.total == 6
    by_story = {m["story_id"]: m for m in evidence.mentions}
    assert len(evidence.mentions) == 3, evidence.mentions
    assert by_story["story-copied"]["duplicates"] == 3
    assert by_story["story-other"]["duplicates"] == 0
    assert by_story[None]["duplicates"] == 0
