"""The one Elasticsearch boundary: every client is opened here and transport errors translated here.

Connect to the local node by default, or to the cluster named by ``ES_URL``. Credentials come from
the environment only (``ES_API_KEY``, or ``ES_USERNAME``/``ES_PASSWORD``, and ``ES_CA_CERTS`` for a
private CA); the names of those variables can be changed in config. Like httpx's
``map_httpcore_exceptions``, ``translate_errors`` turns the client's transport failures (and a
refused login) into ``IndexUnavailable`` naming the URL, never the credentials; other API errors
(404, 409...) pass through for the caller, who knows what they mean.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
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
    credentials from the environment, else the local node's own (``index.local_credentials``).

    Nothing is sent yet: ``open_client`` also checks the cluster answers.
    """
    target = url or resolve_target(config).url
    api_key = read_secret(config.api_key_env, key="elasticsearch.api_key_env")
    username = read_secret(config.username_env, key="elasticsearch.username_env")
    password = read_secret(config.password_env, key="elasticsearch.password_env")
    ca_certs = read_secret(config.ca_certs_env, key="elasticsearch.ca_certs_env")
    options: dict[str, Any] = {
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


def open_client(config: ElasticsearchConfig) -> Elasticsearch:
    """A connected client, or ``IndexUnavailable`` naming the URL (the client is then closed)."""
    es = connect(config)
    try:
        ensure_available(es)
    except BaseException:
        es.close()
        raise
    return es


@contextmanager
def client_for(config: ElasticsearchConfig, es: Elasticsearch | None = None) -> Iterator[Elasticsearch]:
    """``es`` when the caller already holds one (left open), else a new client closed on exit.

    The scheduler passes its long-lived client down; one-off commands let this open their own.
    """
    if es is not None:
        yield es
        return
    opened = open_client(config)
    try:
        yield opened
    finally:
        opened.close()


def client_url(es: Elasticsearch) -> str:
    """The first node URL of a client, credentials removed."""
    node = es.transport.node_pool.all()[0].config
    return safe_url(f"{node.scheme}://{node.host}:{node.port}{node.path_prefix}")


@contextmanager
def translate_errors(es: Elasticsearch, what: str = "") -> Iterator[None]:
    """Run a block of client calls; a transport failure or a refused login becomes ``IndexUnavailable``.

    ``what`` (e.g. "read alert state") prefixes the reason so the user knows which step failed.
    """
    prefix = f"{what}: " if what else ""
    try:
        yield
    except elastic_transport.TransportError as exc:
        raise IndexUnavailable(client_url(es), prefix + reason(exc)) from exc
    except ApiError as exc:
        if exc.meta.status not in (401, 403):
            raise
        hint = " (credentials refused: check ES_API_KEY, or ES_USERNAME and ES_PASSWORD)"
        raise IndexUnavailable(
            client_url(es), f"{prefix}HTTP {exc.meta.status}: {exc.message}{hint}"
        ) from exc


def ensure_available(es: Elasticsearch) -> dict[str, Any]:
    """Cluster health, or ``IndexUnavailable`` naming the URL when the cluster cannot be reached."""
    with translate_errors(es):
        health = es.cluster.health(timeout="5s")
    return dict(health)


# user:password@ in any URL a library put in its message.
_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")
MAX_REASON = 300


def reason(exc: BaseException) -> str:
    """One readable line for a transport error: the cause in words, credentials removed, whole words."""
    text = str(getattr(exc, "message", "") or exc)
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "connection refused (is it running? `veille es start` starts the local node)"
    line = _USERINFO.sub("", text.splitlines()[0]) if text else type(exc).__name__
    if len(line) > MAX_REASON:  # cut between words, and say so
        line = line[:MAX_REASON].rsplit(" ", 1)[0] + " …"
    return line
