"""Indexing against the real Elasticsearch: round trip, idempotency, rejections, unavailability."""

import logging
from datetime import UTC, datetime

import pytest
from elasticsearch import Elasticsearch

from core.errors import IndexUnavailable
from core.mention import Mention
from index.client import ensure_available
from index.indexer import Indexer
from index.names import IndexNames
from index.templates import AnalyzerChoice, detect_analyzers, ensure_templates, mention_mapping
from tests.support import free_port


def stored(es, names, mention_id):
    hits = es.search(index=names.alias, query={"ids": {"values": [mention_id]}})["hits"]["hits"]
    assert len(hits) == 1, f"expected exactly one copy of {mention_id}, found {len(hits)}"
    return hits[0]


def test_round_trip(es_client, index_names, make_mention):
    mention = make_mention(
        rating={"value": 2},
        sentiment={"label": "negative", "score": -0.5, "model": "t"},
        brand_sentiments=[{"brand": "Velora", "label": "negative", "score": -0.8}],
    )
    report = Indexer(es_client, index_names, refresh=True).index([mention])
    assert (report.created, report.failed) == (1, {})
    hit = stored(es_client, index_names, mention.id)
    assert hit["_index"] == f"{index_names.prefix}-mentions-2026.11"
    assert Mention.from_document(hit["_source"]) == mention


def test_monthly_indices_behind_one_alias(es_client, index_names, make_mention):
    october = make_mention(published_at=datetime(2026, 10, 31, 23, 30, tzinfo=UTC))
    november = make_mention(published_at=datetime(2026, 11, 1, 0, 30, tzinfo=UTC))
    Indexer(es_client, index_names, refresh=True).index([october, november])
    assert stored(es_client, index_names, october.id)["_index"].endswith("2026.10")
    assert stored(es_client, index_names, november.id)["_index"].endswith("2026.11")
    assert es_client.count(index=index_names.alias)["count"] == 2


def test_reindexing_updates_never_duplicates_and_keeps_first_seen_and_status(
    es_client, index_names, make_mention
):
    indexer = Indexer(es_client, index_names, refresh=True)
    first = make_mention(first_seen_at=datetime(2026, 11, 20, 11, 0, tzinfo=UTC))
    indexer.index([first])
    index = stored(es_client, index_names, first.id)["_index"]
    es_client.update(index=index, id=first.id, doc={"status": "handled"}, refresh=True)
    # Re-crawled a day later, edited, and with a published date that moved to another month.
    again = first.model_copy(
        update={
            "text": "édité : ça remarche",
            "first_seen_at": datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
            "published_at": datetime(2026, 12, 1, 0, 5, tzinfo=UTC),
        }
    )
    report = indexer.index([again, again])
    assert (report.updated, report.created) == (1, 0)
    source = stored(es_client, index_names, first.id)["_source"]
    assert source["text"] == "édité : ça remarche"
    assert source["first_seen_at"] == "2026-11-20T11:00:00Z"
    assert source["status"] == "handled"
    assert es_client.count(index=index_names.alias)["count"] == 1
    assert indexer.index([again]).unchanged == 1


def test_rejected_document_is_reported_with_id_and_reason_others_indexed(
    es_client, index_names, make_mention
):
    good = [make_mention() for _ in range(3)]
    bad = make_mention(author={"name": "bot", "posts": 10**12})  # overflows the integer field
    report = Indexer(es_client, index_names, refresh=True).index([*good, bad])
    assert report.created == 3
    assert list(report.failed) == [bad.id]
    assert "parsing_exception" in report.failed[bad.id]
    assert "author.posts" in report.failed[bad.id]
    assert es_client.count(index=index_names.alias)["count"] == 3


def test_language_subfields_on_veilles_node(es_client, index_names, caplog):
    # The Maven test distribution lacks analysis-common; Veille's plugin gives it the same names.
    choice = detect_analyzers(es_client)
    assert choice == AnalyzerChoice({"fr": "french", "en": "english"}, folding=True)
    with caplog.at_level(logging.INFO, logger="index.templates"):
        ensure_templates(es_client, index_names)
    assert "fr: french, en: english, folded" in caplog.text
    mapping = es_client.indices.get_mapping(index=index_names.alias)
    text_field = next(iter(mapping.values()))["mappings"]["properties"]["text"]
    assert set(text_field["fields"]) == {"fr", "en", "folded"}


def test_standard_only_mapping_when_the_cluster_has_no_analyzers():
    mapping = mention_mapping(AnalyzerChoice({}))
    assert "fields" not in mapping["properties"]["text"]
    assert AnalyzerChoice({}).index_settings() == {}


def test_language_subfields_when_the_cluster_has_the_analyzers():
    mapping = mention_mapping(AnalyzerChoice({"fr": "french", "en": "english"}, folding=True))
    assert mapping["properties"]["text"]["fields"] == {
        "fr": {"type": "text", "analyzer": "french"},
        "en": {"type": "text", "analyzer": "english"},
        "folded": {"type": "text", "analyzer": "veille_folded"},
    }
    assert mapping["properties"]["title"]["fields"]["raw"] == {"type": "keyword", "ignore_above": 512}
    assert mapping["_meta"]["analyzers"] == {"fr": "french", "en": "english"}


def test_unavailable_cluster_names_the_url():
    url = f"http://127.0.0.1:{free_port()}"
    with Elasticsearch(url, request_timeout=2, max_retries=0) as es:
        with pytest.raises(IndexUnavailable, match=r"127\.0\.0\.1:\d+.*connection refused") as info:
            ensure_available(es)
        assert info.value.url == url


def test_indexer_gives_up_with_index_unavailable_after_retries(make_mention):
    url = f"http://127.0.0.1:{free_port()}"
    with Elasticsearch(url, request_timeout=2, max_retries=0) as es:
        indexer = Indexer(es, IndexNames("nowhere"), max_attempts=2, initial_backoff=0.01)
        with pytest.raises(IndexUnavailable, match=r"127\.0\.0\.1"):
            indexer.index([make_mention()])
