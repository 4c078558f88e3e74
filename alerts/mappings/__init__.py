"""Elasticsearch mapping of the alerts index (state, history, digests sent)."""
