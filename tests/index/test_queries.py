"""The aggregation helpers alerts and digests rely on, against the real Elasticsearch."""

from datetime import UTC, datetime, timedelta

import pytest

from index.indexer import Indexer
from index.queries import MentionFilter, MentionQueries

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
def queries(es_client, index_names, make_mention):
    def neg(**kw):
        return {"brand_sentiments": [{"brand": "Velora", "label": "negative", "score": -0.7}], **kw}

    mentions = [
        # Three copies of one syndicated story, an hour ago.
        *(
            make_mention(
                text="Panne géante Velora : la box ne répond plus",
                story_id="story-1",
                published_at=NOW - timedelta(minutes=50 + i),
                source={"kind": "news", "name": f"news-{i}"},
                **neg(),
            )
            for i in range(3)
        ),
        make_mention(
            text="Le SAV Velora injoignable depuis ce matin",
            published_at=NOW - timedelta(minutes=20),
            **neg(),
        ),
        # Overall negative, positive towards Velora: the brand label wins.
        make_mention(
            text="Orbitel est nul, heureusement Velora est top",
            published_at=NOW - timedelta(minutes=10),
            sentiment={"label": "negative", "score": -0.3},
            brand_sentiments=[{"brand": "Velora", "label": "positive", "score": 0.6}],
        ),
        # No per-brand sentiment: the overall label is used.
        make_mention(
            text="Velora arnaque arnaque",
            published_at=NOW - timedelta(hours=5),
            sentiment={"label": "negative", "score": -0.9},
        ),
        make_mention(
            text="Cafés Lantier, un délice", brands=["Cafés Lantier"], published_at=NOW - timedelta(hours=2)
        ),
    ]
    Indexer(es_client, index_names, refresh=True).index(mentions)
    return MentionQueries(es_client, index_names)


def test_negative_towards_the_brand_uses_brand_labels_then_overall(queries):
    negative = MentionFilter(brand="Velora", sentiment="negative")
    assert queries.count(negative) == 5  # 3 story copies + SAV + the unlabeled "arnaque"
    assert queries.count(MentionFilter(brand="Velora", sentiment="positive")) == 1


def test_a_story_counts_once_when_asked(queries):
    flt = MentionFilter(brand="Velora", sentiment="negative")
    assert queries.count(flt, unique_stories=True) == 3


def test_histogram_has_every_bucket_aligned_on_the_window(queries):
    buckets = queries.histogram(
        MentionFilter(brand="Velora"),
        interval="1h",
        start=NOW - timedelta(hours=6),
        end=NOW,
        unique_stories=True,
    )
    assert [when for when, _ in buckets] == [NOW - timedelta(hours=6 - i) for i in range(6)]
    assert [count for _, count in buckets] == [0, 1, 0, 0, 0, 3]


def test_counts_by_crosstab_and_top_lists(queries):
    assert queries.counts_by("brands", MentionFilter()) == {"Velora": 6, "Cafés Lantier": 1}
    table = queries.crosstab("source.kind", "brands", MentionFilter())
    assert table["news"] == {"Velora": 3}
    assert queries.top_sites(MentionFilter(brand="Velora")) == {"forum.example.fr": 6}
    assert sum(queries.top_authors(MentionFilter()).values()) == 7


def test_top_terms_skip_function_words(queries, es_client, index_names, make_mention):
    more = [
        make_mention(
            text=text,
            published_at=NOW - timedelta(minutes=5),
            brand_sentiments=[{"brand": "Velora", "label": "negative", "score": -0.8}],
        )
        for text in (
            "Encore une panne chez Velora, le SAV ne répond plus, il est injoignable",
            "Velora en panne à Lyon aussi, et le service client ne répond plus, la box est morte",
            "Troisième panne de la semaine, Velora ne marche plus, elle est nulle",
        )
    ]
    # Terms stand out against the rest of the index: give it an ordinary background.
    background = [
        make_mention(
            text=f"Velora, la fibre marche bien chez moi, débit correct jour {i}",
            published_at=NOW - timedelta(days=i),
        )
        for i in range(1, 15)
    ]
    Indexer(es_client, index_names, refresh=True).index(more + background)
    terms = queries.top_terms(MentionFilter(brand="Velora", sentiment="negative"), size=20)
    assert "panne" in terms or "arnaque" in terms
    assert not {"la", "de", "ne", "plus", "est"} & set(terms)


def test_latest_and_query_string(queries):
    latest = queries.latest(MentionFilter(brand="Velora", query="SAV"))
    assert [doc["text"] for doc in latest] == ["Le SAV Velora injoignable depuis ce matin"]
    window = MentionFilter(brand="Velora", since=NOW - timedelta(hours=1), until=NOW)
    assert queries.count(window) == 5
