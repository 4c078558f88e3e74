"""Brand matching at ingest: which configured brands a text is about, and the snippet around it.

Each brand's query is compiled once into regular expressions over folded text (lower case, no
accents), with word boundaries: "Free" does not match "freedom", "Velora" does not match
"Velorama", "Vélora" matches "VELORA". A text is about a brand when it names it (name, alias,
phrase or one of ``any_of``), contains every ``all_of`` term and none of the ``none_of`` terms.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.config.brands import Brand
from core.mention import Mention
from core.text import fold, fold_with_map
from crawlers.text import snippet_around

logger = logging.getLogger(__name__)

# Between the words of a multi-word term: spaces, or a hyphen ("Velora-Fibre", "Cafés Lantier").
_JOINER = r"[\s\-]+"


def term_pattern(term: str) -> str:
    """Regex source matching ``term`` in folded text, on word boundaries."""
    words = fold(term).split()
    if not words:
        raise ValueError("empty brand term")
    body = _JOINER.join(re.escape(word) for word in words)
    return rf"(?<!\w){body}(?!\w)"


def _alternation(terms: Iterable[str]) -> re.Pattern[str] | None:
    # Longest first, so "VeloBox Pro" wins over "VeloBox" when both could start at one place.
    unique = sorted({t for t in terms if t.strip()}, key=lambda t: (-len(t), t))
    if not unique:
        return None
    return re.compile("|".join(term_pattern(t) for t in unique))


@dataclass(frozen=True)
class BrandHit:
    """Where a brand was found: ``start``/``end`` index the original (unfolded) text."""

    brand: str
    start: int
    end: int
    in_title: bool = False


@dataclass(frozen=True)
class CompiledBrand:
    name: str
    naming: re.Pattern[str]
    required: tuple[re.Pattern[str], ...]
    excluded: re.Pattern[str] | None

    def search(self, folded: str) -> re.Match[str] | None:
        """First naming match in ``folded`` text when the whole query holds, else None."""
        if self.excluded is not None and self.excluded.search(folded):
            return None
        if any(not pattern.search(folded) for pattern in self.required):
            return None
        return self.naming.search(folded)


def compile_brand(brand: Brand) -> CompiledBrand:
    naming = _alternation([*brand.names, *brand.query.phrases, *brand.query.any_of])
    assert naming is not None  # a brand always has a name
    return CompiledBrand(
        name=brand.name,
        naming=naming,
        required=tuple(re.compile(term_pattern(t)) for t in brand.query.all_of),
        excluded=_alternation(brand.query.none_of),
    )


class BrandMatcher:
    """All configured brands, compiled once; cheap to call for every post."""

    def __init__(self, brands: Sequence[Brand]) -> None:
        self.brands = [compile_brand(brand) for brand in brands]

    def find(self, text: str, title: str | None = None) -> list[BrandHit]:
        """One hit per matching brand, in configuration order.

        The query is evaluated on title and text together (a reply in a thread titled "Panne
        VeloBox Velora" is about Velora); the hit points into ``text`` when the brand is named
        there, else into ``title``.
        """
        folded_text, origin = fold_with_map(text)
        folded_title = fold(title) if title else ""
        whole = f"{folded_title}\n{folded_text}" if folded_title else folded_text
        hits: list[BrandHit] = []
        for brand in self.brands:
            if brand.search(whole) is None:
                continue
            in_text = brand.naming.search(folded_text)
            if in_text is not None:
                start = origin[in_text.start()] if origin else 0
                end = origin[in_text.end() - 1] + 1 if origin else 0
                hits.append(BrandHit(brand.name, start, end))
            else:
                hits.append(BrandHit(brand.name, 0, 0, in_title=True))
        return hits

    def apply(self, mention: Mention) -> bool:
        """Set ``mention.brands`` and ``mention.snippet``; True when at least one brand matched."""
        hits = self.find(mention.text, mention.title)
        if not hits:
            return False
        mention.brands = [hit.brand for hit in hits]
        in_text = [hit for hit in hits if not hit.in_title]
        if in_text:
            first = min(in_text, key=lambda hit: hit.start)
            mention.snippet = snippet_around(mention.text, first.start, first.end)
        else:
            mention.snippet = snippet_around(mention.text, 0, 0, width=240)
        return True
