"""The Elasticsearch boundary: transport failures become IndexUnavailable, in words, without secrets."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch

from core.config.elasticsearch import ElasticsearchConfig
from core.errors import IndexUnavailable
from index.client import client_for, open_client, reason, translate_errors
from tests.support import free_port


def test_refused_connection_is_named_and_hides_the_password() -> None:
    port = free_port()  # nothing listens there
    es = Elasticsearch(f"http://veille:s3cret-pw@127.0.0.1:{port}", max_retries=0)
    with pytest.raises(IndexUnavailable) as caught, translate_errors(es, "read alert state"):
        es.search(index="anything")
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message
    assert "read alert state: connection refused" in message
    assert "s3cret" not in message


def test_open_client_fails_with_the_url_when_nothing_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.delenv("ES_URL", raising=False)
    config = ElasticsearchConfig.model_validate({"url": f"http://127.0.0.1:{port}"})
    with pytest.raises(IndexUnavailable, match=f"127.0.0.1:{port}.*connection refused"):
        open_client(config)
    with pytest.raises(IndexUnavailable), client_for(config):
        pass


def test_a_borrowed_client_is_left_open() -> None:
    config = ElasticsearchConfig.model_validate({})
    es = Elasticsearch("http://127.0.0.1:9", max_retries=0)
    with client_for(config, es) as got:
        assert got is es  # no connection attempted, nothing closed


def test_long_reasons_are_cut_between_words_and_lose_credentials() -> None:
    exc = RuntimeError("failed at https://user:pw@host:9200/x " + "word " * 100)
    text = reason(exc)
    assert "user:pw" not in text and "https://host:9200/x" in text
    assert text.endswith(" …") and text[:-2].endswith("word")
