"""Real HTTP servers on 127.0.0.1 for the tests: one handler, many sites.

A test module says what its site serves with a function from the requested path (query included)
to a ``Reply``, or ``None`` for a 404; ``serve_replies`` runs a ``ThreadingHTTPServer`` on a free
loopback port for the block. ``Site`` is the fixed-routes variant the hostile-input tests use
(routes added on the fly, redirects, a log of the paths hit).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """One response. ``drip_seconds`` > 0 sends the body in 40 pieces spread over that time, so a
    client that only bounds each read never times out (a slow, not a dead, server)."""

    body: bytes
    content_type: str = HTML
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    drip_seconds: float = 0.0


Responder = Callable[[str], Reply | None]


@contextmanager
def serve_replies(respond: Responder) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:PORT``) of a server answering GETs with ``respond``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reply = respond(self.path)
            if reply is None:
                self.send_error(404)
                return
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.drip_seconds > 0:
                self._drip(reply.body, reply.drip_seconds)
            else:
                self.wfile.write(reply.body)

        def _drip(self, body: bytes, seconds: float) -> None:
            step = max(1, len(body) // 40)
            try:
                for start in range(0, len(body), step):
                    self.wfile.write(body[start : start + step])
                    self.wfile.flush()
                    time.sleep(seconds / 40)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, which is what a drip test expects of it

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Site:
    """``routes`` maps a path to (status, content type, body); a 3xx body is the Location."""

    routes: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add(self, path: str, body: bytes | str, ctype: str = HTML, status: int = 200) -> str:
        self.routes[path] = (status, ctype, body.encode() if isinstance(body, str) else body)
        return self.base + path

    def reply(self, path: str) -> Reply:
        self.hits.append(path)
        status, ctype, body = self.routes.get(path, (404, "text/plain", b"not found"))
        if 300 <= status < 400:
            return Reply(b"", ctype, status, headers=(("Location", body.decode()),))
        return Reply(body, ctype, status)


@contextmanager
def serve(site: Site | None = None) -> Iterator[Site]:
    """``site`` (or an empty one) served for the block; routes may be added while it runs."""
    site = site or Site()
    with serve_replies(site.reply) as base:
        site.port = int(base.rsplit(":", 1)[1])
        yield site
