"""What one poll or crawl of one source did: the per-source line of ``veille poll`` / ``veille crawl``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from core.errors import SourceError


@dataclass
class SourceSummary:
    """Counters of one source for one run.

    ``fetched``: documents downloaded (pages or feed bodies; a 304 counts in ``not_modified``);
    ``items``: posts, comments, reviews or entries found in them; ``new``: items not seen before
    or edited since; ``matched``: new items naming a brand, written to the spool; ``errors``:
    one line per failure, each naming the source and the URL.
    """

    source: str
    kind: str
    fetched: int = 0
    not_modified: int = 0
    items: int = 0
    new: int = 0
    matched: int = 0
    skipped: int = 0  # requests not made on purpose (robots.txt, off-site, over max_pages)
    # No silent zero: pages where no layer found a post, posts without a date / an author.
    empty_pages: int = 0
    undated: int = 0
    anonymous: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    spool_failed: bool = False  # some matched items could not be spooled: the run did not complete

    def error(self, url: str, reason: str) -> SourceError:
        """Record a failure of this source at ``url``; returns it as a ``SourceError``."""
        exc = SourceError(self.source, url, reason)
        self.errors.append(str(exc))
        return exc

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceSummary:
        return cls(**data)
