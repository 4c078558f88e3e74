"""Veille on a real three-node cluster (same distribution, loopback ports): one replica, a node
stopped in the middle of indexing, and not one mention lost. ``ES_URL`` lists the three nodes.

Authentication is off here: this test is about replication and fail-over, not about the
security the single-node tests cover.
"""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from core.config.elasticsearch import ElasticsearchConfig
from index.client import connect
from index.indexer import Indexer
from index.names import IndexNames
from index.templates import ensure_templates
from tests.support import free_port, wait_until
from veille.services.es_node import LocalNode, Membership

pytestmark = pytest.mark.slow

VERSION = ElasticsearchConfig().local.version
TOTAL, BATCH = 3000, 100


@pytest.fixture(scope="module")
def cluster():
    http = [free_port() for _ in range(3)]
    transport = [free_port() for _ in range(3)]
    names = tuple(f"veille-c{i}" for i in range(3))
    seeds = tuple(f"127.0.0.1:{port}" for port in transport)
    nodes = [
        LocalNode(
            VERSION,
            port=http[i],
            heap="512m",
            auth=False,
            membership=Membership(f"veille-cluster-{http[0]}", names[i], transport[i], seeds, names),
        )
        for i in range(3)
    ]
    try:
        # Each node waits for a master, which needs two of the three: start them together.
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda node: node.start(timeout=420), nodes))
        yield nodes
    finally:
        for node in nodes:
            node.stop()
            shutil.rmtree(node.node_dir, ignore_errors=True)


def test_a_node_stopped_during_indexing_loses_nothing(cluster, monkeypatch, make_mention):
    monkeypatch.setenv("ES_URL", ",".join(node.url for node in cluster))
    es = connect(ElasticsearchConfig())
    assert len(es.transport.node_pool.all()) == 3
    assert es.cluster.health(wait_for_nodes="3", timeout="60s")["number_of_nodes"] == 3
    names = IndexNames("cluster-test")
    ensure_templates(es, names)
    monthly = names.monthly(datetime.now(UTC))
    es.cluster.health(index=monthly, wait_for_status="green", timeout="60s")
    settings = es.indices.get_settings(index=monthly)[monthly]["settings"]["index"]
    assert settings["auto_expand_replicas"] == "0-1"
    replicas = [s for s in es.cat.shards(index=monthly, format="json") if s["prirep"] == "r"]
    assert len(replicas) == 1, "one replica on a multi-node cluster"

    # The node holding the primary goes down while the batches are being written.
    primary_node = next(s["node"] for s in es.cat.shards(index=monthly, format="json") if s["prirep"] == "p")
    victim = next(node for node in cluster if node.membership.node_name == primary_node)
    now = datetime.now(UTC)
    mentions = [
        make_mention(
            url=f"https://forum.example.fr/t/{i}#p{i}",
            text=f"Panne numéro {i}",
            published_at=now - timedelta(seconds=i),
        )
        for i in range(TOTAL)
    ]
    indexer = Indexer(es, names, chunk_size=BATCH, max_attempts=12, initial_backoff=0.5)
    stopper = threading.Thread(target=victim.stop)
    for start in range(0, TOTAL, BATCH):
        if start == TOTAL // 3:
            stopper.start()  # the node shuts down while the next batches are written
        if start == 2 * TOTAL // 3:
            stopper.join()  # and the last third is written with it gone for sure
            assert not victim.status().running
        indexer.index(mentions[start : start + BATCH])

    survivors = [node.url for node in cluster if node is not victim]
    with connect(ElasticsearchConfig(), ",".join(survivors)) as client:
        assert wait_until(
            lambda: client.cluster.health(index=monthly)["status"] in {"yellow", "green"}, timeout=60
        )
        client.indices.refresh(index=names.alias)
        assert client.count(index=names.alias)["count"] == TOTAL
        ids = {
            hit["_id"] for hit in client.search(index=names.alias, size=TOTAL, source=False)["hits"]["hits"]
        }
        assert ids == {m.id for m in mentions}
