"""``veille kibana import`` against a local HTTP server standing in for Kibana's import endpoint.

The server checks what Kibana checks (method, path, overwrite, ``kbn-xsrf``, a multipart body
with a ``file`` part, the credentials) and answers like Kibana does, successes and failures.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from tests.kibana.kibana_ndjson import SHIPPED_CONFIG, SHIPPED_NDJSON, parse_ndjson
from veille.cli import cli

API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
USER, PASSWORD = "marketing", "Corr3ct-Horse-Battery"


class FakeKibana(BaseHTTPRequestHandler):
    """Kibana's ``/api/saved_objects/_import``, strict about the request like the real one."""

    received: list[dict[str, Any]]
    answer: tuple[int, dict[str, Any]] | None = None

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if url.path not in {"/api/saved_objects/_import", "/s/marketing/api/saved_objects/_import"}:
            return self._reply(404, {"statusCode": 404, "error": "Not Found", "message": "Not Found"})
        if self.headers.get("kbn-xsrf") != "true":
            return self._reply(400, {"statusCode": 400, "message": "Request must contain a kbn-xsrf header."})
        if self.headers.get("Authorization") not in {
            f"ApiKey {API_KEY}",
            "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(),
        }:
            return self._reply(401, {"statusCode": 401, "error": "Unauthorized", "message": "Unauthorized"})
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body
        )
        files = [
            part
            for part in message.iter_parts()
            if part.get_param("name", header="content-disposition") == "file"
        ]
        if len(files) != 1 or not files[0].get_filename("").endswith(".ndjson"):
            return self._reply(415, {"statusCode": 415, "message": "Unsupported Media Type"})
        objects = parse_ndjson(files[0].get_content())
        self.received.append(
            {
                "path": url.path,
                "query": parse_qs(url.query),
                "objects": objects,
                "auth": self.headers["Authorization"],
            }
        )
        if self.answer is not None:
            return self._reply(*self.answer)
        results = [{"type": obj["type"], "id": obj["id"], "overwrite": True} for obj in objects]
        return self._reply(200, {"success": True, "successCount": len(objects), "successResults": results})

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def kibana() -> Iterator[tuple[str, type[FakeKibana]]]:
    handler = type("Handler", (FakeKibana,), {"received": [], "answer": None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()
    thread.join()


def run(*args: str, **env: str | None):
    base_env = {"KIBANA_API_KEY": None, "KIBANA_USERNAME": None, "KIBANA_PASSWORD": None, "KIBANA_URL": None}
    return CliRunner().invoke(
        cli, ["--config", str(SHIPPED_CONFIG), "-v", "kibana", "import", *args], env=base_env | env
    )


def test_import_posts_the_saved_objects_with_overwrite_xsrf_and_the_api_key(kibana):
    url, handler = kibana
    result = run("--url", url + "/", KIBANA_API_KEY=API_KEY)
    assert result.exit_code == 0, result.output
    assert "imported 11 saved object(s) into Kibana" in result.output
    (request,) = handler.received
    assert request["path"] == "/api/saved_objects/_import"
    assert request["query"] == {"overwrite": ["true"]}
    assert request["auth"] == f"ApiKey {API_KEY}"
    assert request["objects"] == parse_ndjson(SHIPPED_NDJSON.read_text(encoding="utf-8"))
    assert API_KEY not in result.output


def test_import_with_user_and_password_into_a_space(kibana):
    url, handler = kibana
    result = run("--url", url, "--space", "marketing", KIBANA_USERNAME=USER, KIBANA_PASSWORD=PASSWORD)
    assert result.exit_code == 0, result.output
    assert handler.received[0]["path"] == "/s/marketing/api/saved_objects/_import"


def test_refused_credentials_give_a_clear_error_without_the_secret(kibana):
    url, handler = kibana
    result = run("--url", url, KIBANA_USERNAME=USER, KIBANA_PASSWORD="wrong-password-123")
    assert result.exit_code == 1
    assert f"Kibana at {url} refused the credentials (HTTP 401: Unauthorized)" in result.output
    assert "KIBANA_API_KEY" in result.output
    assert "wrong-password-123" not in result.output
    assert handler.received == []


def test_objects_rejected_by_kibana_are_named(kibana):
    url, handler = kibana
    handler.answer = (
        200,
        {
            "success": False,
            "successCount": 8,
            "errors": [
                {"type": "dashboard", "id": "veille-overview", "error": {"type": "missing_references"}}
            ],
        },
    )
    result = run("--url", url, KIBANA_API_KEY=API_KEY)
    assert result.exit_code == 1
    assert "rejected some objects: dashboard/veille-overview: missing_references" in result.output


def test_wrong_url_unreachable_kibana_and_credentials_in_the_url(kibana):
    url, _ = kibana
    not_kibana = run("--url", url + "/app", KIBANA_API_KEY=API_KEY)
    assert not_kibana.exit_code == 1
    assert f"no saved-objects import API at {url}/app (HTTP 404)" in not_kibana.output
    down = run("--url", "http://127.0.0.1:9", KIBANA_API_KEY=API_KEY)
    assert down.exit_code == 1
    assert "cannot reach Kibana at http://127.0.0.1:9" in down.output
    inline = run("--url", url.replace("http://", f"http://{USER}:{PASSWORD}@"))
    assert inline.exit_code == 1
    assert "remove the credentials from the URL" in inline.output
    assert PASSWORD not in inline.output
    missing = run()
    assert missing.exit_code == 2
    assert "--url" in missing.output
