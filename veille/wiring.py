"""Wiring from a loaded config to live components: the ES client, index names, indexer."""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch import Elasticsearch

from core.config import LoadedConfig
from index.client import open_client
from index.indexer import Indexer
from index.names import IndexNames
from index.queries import MentionQueries
from index.templates import AnalyzerChoice, ensure_templates


@dataclass
class IndexHandle:
    es: Elasticsearch
    names: IndexNames
    analyzers: AnalyzerChoice | None = None
    bulk_chunk: int = 500  # elasticsearch.bulk_chunk

    def indexer(self, *, refresh: bool = False) -> Indexer:
        return Indexer(self.es, self.names, chunk_size=self.bulk_chunk, refresh=refresh)

    @property
    def queries(self) -> MentionQueries:
        return MentionQueries(self.es, self.names)

    def close(self) -> None:
        self.es.close()


def open_index(loaded: LoadedConfig, *, setup: bool = True) -> IndexHandle:
    """Connect (IndexUnavailable names the URL if down) and, with ``setup``, install templates."""
    es_config = loaded.config.elasticsearch
    es = open_client(es_config)
    handle = IndexHandle(es, IndexNames(es_config.index_prefix), bulk_chunk=es_config.bulk_chunk)
    if setup:
        handle.analyzers = ensure_templates(es, handle.names)
    return handle
