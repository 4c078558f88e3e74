"""Keep spaCy's memory flat over a long run: each batch is parsed inside a memory zone.

Every token spaCy has never seen (an order number, a handle, a link, a typo) adds a string and a
lexeme to the pipeline's vocabulary, and nothing ever removes them: a stream of mentions grew the
process by kilobytes per mention, without bound. Inside ``Language.memory_zone`` (spaCy >= 3.8)
those are transient and freed when the zone closes, while what the pipelines were built with
(model vocabulary, entity-ruler patterns, labels) stays.

Rule for callers: nothing spaCy-owned (``Doc``, ``Span``, ``Token``, a hash of a transient string)
may outlive the zone; Python strings and numbers read from a doc inside it are plain copies and may.
``Analyzer.analyze`` returns only those.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from enrich.models import Pipelines


@contextmanager
def transient_vocab(pipelines: Pipelines) -> Iterator[None]:
    """Both pipelines' new strings and lexemes are freed when the block ends (zones do not nest:
    a block already inside one is left as it is)."""
    with ExitStack() as stack:
        seen: set[int] = set()
        for nlp in (pipelines.fr, pipelines.en):
            if id(nlp.vocab) in seen or getattr(nlp.vocab, "in_memory_zone", False):
                continue
            seen.add(id(nlp.vocab))
            stack.enter_context(nlp.memory_zone())
        yield
