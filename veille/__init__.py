"""The application: the ``veille`` command line, the scheduler and its jobs, the local services
(Elasticsearch node, demo web) and the wiring from a loaded config to live components."""
