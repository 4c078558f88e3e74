"""`veille label`: a person's sentiment verdict is counted, survives re-crawls, and exports for training."""

import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from alerts.digest_data import brand_digest
from index.indexer import Indexer
from index.names import IndexNames
from index.queries import MentionFilter, MentionQueries
from veille.cli import cli


def run(loaded, *args):
    return CliRunner().invoke(cli, ["--config", str(loaded.path), *args])


def test_label_counts_survives_recrawl_and_exports(config_factory, make_mention, es_client, tmp_path):
    loaded = config_factory()
    names = IndexNames(loaded.config.elasticsearch.index_prefix)
    now = datetime.now(UTC)
    model_says = {
        "sentiment": {"label": "positive", "score": 0.6, "model": "m"},
        "brand_sentiments": [{"brand": "Velora", "label": "positive", "score": 0.6, "model": "m"}],
        "lang": "fr",
        "published_at": now - timedelta(hours=1),
    }
    wrong = make_mention(text="Super, encore une panne Velora, bravo…", **model_says)
    other = make_mention(**model_says)
    from veille.wiring import open_index

    open_index(loaded).close()  # templates under the test prefix
    Indexer(es_client, names, refresh=True).index([wrong, other])
    queries = MentionQueries(es_client, names)
    negative = MentionFilter(brand="Velora", sentiment="negative")
    assert queries.count(negative) == 0

    result = run(loaded, "label", wrong.id, "negative", "--brand", "Velora")
    assert result.exit_code == 0, result.output
    assert queries.count(negative) == 1
    tz = loaded.config.tz
    assert brand_digest(es_client, names, "Velora", now, tz, timedelta(hours=4)).sentiment["negative"] == 1

    # Re-crawled and re-enriched: the model still says positive, the person's verdict stays.
    Indexer(es_client, names, refresh=True).index([wrong.model_copy(update={"title": "édité"})])
    doc = es_client.get(index=names.monthly(wrong.published_at), id=wrong.id)["_source"]
    assert doc["title"] == "édité"
    assert doc["brand_labels"] == ["Velora:negative"]
    assert doc["human_sentiment"][0]["model_label"] == "positive"
    assert queries.count(negative) == 1

    out = tmp_path / "corrections.jsonl"
    result = run(loaded, "label", "--export", str(out))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == [{"text": "édité\nSuper, encore une panne Velora, bravo…", "label": "negative",
                     "lang": "fr", "brand": "Velora"}]  # fmt: skip


def test_label_refuses_unknown_ids_and_brands(config_factory, make_mention, es_client):
    loaded = config_factory()
    names = IndexNames(loaded.config.elasticsearch.index_prefix)
    from veille.wiring import open_index

    open_index(loaded).close()
    mention = make_mention()
    Indexer(es_client, names, refresh=True).index([mention])
    missing = run(loaded, "label", "0" * 16, "neutral")
    assert missing.exit_code == 1
    assert "no mention with id" in missing.output
    unknown = run(loaded, "label", mention.id, "neutral", "--brand", "Nope")
    assert unknown.exit_code == 2
    assert "unknown brand 'Nope'" in unknown.output
    not_about = run(loaded, "label", mention.id, "neutral", "--brand", "Cafés Lantier")
    assert not_about.exit_code == 2
    assert "not about brand" in not_about.output
