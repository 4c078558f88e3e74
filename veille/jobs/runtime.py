"""What a long-running process builds once and every job reuses: config, ES handle, enricher.

spaCy models take seconds to load and the ES client keeps connections open, so ``veille run``
and ``veille demo`` create one ``Runtime`` and hand it to each job; nothing here is global.
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property

from core.config import LoadedConfig
from index.indexer import Indexer
from veille.wiring import IndexHandle, open_index

logger = logging.getLogger(__name__)


class Runtime:
    """Lazily opened shared resources for one process; thread-safe creation."""

    def __init__(self, loaded: LoadedConfig) -> None:
        self.loaded = loaded
        self._lock = threading.Lock()
        self._index: IndexHandle | None = None

    def index(self) -> IndexHandle:
        """The ES handle; reconnects after a failure (IndexUnavailable propagates meanwhile)."""
        with self._lock:
            if self._index is None:
                self._index = open_index(self.loaded)
            return self._index

    def indexer(self) -> Indexer:
        return self.index().indexer()

    @cached_property
    def enricher(self):  # noqa: ANN201 - enrich.pipeline.Enricher, imported lazily (spaCy is slow)
        from enrich.pipeline import Enricher

        logger.info("loading NLP models")
        return Enricher.from_config(self.loaded)

    def close(self) -> None:
        enricher = self.__dict__.pop("enricher", None)
        if enricher is not None:
            enricher.close()
        if self._index is not None:
            self._index.close()
            self._index = None
