"""Search as a marketer types it, against the real node (analysis plugin) and its analyzers."""

from datetime import UTC, datetime, timedelta

import pytest

from index.indexer import Indexer
from index.migrate import target_name
from index.queries import MentionFilter, MentionQueries
from index.search_syntax import parse, to_query
from index.templates import MAPPING_VERSION, detect_analyzers, ensure_templates, load_mapping

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
TEXTS = {
    "pannes": "Encore des pannes à répétition sur ma box depuis lundi",
    "operateur": "L’opérateur ne répond plus, c'est une arnaque",
    "cafe": "Le café du coin a une meilleure connexion que ma fibre",
    "remboursement": "Remboursement promis par le service client, toujours rien",
    "english": "The operator's outages are getting worse every week",
    "fibre": "Panne de fibre chez moi aussi",
}


def tokens(es, analyzer, text):
    return [t["token"] for t in es.indices.analyze(analyzer=analyzer, text=text)["tokens"]]


def test_the_node_has_french_and_english_analyzers(es_client):
    choice = detect_analyzers(es_client)
    assert choice.languages == {"fr": "french", "en": "english"}
    assert choice.folding
    assert tokens(es_client, "french", "L’opérateur a des pannes à répétition") == ["oper", "pane", "repet"]
    assert tokens(es_client, "french", "opérateurs") == tokens(es_client, "french", "operateur")
    assert tokens(es_client, "english", "The operator's outages") == ["oper", "outag"]


def test_security_index_filters_exist(es_client):
    # The analyzer the .security index defines for e-mail addresses, component by component.
    result = es_client.indices.analyze(
        tokenizer={"type": "uax_url_email", "max_token_length": 255},
        filter=[
            {"type": "pattern_capture", "preserve_original": True, "patterns": ["([^@]+)", "(\\w+)"]},
            "lowercase",
            {"type": "unique", "only_on_same_position": False},
        ],
        text="Jane.Doe@Example.com",
    )
    got = [t["token"] for t in result["tokens"]]
    assert "jane.doe@example.com" in got
    assert "jane" in got
    assert len(got) == len(set(got))


def test_parse_or_binds_tighter_than_and():
    groups = parse('panne OR arnaque velora -"fibre optique" rembours*')
    assert [[t.text for t in g] for g in groups] == [
        ["panne", "arnaque"],
        ["velora"],
        ["fibre optique"],
        ["rembours*"],
    ]
    assert groups[2][0].negated and groups[2][0].phrase
    assert to_query("de la") is None  # stop words alone: nothing to search


@pytest.fixture
def search(es_client, index_names, make_mention):
    mentions = {
        key: make_mention(text=text, title="", published_at=NOW - timedelta(minutes=i), lang="fr")
        for i, (key, text) in enumerate(TEXTS.items())
    }
    Indexer(es_client, index_names, refresh=True).index(mentions.values())
    queries = MentionQueries(es_client, index_names)
    ids = {mention.id: key for key, mention in mentions.items()}

    def run(text):
        return {ids[hit.source["id"]] for hit in queries.matching(MentionFilter(query=text), size=50)}

    run.queries = queries
    return run


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pannes", {"pannes", "fibre"}),
        ("panne", {"pannes", "fibre"}),
        ("operateur", {"operateur"}),
        ("l'opérateur", {"operateur"}),
        ("cafe", {"cafe"}),
        ("panne OR arnaque", {"pannes", "fibre", "operateur"}),
        ("panne -fibre", {"pannes"}),
        ('"service client"', {"remboursement"}),
        ("rembours*", {"remboursement"}),
        ("répét*", {"pannes"}),
        ("outage", {"english"}),
        ("box panne", {"pannes"}),
    ],
)
def test_search_box(search, query, expected):
    assert search(query) == expected


def test_highlighted_fragments(search):
    hits = search.queries.matching(MentionFilter(query="operateur"), size=5)
    fragments = [f for hit in hits for f in hit.fragments]
    assert any("opérateur</em>" in f for f in fragments), fragments


def test_old_indices_are_migrated_without_losing_a_mention(es_client, index_names, make_mention):
    # An index made by the previous version: standard analyzer only, mapping version 1.
    old = load_mapping()
    old["_meta"] = {"version": 1, "owner": "veille"}
    monthly = index_names.monthly(NOW)
    es_client.indices.delete(index=f"{index_names.prefix}-mentions-*", expand_wildcards="all")
    es_client.indices.delete_index_template(name=index_names.template)  # or it would add the sub-fields
    es_client.indices.create(index=monthly, mappings=old, aliases={index_names.alias: {}})
    assert (
        "fields"
        not in es_client.indices.get_mapping(index=monthly)[monthly]["mappings"]["properties"]["text"]
    )
    mentions = [make_mention(text=f"Des pannes encore, numéro {i}", published_at=NOW) for i in range(1200)]
    Indexer(es_client, index_names, refresh=True).index(mentions)
    queries = MentionQueries(es_client, index_names)
    assert queries.count(MentionFilter(query="pannes")) == 1200  # the exact field still matches

    ensure_templates(es_client, index_names)

    migrated = target_name(monthly, MAPPING_VERSION)
    assert es_client.indices.get_alias(index=migrated).body == {
        migrated: {"aliases": {monthly: {"is_write_index": True}, index_names.alias: {}}}
    }
    assert queries.count(MentionFilter(query="panne")) == 1200  # now through the French sub-field
    # The indexer keeps writing to the monthly name, now an alias of the migrated index.
    report = Indexer(es_client, index_names, refresh=True).index([make_mention(published_at=NOW)])
    assert report.created == 1
    assert es_client.count(index=migrated)["count"] == 1201
