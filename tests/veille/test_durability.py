"""Durability, tested by really stopping things: an Elasticsearch node stopped in the middle of
processing, and ``kill -9`` of a processing run. Nothing is lost, nothing is duplicated."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from elasticsearch import Elasticsearch

from core.config.elasticsearch import ElasticsearchConfig
from core.spool import Spool
from index import local_credentials
from index.indexer import Indexer
from tests.support import start_node_or_skip
from veille.jobs.process import process_spool
from veille.jobs.runtime import Runtime
from veille.services.es_node import LocalNode

SPARE_PORT = int(os.environ.get("VEILLE_TEST_SPARE_ES_PORT", "9271"))


@pytest.fixture(scope="module")
def spare_node():
    """A second local node of our own, so stopping it does not disturb the other tests."""
    node = LocalNode(ElasticsearchConfig().local.version, port=SPARE_PORT, heap="512m")
    start_node_or_skip(node)
    yield node
    node.stop()


def velora_mentions(make_mention, count):
    now = datetime.now(UTC)
    return [
        make_mention(
            url=f"https://forum.example.fr/viewtopic.php?t={i // 10}#p{i}",
            text=f"Message {i} : la VeloBox de Velora est en panne, le SAV ne répond pas.",
            published_at=now - timedelta(minutes=i),
        )
        for i in range(count)
    ]


def count_in(es_url, alias):
    with Elasticsearch(es_url, **local_credentials.client_options(es_url)) as es:
        es.indices.refresh(index=alias, ignore_unavailable=True)
        return es.count(index=alias, ignore_unavailable=True)["count"]


def test_elasticsearch_stopped_mid_processing_then_back(spare_node, config_factory, make_mention):
    loaded = config_factory(nlp={"spool_batch": 20})
    url = spare_node.url
    text = loaded.path.read_text(encoding="utf-8").replace(loaded.config.elasticsearch.url, url)
    loaded.path.write_text(text, encoding="utf-8")
    from core.config import load_config

    loaded = load_config(loaded.path)
    with Spool(loaded.spool_path) as spool:
        spool.put(velora_mentions(make_mention, 60))
    runtime = Runtime(loaded)
    try:
        indexer = Indexer(runtime.index().es, runtime.index().names, max_attempts=2, initial_backoff=0.2)
        stopped = []

        def stop_after_first_batch(size):
            if not stopped:
                stopped.append(spare_node.stop())

        first = process_spool(loaded, runtime.enricher, indexer, on_batch=stop_after_first_batch)
        assert stopped == [True]
        assert first.indexed == 20
        assert first.error and f"127.0.0.1:{SPARE_PORT}" in first.error
        with Spool(loaded.spool_path) as spool:
            stats = spool.stats()
            assert (stats.ready, stats.dead) == (40, 0)  # waiting, not given up on

        spare_node.start()
        runtime.close()
        runtime = Runtime(loaded)
        second = process_spool(loaded, runtime.enricher, runtime.indexer())
        assert second.error is None
        assert second.indexed == 40
        assert count_in(url, runtime.index().names.alias) == 60
        with Spool(loaded.spool_path) as spool:
            assert spool.stats().depth == 0
    finally:
        runtime.close()


def test_kill_9_during_processing_loses_and_duplicates_nothing(config_factory, make_mention, es_url):
    loaded = config_factory(nlp={"spool_batch": 20})
    total = 600
    with Spool(loaded.spool_path) as spool:
        spool.put(velora_mentions(make_mention, total))
    alias = f"{loaded.config.elasticsearch.index_prefix}-mentions"
    command = [sys.executable, "-m", "veille.cli", "--config", str(loaded.path), "process"]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    indexed_before_kill = 0
    while time.monotonic() < deadline and child.poll() is None:
        indexed_before_kill = count_in(es_url, alias)
        if indexed_before_kill >= 20:
            break
        time.sleep(0.1)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert 0 < indexed_before_kill < total
    again = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    assert count_in(es_url, alias) == total
    with Spool(loaded.spool_path) as spool:
        assert spool.stats().depth == 0
