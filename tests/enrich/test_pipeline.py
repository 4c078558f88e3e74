"""The Enricher: batches equal items one by one, stories and author influence across runs."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from enrich.influence import AuthorStats, calibrate, influence_score
from enrich.pipeline import Enricher, EnrichStateError

NEWS = (
    "Velora annonce une hausse de 3 euros de ses forfaits fibre à partir du 1er juin, justifiée par "
    "l'augmentation des coûts de l'énergie et les investissements dans le réseau selon son directeur."
)


def _batch(mention):
    return [
        mention(
            1,
            "Le SAV de Velora est nul mais Orbitel est top.",
            author={"name": "Marc", "posts": 120},
            engagement={"views": 300, "replies": 4},
        ),
        mention(2, "J'adore ma VeloBox, installée en 10 minutes 😍", author={"name": "Julie"}),
        mention(
            3, NEWS, source={"kind": "news", "name": "news-a"}, url="https://news-a.example/velora-hausse"
        ),
        mention(
            4,
            "Reprise : " + NEWS,
            source={"kind": "news", "name": "news-b"},
            url="https://news-b.example/velora",
        ),
        mention(5, "The Velora app keeps crashing, terrible.", author={"name": "marc"}),
        mention(6, "Merci !", author={"name": "Marc"}),
    ]


def test_batch_gives_the_same_results_as_one_by_one(make_enricher, mention, tmp_path):
    batch = _batch(mention)
    batched = make_enricher(tmp_path / "a").enrich(batch)
    single_enricher = make_enricher(tmp_path / "b")
    single = [single_enricher.enrich([m])[0] for m in batch]
    assert [m.to_document() for m in batched] == [m.to_document() for m in single]
    assert batched[0].brand_labels == ["Velora:negative"]
    assert batched[1].lang == "fr" and batched[4].lang == "en"


def test_near_duplicates_share_a_story_across_batches_and_runs(make_enricher, mention, tmp_path):
    state = tmp_path / "state"
    first = make_enricher(state).enrich([_batch(mention)[2]])[0]
    first_again = make_enricher(state).enrich([_batch(mention)[2]])[0]  # a replay: same story, same counts
    copy = make_enricher(state).enrich([_batch(mention)[3]])[0]
    other = make_enricher(state).enrich(
        [
            mention(
                9,
                NEWS.replace("hausse", "baisse").replace("fibre", "mobiles").replace("énergie", "câbles")
                + " Une première.",
            )
        ]
    )[0]
    assert first.story_id == first_again.story_id == copy.story_id
    unrelated = make_enricher(state).enrich(
        [mention(10, "Ma box Velora redémarre toute seule depuis hier soir, quelqu'un a une idée ?")]
    )[0]
    assert unrelated.story_id != first.story_id
    assert other.story_id != first.story_id  # several shingles changed: below the 0.8 threshold


def test_stories_are_looked_for_only_inside_the_window(make_enricher, mention, tmp_path):
    enricher = make_enricher(tmp_path)
    old = enricher.enrich([mention(1, NEWS, published_at="2024-01-01T00:00:00Z")])[0]
    new = enricher.enrich([mention(2, NEWS, published_at="2024-03-01T00:00:00Z")])[0]
    assert old.story_id != new.story_id


def test_author_influence_grows_with_what_is_seen_and_replays_do_not_count(make_enricher, mention):
    enricher = make_enricher()
    alone = enricher.enrich([mention(1, "Box en panne.", author={"name": "Lucie"})])[0]
    assert alone.author.influence is not None
    replayed = enricher.enrich([mention(1, "Box en panne.", author={"name": "Lucie"})])[0]  # same post
    assert replayed.author.influence == alone.author.influence
    later = enricher.enrich(
        [
            mention(
                2, "Toujours en panne.", author={"name": "lucie"}, engagement={"views": 5000, "replies": 30}
            )
        ]
    )[0]
    assert later.author.influence > alone.author.influence
    elsewhere = enricher.enrich(
        [
            mention(
                3,
                "Panne encore",
                author={"name": "Lucie"},
                url="https://other-forum.example/t/9#p1",
                source={"kind": "forum", "name": "other"},
            )
        ]
    )[0]
    assert elsewhere.author.influence > alone.author.influence  # seen on two sites
    assert enricher.enrich([mention(4, "Anonyme")])[0].author.influence is None


def test_influence_spreads_over_its_range_on_a_bunched_population(make_mention):
    """Most authors post once or twice on one site (same raw score); the calibrated score still
    separates them from the few very active ones, and few authors are 'influential'."""
    stats = AuthorStats(sqlite3.connect(":memory:"))
    now = datetime(2026, 11, 20, tzinfo=UTC)
    posts_by_author = {f"auteur{i}": 1 + (i % 2) for i in range(180)}
    posts_by_author.update({f"habitue{i}": 20 * (i + 1) for i in range(20)})
    scores: dict[str, float | None] = {}
    raws = set()
    for name, posts in posts_by_author.items():
        for n in range(posts):
            scores[name] = stats.observe(
                make_mention(author={"name": name}, url=f"https://f.example/t/{name}#p{n}"), now
            )
        raws.add(influence_score(posts, None, None, 1))
    # Everyone scored against the final population.
    reference = sorted(raw for (raw,) in stats.db.execute("SELECT raw FROM author_raw"))
    assert len(reference) == len(posts_by_author)
    final = {
        name: calibrate(influence_score(p, None, None, 1), reference) for name, p in posts_by_author.items()
    }
    assert len(raws) < 25  # the raw formula bunches the population
    values = sorted(final.values())
    assert values[0] < 30 and values[-1] > 95
    assert final["habitue19"] > final["habitue0"] > final["auteur1"] > final["auteur0"]
    influential = sum(1 for v in values if v >= 90)
    assert 0 < influential <= 0.12 * len(values)
    assert all(v is not None for v in scores.values())


def test_calibrate():
    assert calibrate(42.0, []) == 42.0  # nobody known yet: the raw score
    reference = [float(v) for v in range(100)]
    assert calibrate(99.0, reference) == 99.5  # mid-rank of the top author
    assert calibrate(0.0, reference) == 0.5
    small = [10.0, 20.0]  # two authors: mostly raw, a little percentile
    assert 20.0 < calibrate(20.0, small) < 25.0


def test_influence_formula():
    assert influence_score(0, None, None, 1) == 0
    assert influence_score(1000, 10_000, 50, 4) == 100
    assert influence_score(1000, None, None, 4) == 100  # missing counters do not push down
    assert 0 < influence_score(10, 100, 2, 1) < influence_score(500, 100, 2, 1) < 100


def test_unwritable_state_is_a_clear_error(config, analyzer, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(EnrichStateError, match=str(blocker)):
        Enricher(config, analyzer, blocker / "enrich.sqlite")


def test_state_is_bounded(make_enricher, mention, tmp_path):
    enricher = make_enricher(tmp_path)
    enricher.enrich([mention(1, NEWS, author={"name": "Old"})])
    later = datetime.now(UTC) + timedelta(days=400)
    assert enricher.stories.prune(later) == 1
    assert enricher.authors.prune(later) == 1
    db = sqlite3.connect(tmp_path / "enrich.sqlite")
    assert db.execute("SELECT COUNT(*) FROM story_signature").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM author_post").fetchone()[0] == 0
    db.close()
