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

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

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


class TokenizerCache:
    """Fills spaCy's tokenizer cache with the words a stream repeats, outside the memory zone.

    Inside a zone spaCy's tokenizer caches nothing (a cached entry points at lexemes the zone may
    free), so every word of every text went through prefix/suffix/infix splitting again: about a
    fifth of the enrich stage's time. After each batch, out of the zone, the words seen at least
    twice in it are tokenized once: their lexemes become permanent and the tokenizer caches them.
    Bounded: at most the tokenizer's own cache size (10,000 chunks by default) over the process's
    life, after which it does nothing; the words' own strings are what it keeps.
    """

    def __init__(self, nlp: Language, budget: int | None = None) -> None:
        self.nlp = nlp
        self.budget = budget if budget is not None else int(getattr(nlp.tokenizer, "max_cache_size", 10_000))
        self.cached: set[str] = set()

    @property
    def full(self) -> bool:
        return len(self.cached) >= self.budget

    def learn(self, texts: Iterable[str]) -> int:
        """Cache the chunks that ``texts`` repeat; returns how many were added. Does nothing inside
        a memory zone (nothing would be cached) or once the budget is spent."""
        if self.full or getattr(self.nlp.vocab, "in_memory_zone", False):
            return 0
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(text.split())
        room = self.budget - len(self.cached)
        chunks = [c for c, n in counts.most_common() if n > 1 and c not in self.cached][:room]
        if chunks:
            self.nlp.tokenizer(" ".join(chunks))
            self.cached.update(chunks)
        return len(chunks)
