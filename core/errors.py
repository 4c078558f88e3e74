"""Veille's exception hierarchy: every failure a user can meet, translated at the boundary.

    VeilleError
    ├── ConfigError                 config file missing, unreadable or invalid (exit code 2)
    │   └── ProfileError            a site's selectors are invalid (crawlers/spiders/profiles.py)
    ├── UnknownSource               ``--source NAME`` names no source (exit 2; crawlers/sources.py)
    ├── SpoolError                  the local durable queue cannot be opened or written
    ├── StateError                  the collection state file cannot be used (crawlers/state.py)
    ├── EnrichStateError            the enrich state database cannot be used (enrich/pipeline.py)
    ├── ElasticsearchError          anything Elasticsearch-side
    │   ├── IndexUnavailable        the cluster cannot be reached (names the URL)
    │   └── BulkRejected            some documents were refused (ids and reasons kept)
    ├── ESNodeError                 the local Elasticsearch node cannot be set up or started
    ├── SourceError                 one feed or site failed (names the source and URL)
    ├── FetchError                  one download failed (names the URL and why)
    ├── NotifyError                 a notification could not be delivered (it stays queued)
    │   └── SendFailed              the SMTP server refused or failed (alerts/mail/queue.py)
    └── KibanaImportError           Kibana refused the saved objects (veille/kibana/importer.py)

The classes of one package only live in that package (the path is given); the others here.
Third-party exceptions are caught where they enter (elasticsearch, smtplib, sqlite3, yaml, urllib3)
and re-raised as one of these with ``raise ... from exc`` so the cause stays in the traceback.
"""

from __future__ import annotations


class VeilleError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with when this escapes a command."""

    exit_code = 1


class ConfigError(VeilleError):
    """The configuration is invalid; the message names the file, key path, expectation and value."""

    exit_code = 2


class SpoolError(VeilleError):
    """The spool database cannot be opened or written."""


class ElasticsearchError(VeilleError):
    """Base for Elasticsearch-side failures."""


class IndexUnavailable(ElasticsearchError):
    """Elasticsearch cannot be reached; the message names the URL (never the credentials)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"Elasticsearch at {url} is unavailable: {reason}")
        self.url = url
        self.reason = reason


class BulkRejected(ElasticsearchError):
    """Some documents of a bulk request were refused; ``failures`` maps id -> reason."""

    def __init__(self, failures: dict[str, str]) -> None:
        preview = "; ".join(f"{doc_id}: {reason}" for doc_id, reason in list(failures.items())[:3])
        more = f" (+{len(failures) - 3} more)" if len(failures) > 3 else ""
        super().__init__(f"{len(failures)} document(s) rejected: {preview}{more}")
        self.failures = failures


class ESNodeError(VeilleError):
    """The local Elasticsearch node could not be downloaded, set up or started."""


class SourceError(VeilleError):
    """One source (feed, forum, blog, review site) failed; names the source and the URL."""

    def __init__(self, source: str, url: str, reason: str) -> None:
        super().__init__(f"source {source!r}: {url}: {reason}")
        self.source = source
        self.url = url
        self.reason = reason


class FetchError(VeilleError):
    """A download failed; ``reason`` says why in a few words (the caller names the source)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class NotifyError(VeilleError):
    """A notification could not be delivered now; it stays queued for the next attempt."""
