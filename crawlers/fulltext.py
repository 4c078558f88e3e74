"""Full text of an article page with trafilatura (for feeds whose entries carry only a teaser)."""

from __future__ import annotations

import logging
import warnings

from crawlers.confine import Scope
from crawlers.http import Fetcher, FetchError

logger = logging.getLogger(__name__)


def extract_main_text(html: str | bytes, url: str) -> str | None:
    """The article's main text, boilerplate (menus, footers, comments) removed; None if none found."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # trafilatura's dependencies (htmldate, courlan) are noisy
        return trafilatura.extract(html, url=url, include_comments=False, include_tables=False)


def fetch_full_text(fetcher: Fetcher, url: str, scope: Scope | None = None) -> tuple[str | None, str | None]:
    """(text, None) on success, (None, reason) on failure: one bad page never stops a poll.
    ``scope`` confines the download (and its redirects) to the feed's own site."""
    try:
        page = fetcher.get(url, scope=scope)
    except FetchError as exc:
        return None, exc.reason
    try:
        return extract_main_text(page.body, url), None
    except Exception as exc:  # trafilatura raises a wide range of parser errors on odd pages
        logger.debug("full text of %s: %s", url, exc, exc_info=True)
        return None, f"text extraction failed: {exc}"
