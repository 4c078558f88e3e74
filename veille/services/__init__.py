"""Local services Veille starts for itself: the Elasticsearch node (and, later, the demo web)."""
