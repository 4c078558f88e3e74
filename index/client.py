"""Connect to Elasticsearch: the local node by default, or the cluster named by ``ES_URL``.

Credentials come from the environment only (``ES_API_KEY``, or ``ES_USERNAME``/``ES_PASSWORD``,
and ``ES_CA_CERTS`` for a private CA); the names of those variables can be changed in config.
Connection failures become ``IndexUnavailable`` naming the URL, never the credentials.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import elastic_transport
from elasticsearch import ApiError, Elasticsearch

from core.config.elasticsearch import ElasticsearchConfig
from core.config.secrets import read_secret
from core.errors import IndexUnavailable
from index import local_credentials

logger = logging.getLogger(__name__)

ENV_URL = "ES_URL"


@dataclass(frozen=True)
class Target:
    """Where to connect and whether it is the node Veille manages itself."""

    url: str
    local: bool


def resolve_target(config: ElasticsearchConfig) -> Target:
    """``$ES_URL`` wins, then ``elasticsearch.url``, else the local node on ``local.port``.

    Either may list several nodes of one cluster, comma-separated: the client spreads requests
    over them and retries on another when one is down.
    """
    url = os.environ.get(ENV_URL) or config.url
    if url:
        return Target(
            ",".join(part.strip().rstrip("/") for part in url.split(",") if part.strip()), local=False
        )
    return Target(f"http://127.0.0.1:{config.local.port}", local=True)


def safe_url(url: str) -> str:
    """``url`` (or comma-separated URLs) without any user:password part, for messages and logs."""
    if "," in url:
        return ",".join(safe_url(part.strip()) for part in url.split(","))
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def connect(config: ElasticsearchConfig, url: str | None = None) -> Elasticsearch:
    """A client for ``url`` (default: ``resolve_target``; several comma-separated URLs allowed),
    credentials from the environment, else the local node's own (``index.local_credentials``)."""
    target = url or resolve_target(config).url
    api_key = read_secret(config.api_key_env, key="elasticsearch.api_key_env")
    username = read_secret(config.username_env, key="elasticsearch.username_env")
    password = read_secret(config.password_env, key="elasticsearch.password_env")
    ca_certs = read_secret(config.ca_certs_env, key="elasticsearch.ca_certs_env")
    options: dict = {
        "request_timeout": config.request_timeout.total_seconds(),
        "retry_on_timeout": True,
        "max_retries": 2,
    }
    if api_key:
        options["api_key"] = api_key
    elif username and password:
        options["basic_auth"] = (username, password)
    else:
        # Veille's own node: the API key `veille es start` generated (index.local_credentials).
        options.update(local_credentials.client_options(target))
    if ca_certs:
        options["ca_certs"] = ca_certs
    hosts = [part.strip() for part in target.split(",") if part.strip()]
    return Elasticsearch(hosts, **options)


def client_url(es: Elasticsearch) -> str:
    """The first node URL of a client, credentials removed."""
    node = es.transport.node_pool.all()[0].config
    return safe_url(f"{node.scheme}://{node.host}:{node.port}{node.path_prefix}")


def ensure_available(es: Elasticsearch) -> dict:
    """Cluster health, or ``IndexUnavailable`` naming the URL when the cluster cannot be reached."""
    try:
        return dict(es.cluster.health(timeout="5s"))
    except elastic_transport.TransportError as exc:
        raise IndexUnavailable(client_url(es), _reason(exc)) from exc
    except ApiError as exc:
        hint = ""
        if exc.meta.status in (401, 403):
            hint = " (credentials refused: check ES_API_KEY, or ES_USERNAME and ES_PASSWORD)"
        raise IndexUnavailable(client_url(es), f"HTTP {exc.meta.status}: {exc.message}{hint}") from exc


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "message", "") or exc)
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "connection refused (is it running? `veille es start` starts the local node)"
    return text.splitlines()[0][:300] if text else type(exc).__name__
