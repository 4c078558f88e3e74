"""One local HTTP server for every demo site, threaded, stdlib only.

``DemoServer(port=0)`` binds a free port (tests); ``serve(port)`` runs in the foreground (the
``veille demo-sites`` command). Control endpoints under ``/_demo/`` change the world: ``POST
/_demo/burst?count=N&brand=Velora[&forum=1]`` publishes fresh complaints, ``POST
/_demo/edit?post=ID&text=...`` edits a forum post. Every request is recorded in ``requests``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from veille.demo_web import blog, forum, news, reviews, traps
from veille.demo_web.bench import BenchSites
from veille.demo_web.config import DEMO_PORT
from veille.demo_web.render import Reply, esc, html, not_found
from veille.demo_web.world import World

logger = logging.getLogger(__name__)

ROBOTS = """User-agent: *
Disallow: /forum/memberlist.php
Disallow: /forum/search.php
Disallow: /forum/ucp.php
Disallow: /forum/viewforum.php?f=6
Disallow: /blog/wp-admin/
Disallow: /_demo/

Sitemap: {base}/sitemap.xml
"""


class DemoServer:
    """The demo web on ``host:port`` (port 0 = any free port), run in a background thread."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        seed: int = 7,
        now: datetime | None = None,
        slow_delay: float = 6.0,
        large_size: int = 6_000_000,
    ) -> None:
        self.world = World(seed=seed, now=now)
        self.bench = BenchSites(self.world.started)
        self.options = {"slow_delay": slow_delay, "large_size": large_size}
        self.requests: deque[tuple[str, str, int]] = deque(maxlen=100_000)
        self._httpd = _QuietServer((host, port), _handler_class(self))
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        host = self._httpd.server_address[0]
        return f"http://{host.decode() if isinstance(host, bytes) else host}:{self.port}"

    def start(self) -> DemoServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="demo-web", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def hits(self, prefix: str) -> list[tuple[str, str, int]]:
        """Requests whose path (with query) starts with ``prefix``."""
        return [r for r in list(self.requests) if r[1].startswith(prefix)]

    # -- routing -------------------------------------------------------------------------------
    def route(self, method: str, target: str, base: str) -> Reply:
        parts = urlsplit(target)
        path, query = parts.path, dict(parse_qsl(parts.query))
        now = datetime.now(UTC)
        if method == "POST":
            return self._control(path, query)
        if path == "/":
            return html("Démo", _HOME, site="Veille")
        if path == "/robots.txt":
            return Reply(ROBOTS.format(base=base), content_type="text/plain; charset=utf-8")
        if path == "/sitemap.xml":
            return self._sitemap(base)
        section, _, rest = path.lstrip("/").partition("/")
        if section == "forum":
            return forum.handle(self.world, rest, query, base, now, self.options)
        if section == "blog":
            return blog.handle(self.world, rest, base)
        if section == "avis":
            return reviews.handle(self.world, rest, query, base, now)
        if section == "news":
            return news.handle(self.world, rest, base)
        if section == "traps":
            return self._trap(rest, query, base)
        if section == "bench":
            return self._bench(rest, query, base, now)
        return not_found("Veille")

    def _trap(self, name: str, query: dict[str, str], base: str) -> Reply:
        if name == "slow":
            return traps.slow(float(query.get("delay", self.options["slow_delay"])))
        if name in ("loop-a", "loop-b"):
            return traps.loop(f"{base}/traps/{'loop-b' if name == 'loop-a' else 'loop-a'}")
        if name == "offsite":
            return traps.offsite(f"{base.replace('127.0.0.1', 'localhost')}/news/rss.xml")
        if name == "gone":
            return traps.gone()
        if name == "error":
            return traps.error()
        if name == "large":
            return traps.large(int(query.get("size", self.options["large_size"])))
        if name == "cp1252.html":
            text = "<p>Velora m’a facturé 29,99 € : l’œil du SAV n’a rien vu, « inadmissible ».</p>"
            return traps.cp1252_page("Ancienne page", f"<h1>Archive</h1>{text}")
        if name == "cp1252.xml":
            return traps.cp1252_feed(base)
        if name == "malformed.xml":
            return forum.handle(self.world, "feed.php", {}, base, datetime.now(UTC), self.options)
        return not_found("Pièges")

    def _bench(self, rest: str, query: dict[str, str], base: str, now: datetime) -> Reply:
        kind, _, tail = rest.partition("/")
        if kind == "forum":
            size, _, page = tail.partition("/")
            if size.isdigit():
                return self.bench.handle_forum(int(size), page, query, now)
        if kind == "feeds" and tail.endswith(".xml") and tail[:-4].isdigit():
            return self.bench.handle_feed(int(tail[:-4]), base)
        return not_found("Banc d'essai")

    def _control(self, path: str, query: dict[str, str]) -> Reply:
        try:
            if path == "/_demo/burst":
                count = max(1, min(1000, int(query.get("count", "10"))))
                added = self.world.add_burst(count, query.get("brand", "Velora"), query.get("forum") == "1")
                return _json({"added": len(added), "ids": [item.id for item in added]})
            if path == "/_demo/edit":
                post = self.world.edit_post(int(query["post"]), query.get("text", "(message modifié)"))
                return _json({"edited": post.id})
        except (KeyError, ValueError) as exc:
            return _json({"error": f"bad request: {exc}"}, status=400)
        return _json({"error": "unknown control endpoint"}, status=404)

    def _sitemap(self, base: str) -> Reply:
        with self.world.lock:
            urls = [f"{base}/forum/index.php", f"{base}/blog/", f"{base}/avis/", f"{base}/news/"]
            urls += [f"{base}/blog/{a.slug}/" for a in self.world.articles]
            urls += [f"{base}/avis/produit/{p.slug}/" for p in self.world.products]
            urls += [f"{base}/news/article/{n.slug}.html" for n in self.world.news]
        body = "".join(f"<url><loc>{esc(u)}</loc></url>" for u in urls)
        xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
        return Reply(xml, content_type="application/xml; charset=utf-8")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        # Clients hanging up mid-answer (timeouts, size caps) are part of the tests, not news.
        logger.debug("demo web: connection from %s ended abruptly", client_address, exc_info=True)


_HOME = """<h1>Le web de démonstration de Veille</h1><ul>
<li><a href="/forum/index.php">Forum Conso Malin</a> (phpBB)</li>
<li><a href="/blog/">Le Blog Connecté</a> (WordPress)</li>
<li><a href="/avis/">AvisClients</a> (avis produits, schema.org)</li>
<li><a href="/news/">Le Courrier Numérique</a> (<a href="/news/rss.xml">RSS</a>, <a href="/news/atom.xml">Atom</a>)</li>
</ul>"""


def _json(data: dict, status: int = 200) -> Reply:
    return Reply(json.dumps(data), status=status, content_type="application/json")


def _not_modified(headers: dict[str, str], request_headers: Message) -> bool:
    get = request_headers.get
    etag, since = get("If-None-Match"), get("If-Modified-Since")
    if etag is not None and "ETag" in headers:
        return etag.strip() == headers["ETag"]
    if since is not None and "Last-Modified" in headers:
        try:
            return parsedate_to_datetime(headers["Last-Modified"]) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _handler_class(server: DemoServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "VeilleDemo/1.0"

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            base = f"http://{self.headers.get('Host') or f'127.0.0.1:{server.port}'}"
            try:
                reply = server.route(method, self.path, base)
            except Exception:  # a bug in a demo page must not kill the server thread
                logger.exception("demo web: error serving %s", self.path)
                reply = Reply(b"internal error", status=500, content_type="text/plain")
            if reply.status == 200 and _not_modified(reply.headers, self.headers):
                reply = Reply(b"", status=304, headers=reply.headers, content_type="")
            server.requests.append((method, self.path, reply.status))
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(0 if reply.status == 304 else len(reply.body)))
                self.end_headers()
                if reply.status != 304:
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout, size cap): exactly what some tests do

        def log_message(self, format: str, *args: object) -> None:
            logger.debug("demo web: " + format, *args)

    return Handler


def serve(port: int = DEMO_PORT, host: str = "127.0.0.1", *, seed: int = 7) -> None:
    """Run the demo web in the foreground until interrupted."""
    server = DemoServer(host, port, seed=seed)
    logger.info("demo web on %s", server.base_url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
