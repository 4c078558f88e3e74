"""Elasticsearch: the one client boundary (``index.client``), index names, templates and mappings,
bulk indexing (``index.indexer``) and the read queries and aggregations (``index.queries``)."""
