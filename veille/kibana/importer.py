"""Post saved objects to Kibana's import API (``POST /api/saved_objects/_import?overwrite=true``).

Credentials come from the environment only: ``KIBANA_API_KEY`` (an Elasticsearch API key, sent
as ``Authorization: ApiKey``) or ``KIBANA_USERNAME`` + ``KIBANA_PASSWORD``, and ``KIBANA_CA_CERTS``
for a private CA. Failures raise ``KibanaImportError`` naming the URL, never a credential.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from urllib3 import encode_multipart_formdata

from core.errors import VeilleError
from index.client import safe_url

logger = logging.getLogger(__name__)

ENV_API_KEY, ENV_USERNAME, ENV_PASSWORD, ENV_CA_CERTS = (
    "KIBANA_API_KEY",
    "KIBANA_USERNAME",
    "KIBANA_PASSWORD",
    "KIBANA_CA_CERTS",
)


class KibanaImportError(VeilleError):
    """Kibana could not be reached, refused the request, or rejected some objects."""


@dataclass(frozen=True)
class KibanaAuth:
    """What to authenticate with; ``header()`` is None when Kibana runs without security."""

    api_key: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> KibanaAuth:
        env = os.environ if environ is None else environ
        return cls(env.get(ENV_API_KEY) or None, env.get(ENV_USERNAME) or None, env.get(ENV_PASSWORD) or None)

    def header(self) -> str | None:
        if self.api_key:
            return f"ApiKey {self.api_key}"
        if self.username and self.password:
            token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            return f"Basic {token}"
        return None


@dataclass(frozen=True)
class ImportResult:
    success_count: int
    objects: list[dict[str, Any]]


def import_url(base_url: str, space: str | None = None) -> str:
    """The import endpoint of ``base_url`` (in ``space`` when given), overwriting existing objects."""
    base = base_url.rstrip("/")
    if space:
        base += f"/s/{quote(space, safe='')}"
    return f"{base}/api/saved_objects/_import?overwrite=true"


def multipart_file(ndjson: str, filename: str = "veille.ndjson") -> tuple[bytes, str]:
    """The form-data body with one ``file`` part, and its content type."""
    return encode_multipart_formdata({"file": (filename, ndjson.encode("utf-8"), "application/ndjson")})


def import_saved_objects(
    base_url: str,
    ndjson: str,
    auth: KibanaAuth | None = None,
    *,
    space: str | None = None,
    ca_certs: str | None = None,
    timeout: float = 60.0,
) -> ImportResult:
    """Post ``ndjson``; raise ``KibanaImportError`` unless Kibana imported every object."""
    shown = safe_url(base_url.rstrip("/"))
    if urlsplit(base_url).password is not None:
        raise KibanaImportError(
            f"{shown}: remove the credentials from the URL; set {ENV_API_KEY} or "
            f"{ENV_USERNAME}/{ENV_PASSWORD} in the environment instead"
        )
    auth = auth if auth is not None else KibanaAuth.from_env()
    ca_certs = ca_certs or os.environ.get(ENV_CA_CERTS) or None
    body, content_type = multipart_file(ndjson)
    request = urllib.request.Request(import_url(base_url, space), data=body, method="POST")
    request.add_header("kbn-xsrf", "true")
    request.add_header("Content-Type", content_type)
    if header := auth.header():
        request.add_header("Authorization", header)
    context = ssl.create_default_context(cafile=ca_certs) if ca_certs else None
    logger.info("importing saved objects into Kibana at %s", shown)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            payload = _json(response.read())
    except urllib.error.HTTPError as exc:
        raise KibanaImportError(_http_failure(shown, exc)) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise KibanaImportError(f"cannot reach Kibana at {shown}: {reason}") from exc
    if not payload.get("success"):
        raise KibanaImportError(f"Kibana at {shown} rejected some objects: {_describe_errors(payload)}")
    return ImportResult(int(payload.get("successCount", 0)), list(payload.get("successResults", [])))


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _http_failure(shown: str, exc: urllib.error.HTTPError) -> str:
    message = str(_json(exc.read()).get("message") or exc.reason)[:300]
    if exc.code == 401:
        return (
            f"Kibana at {shown} refused the credentials (HTTP 401: {message}); "
            f"set {ENV_API_KEY}, or {ENV_USERNAME} and {ENV_PASSWORD}"
        )
    if exc.code == 403:
        return (
            f"Kibana at {shown} denied the import (HTTP 403: {message}); the user needs saved-objects rights"
        )
    if exc.code == 404:
        return f"no saved-objects import API at {shown} (HTTP 404): is this Kibana's URL (and space)?"
    return f"Kibana at {shown} answered HTTP {exc.code}: {message}"


def _describe_errors(payload: dict[str, Any]) -> str:
    errors = payload.get("errors") or []
    parts = [
        f"{err.get('type')}/{err.get('id')}: {(err.get('error') or {}).get('type', 'error')}"
        for err in errors[:5]
    ]
    more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
    return ("; ".join(parts) or "no detail given") + more
