"""Kibana saved objects for marketing: a data view, saved searches and a dashboard, built from config.

``build_saved_objects(config)`` returns them; ``to_ndjson`` writes the file Kibana's import API
takes; ``import_saved_objects`` posts it. The shipped export is ``kibana/veille.ndjson``.
"""

from veille.kibana.importer import KibanaImportError, import_saved_objects
from veille.kibana.objects import build_saved_objects, to_ndjson

__all__ = ["KibanaImportError", "build_saved_objects", "import_saved_objects", "to_ndjson"]
