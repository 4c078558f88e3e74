"""Move a mentions index made under an older mapping into a new one, without ``_reindex``.

Veille's local node has no reindex module, so the copy is a scroll plus bulk writes. The old
index is write-blocked first (writers fail and their mentions wait in the spool), copied into
``<name>.v<version>`` (the template gives it the new mapping), counted, then swapped in one
atomic alias update: the old index is removed and its name becomes an alias of the new one,
so the indexer's monthly names keep working.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers

from core.errors import ElasticsearchError
from index.names import IndexNames

logger = logging.getLogger(__name__)

BATCH = 500


def target_name(index: str, version: int) -> str:
    """``veille-mentions-2026.11`` or ``veille-mentions-2026.11.v1`` -> ``veille-mentions-2026.11.v2``."""
    return f"{base_name(index)}.v{version}"


def base_name(index: str) -> str:
    return re.sub(r"\.v\d+$", "", index)


def migrate_index(es: Elasticsearch, names: IndexNames, source: str, version: int) -> str:
    """Copy ``source`` into its version-``version`` successor and swap names; returns the new index."""
    target = target_name(source, version)
    if target == source:
        raise ElasticsearchError(f"index {source} is already named for mapping version {version}")
    logger.warning("migrating %s to %s (mapping version %s)", source, target, version)
    try:
        es.indices.put_settings(index=source, settings={"index.blocks.write": True})
        es.indices.delete(index=target, ignore_unavailable=True)  # a half-done earlier attempt
        es.indices.create(index=target)
        # The template gave it the read alias: hide it until it holds everything, or searches double.
        es.indices.update_aliases(actions=[{"remove": {"index": target, "alias": names.alias}}])
        copied = _copy(es, source, target)
        es.indices.refresh(index=[source, target])
        before = int(es.count(index=source)["count"])
        after = int(es.count(index=target)["count"])
        if before != after:
            raise ElasticsearchError(f"migrating {source}: {before} mentions, {after} copied into {target}")
        es.indices.update_aliases(
            actions=[
                {"add": {"index": target, "alias": names.alias}},
                {"remove_index": {"index": source}},
                {"add": {"index": target, "alias": base_name(source), "is_write_index": True}},
            ]
        )
    except (ApiError, TransportError, helpers.BulkIndexError) as exc:
        _undo(es, source, target)
        raise ElasticsearchError(f"cannot migrate {source} to {target}: {exc}") from exc
    except ElasticsearchError:
        _undo(es, source, target)
        raise
    logger.warning("migrated %s mentions from %s to %s", copied, source, target)
    return target


def _copy(es: Elasticsearch, source: str, target: str) -> int:
    def actions() -> Any:
        for hit in helpers.scan(es, index=source, query={"query": {"match_all": {}}}, size=BATCH):
            yield {"_op_type": "index", "_index": target, "_id": hit["_id"], "_source": hit["_source"]}

    copied, _ = helpers.bulk(es, actions(), chunk_size=BATCH, raise_on_error=True)
    return int(copied)


def _undo(es: Elasticsearch, source: str, target: str) -> None:
    """Leave things as they were: the old index writable, the partial copy gone."""
    try:
        es.indices.put_settings(index=source, settings={"index.blocks.write": False})
    except (ApiError, TransportError) as exc:
        logger.error("could not make %s writable again after its migration failed: %s", source, exc)
    try:
        es.indices.delete(index=target, ignore_unavailable=True)
    except (ApiError, TransportError) as exc:
        logger.error("could not drop %s, the partial copy of %s: %s", target, source, exc)
