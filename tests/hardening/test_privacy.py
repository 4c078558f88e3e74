"""GDPR on the real Elasticsearch: retention drops old monthly indices and prunes local data;
erasure by author or URL reports its counts; pseudonymised authors never reach the index."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from core.errors import ConfigError
from core.mention import Author, Mention, Source
from core.spool import Spool
from crawlers.state import StateStore
from index.indexer import Indexer
from veille.cli import cli
from veille.jobs.process import process_spool
from veille.privacy import apply_retention, forget

pytestmark = pytest.mark.es

NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


def mention(
    make_mention, n: int, published: datetime, author: str = "Claire Dubois", source: str = "forum-test"
):
    return make_mention(
        url=f"https://forum.example.fr/viewtopic.php?t=9#p{n}",
        published_at=published,
        author=Author(name=author, url=f"https://forum.example.fr/u/{author.replace(' ', '')}"),
        source=Source(kind="forum", name=source),
    )


def count(es, names, **term) -> int:
    es.indices.refresh(index=names.pattern)
    query = {"term": term} if term else {"match_all": {}}
    return es.count(index=names.pattern, query=query)["count"]


def test_retention_drops_whole_expired_months(es_client, index_names, config_factory, make_mention):
    loaded = config_factory(privacy={"retention": "13 months"})
    months = [datetime(2024, 6, 3, tzinfo=UTC), datetime(2025, 9, 30, tzinfo=UTC),
              datetime(2025, 10, 2, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)]  # fmt: skip
    Indexer(es_client, index_names, refresh=True).index(
        [mention(make_mention, i, when) for i, when in enumerate(months)]
    )
    erased = apply_retention(loaded, es_client, now=NOW)  # cut-off 2025-10-20
    p = index_names.prefix
    assert erased.indices == [f"{p}-mentions-2024.06", f"{p}-mentions-2025.09"]
    remaining = sorted(es_client.indices.get(index=index_names.pattern))
    assert remaining == [f"{p}-mentions-2025.10", f"{p}-mentions-2026.11"]


def test_retention_prunes_spool_mail_outbox_and_state(make_config, make_mention):
    loaded = make_config(privacy={"retention": "1 month"})
    with Spool(loaded.spool_path) as spool:
        spool.put([make_mention()])
    loaded.outbox_dir.mkdir(parents=True)
    old = loaded.outbox_dir / "old.eml"
    old.write_text("x")
    os.utime(old, (time.time() - 90 * 86400,) * 2)
    (loaded.outbox_dir / "new.eml").write_text("y")
    with StateStore(loaded.state_dir / "collect.sqlite") as state:
        state.mark_seen("forum", [("k1", "h")])
    later = datetime.fromtimestamp(time.time() + 40 * 86400, UTC)
    erased = apply_retention(loaded, None, now=later)
    assert erased.counts["spool rows"] == 1
    assert erased.counts["collection state rows"] == 1
    assert erased.counts["outbox files"] == 2  # both are older than "later - 1 month"
    assert list(loaded.outbox_dir.glob("*.eml")) == []


def test_forget_by_author_source_and_url_with_counts(es_client, index_names, config_factory, make_mention):
    loaded = config_factory()
    when = datetime(2026, 11, 10, tzinfo=UTC)
    docs = [
        mention(make_mention, 1, when), mention(make_mention, 2, when),
        mention(make_mention, 3, when, source="blog-x"),
        mention(make_mention, 4, when, author="Paul Martin"),
        mention(make_mention, 5, when, author="Paul Martin"),
    ]  # fmt: skip
    Indexer(es_client, index_names, refresh=True).index(docs)
    with Spool(loaded.spool_path) as spool:
        spool.put([mention(make_mention, 6, when)])
    first = forget(loaded, es_client, author="Claire Dubois", source="forum-test")
    assert first.counts["mentions deleted from Elasticsearch"] == 2
    assert first.counts["waiting in the spool"] == 1
    assert sum(first.counts.values()) == 3  # no email or alert quoted them
    assert count(es_client, index_names, **{"author.name": "Claire Dubois"}) == 1
    runner = CliRunner()
    result = runner.invoke(cli, ["-c", str(loaded.path), "forget", "--author", "Claire Dubois"])
    assert result.exit_code == 0, result.output
    assert "1 mentions deleted from Elasticsearch; 0 waiting in the spool" in result.output
    result = runner.invoke(cli, ["-c", str(loaded.path), "forget", "--url", docs[3].url])
    assert "1 mentions deleted from Elasticsearch" in result.output
    assert count(es_client, index_names) == 1  # only Paul Martin's other post is left
    assert runner.invoke(cli, ["-c", str(loaded.path), "forget"]).exit_code == 2


class Identity:
    """The enrichment seam of process_spool, without the NLP models (not what is tested here)."""

    def enrich(self, mentions: list[Mention]) -> list[Mention]:
        return mentions


def test_pseudonymised_authors_never_reach_the_index(
    es_client, index_names, config_factory, make_mention, monkeypatch
):
    loaded = config_factory(privacy={"pseudonymise_authors": True})
    when = datetime(2026, 11, 10, tzinfo=UTC)
    with Spool(loaded.spool_path) as spool:
        spool.put([mention(make_mention, 1, when), mention(make_mention, 2, when),
                   mention(make_mention, 3, when, author="Paul Martin")])  # fmt: skip
    with pytest.raises(ConfigError, match="VEILLE_PSEUDONYM_KEY is not set"):
        process_spool(loaded, Identity(), Indexer(es_client, index_names, refresh=True))
    monkeypatch.setenv("VEILLE_PSEUDONYM_KEY", "a-long-enough-secret-key")
    summary = process_spool(loaded, Identity(), Indexer(es_client, index_names, refresh=True))
    assert summary.indexed == 3
    es_client.indices.refresh(index=index_names.pattern)
    hits = es_client.search(index=index_names.pattern, size=10)["hits"]["hits"]
    authors = sorted(h["_source"]["author"]["name"] for h in hits)
    assert all(a.startswith("anon-") for a in authors) and len(set(authors)) == 2
    assert all(h["_source"]["author"]["url"] is None for h in hits)
    assert "Claire" not in str(hits) and "Dubois" not in str(hits)
