"""Core: what every other package builds on and that imports nothing of ours.

The config schema and its strict loader (``core.config``), the ``Mention`` model, the durable
spool between collection and processing, the SQLite store base, the text fold, the error tree
(``core.errors``) and logging set-up.
"""
