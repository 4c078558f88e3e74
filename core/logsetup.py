"""Logging set-up: one format for every command, and secrets masked before anything is written."""

from __future__ import annotations

import logging
import os
import re

# Environment variables whose values must never reach a log line or an error message.
SECRET_ENV_PATTERN = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY)", re.IGNORECASE)


def secret_values() -> list[str]:
    """Current values of secret-looking environment variables (at least 4 characters long)."""
    return [v for k, v in os.environ.items() if SECRET_ENV_PATTERN.search(k) and len(v) >= 4]


# ``scheme://user:password@host``: the password part, whatever its origin (a URL from ES_URL, a
# library's error message), even when no environment variable holds it.
URL_PASSWORD = re.compile(r"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+):[^/\s@]+@")


def redact(text: str) -> str:
    """Replace every known secret value, and any password inside a URL, in ``text`` by ``***``."""
    for value in secret_values():
        text = text.replace(value, "***")
    return URL_PASSWORD.sub(r"\1:***@", text)


class RedactingFilter(logging.Filter):
    """Masks secrets in the formatted message and in the traceback of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # An exception's text can quote a URL or header; the formatter reuses exc_text as is.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def setup_logging(level: int = logging.WARNING) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(max(level, logging.DEBUG))
    for noisy in ("urllib3", "scrapy", "twisted", "filelock"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    # The ES transport logs every failed attempt with a traceback; Veille reports the failure
    # itself, naming the URL, so those only show with -vv.
    logging.getLogger("elastic_transport").setLevel(
        logging.DEBUG if level <= logging.DEBUG else logging.ERROR
    )
