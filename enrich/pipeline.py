"""The enrich stage: ``Enricher.enrich(mentions)`` adds language, sentiment (whole text and towards
each brand), entities, story id and author influence to a batch of mentions.

Build it once per process with ``Enricher.from_config(loaded)`` (models load once); its local
state (story signatures, author statistics) is the SQLite file ``<state_dir>/enrich.sqlite``,
committed after each batch. A batch gives the same results as its mentions one by one, in order.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from core.config import LoadedConfig
from core.config.schema import Config
from core.errors import VeilleError
from core.mention import Mention, SourceKind
from core.sqlite import SqliteStore
from enrich.analysis import Analyzer, TextItem
from enrich.influence import AuthorStats
from enrich.memory import TokenizerCache, transient_vocab
from enrich.stories import StoryStore

logger = logging.getLogger(__name__)

STATE_FILE = "enrich.sqlite"


class EnrichStateError(VeilleError):
    """The enrich state database cannot be opened or written (names the file)."""


class EnrichState(SqliteStore):
    """Story signatures and author statistics; one transaction per batch."""

    what = "enrich state database"
    error = EnrichStateError
    check_same_thread = False  # the scheduler runs the process job on pool threads, one at a time

    def __init__(self, path: Path, config: Config) -> None:
        super().__init__(path)
        try:  # each creates its tables (executescript commits on its own: no transaction here)
            self.stories = StoryStore(self._db, config.nlp.story_threshold, config.nlp.story_window)
            self.authors = AuthorStats(self._db)
        except sqlite3.Error as exc:
            self.close()
            raise EnrichStateError(f"cannot open {self.what} {self.path}: {exc}") from exc

    def batch(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction: all of a batch's state is stored, or none of it."""
        return self._transaction()


class Enricher:
    """Models and state of the enrich stage; ``enrich`` one batch at a time; ``close`` when done."""

    def __init__(self, config: Config, analyzer: Analyzer, state_path: Path) -> None:
        self.config = config
        self.analyzer = analyzer
        self.state_path = state_path
        self._source_language = {source.name: source.language for source in config.sources.all()}
        self.state = EnrichState(state_path, config)
        self.stories, self.authors = self.state.stories, self.state.authors
        pipelines = analyzer.pipelines
        self._token_caches = {
            lang: TokenizerCache(nlp) for lang, nlp in (("fr", pipelines.fr), ("en", pipelines.en))
        }

    @classmethod
    def from_config(cls, loaded: LoadedConfig) -> Enricher:
        config = loaded.config
        return cls(config, Analyzer.from_config(config), loaded.state_dir / STATE_FILE)

    def enrich(self, mentions: Sequence[Mention]) -> list[Mention]:
        """Enriched copies of ``mentions``, in the same order."""
        # New words' strings and lexemes are freed after the batch: memory stays flat (enrich/memory.py).
        items = [self._item(m) for m in mentions]
        with transient_vocab(self.analyzer.pipelines):
            analyses = self.analyzer.analyze(items)
        # Out of the zone: the tokenizer caches nothing inside one (enrich/memory.py).
        for lang, cache in self._token_caches.items():
            if not cache.full:
                cache.learn(
                    i.text for i, a in zip(items, analyses, strict=True) if (a.lang == "fr") == (lang == "fr")
                )
        out = []
        now = datetime.now(UTC)
        with self.state.batch():
            for mention, analysis in zip(mentions, analyses, strict=True):
                when = mention.published_at or mention.first_seen_at  # undated: when it was found
                story = self.stories.assign(mention.id, _story_text(mention), when, now)
                influence = self.authors.observe(mention, now)
                author = mention.author.model_copy(update={"influence": influence})
                out.append(
                    mention.model_copy(
                        update={
                            "lang": analysis.lang,
                            "sentiment": analysis.sentiment,
                            "brand_sentiments": analysis.brand_sentiments,
                            "entities": analysis.entities,
                            "story_id": story,
                            "author": author,
                        }
                    )
                )
            self.stories.prune(now)
            self.authors.prune(now)
        logger.debug("enriched %d mention(s)", len(out))
        return out

    def _item(self, mention: Mention) -> TextItem:
        brands = tuple(b for b in mention.brands if b in self.analyzer.catalog.label)
        return TextItem(
            text=_analysed_text(mention),
            # The page's lang attribute (often site-wide) or the source's config: a prior, not a verdict.
            lang_hint=(mention.lang or "")[:2].lower() or self._source_language.get(mention.source.name),
            brands=brands,
            rating=mention.rating,
        )

    def close(self) -> None:
        self.state.close()

    def __enter__(self) -> Enricher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _analysed_text(mention: Mention) -> str:
    # A forum thread's title belongs to its first post, not to every reply: leave it out there.
    title = (mention.title or "").strip()
    if not title or mention.source.kind == SourceKind.FORUM or mention.text.startswith(title):
        return mention.text
    return f"{title}.\n{mention.text}" if title[-1:].isalnum() else f"{title}\n{mention.text}"


def _story_text(mention: Mention) -> str:
    # The body only: replies share their thread's title, syndicated copies retitle the same body.
    return mention.text
