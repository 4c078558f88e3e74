"""The Starlette application: sessions, CSRF, login, roles, security headers; pages in ``views``.

Every page but ``/login`` (and the static files) needs a signed-in user. Sessions are signed
cookies (HttpOnly, SameSite=Strict, Secure unless serving plain HTTP on the loopback), renewed on
login. Every POST carries the session's CSRF token in a ``csrf`` form field; a missing or wrong
token is refused with 403 before anything is done.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode

from elasticsearch import Elasticsearch
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from core.config import LoadedConfig
from index.names import IndexNames
from veille.web.accounts import Accounts, User
from veille.web.audit import AuditLog

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
SESSION_HOURS = 12
Handler = Callable[[Request], Awaitable[Response]]


@dataclass
class Workspace:
    """What the pages share: config, the ES handle, accounts, the audit log and the clock."""

    loaded: LoadedConfig
    es: Elasticsearch
    names: IndexNames
    accounts: Accounts
    audit: AuditLog
    secret: str
    secure_cookies: bool = True
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    async def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Blocking calls (ES, SQLite, argon2) leave the event loop free for other requests."""
        return await run_in_threadpool(fn, *args, **kwargs)


def session_secret(data_dir: Path) -> str:
    """A random signing key kept in ``data_dir/web-secret`` (0600), created on first use."""
    path = data_dir / "web-secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="ascii")
    return path.read_text(encoding="ascii").strip()


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


async def check_csrf(request: Request) -> dict[str, str] | None:
    """The POSTed form when its CSRF token matches the session's, else None."""
    form = await request.form()
    sent, expected = str(form.get("csrf") or ""), str(request.session.get("csrf") or "")
    if not expected or not hmac.compare_digest(sent, expected):
        return None
    return {k: str(v) for k, v in form.items()}


def current_user(request: Request) -> User | None:
    data = request.session.get("user")
    if not isinstance(data, dict):
        return None
    ws: Workspace = request.app.state.ws
    # The role is re-read on every request so a demoted or removed user loses access at once.
    return ws.accounts.get(str(data.get("name")))


View = Callable[..., Awaitable[Response]]


def page(role: str = "viewer", *, post: bool = False) -> Callable[[View], Handler]:
    """Wrap a view: sign-in required, ``role`` or above, CSRF-checked form for POST views."""

    def wrap(view: View) -> Handler:
        async def handler(request: Request) -> Response:
            ws: Workspace = request.app.state.ws
            user = await ws.run(current_user, request)
            if user is None:
                if post:
                    return HTMLResponse("Session expirée : reconnectez-vous.", status_code=401)
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
            if not user.can(role):
                return HTMLResponse(f"Réservé au rôle {role} ou plus.", status_code=403)
            if post:
                form = await check_csrf(request)
                if form is None:
                    ws.audit.write(user.name, "csrf-refused", path=request.url.path)
                    return HTMLResponse("Jeton CSRF manquant ou invalide.", status_code=403)
                return await view(request, ws, user, form)
            return await view(request, ws, user)

        handler.__name__ = view.__name__
        return handler

    return wrap


class SecurityHeaders:
    """Pure ASGI middleware adding the headers every page should carry."""

    HEADERS: ClassVar[list[tuple[bytes, bytes]]] = [
        (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"cache-control", b"no-store"),
    ]

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *self.HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(ws: Workspace) -> Starlette:
    from veille.web import views

    routes = [
        Route("/login", views.login_form, methods=["GET"]),
        Route("/login", views.login, methods=["POST"]),
        Route("/logout", views.logout, methods=["POST"]),
        Route("/", views.home),
        Route("/inbox", views.inbox_page),
        Route("/mentions/{id}/open", views.open_original),
        Route("/mentions/{id}/{action}", views.mention_action, methods=["POST"]),
        Route("/search", views.search_page),
        Route("/search.csv", views.search_csv),
        Route("/search/save", views.save_search, methods=["POST"]),
        Route("/dashboard", views.dashboard_page),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=ws.secret,
            session_cookie="veille_session",
            max_age=SESSION_HOURS * 3600,
            same_site="strict",
            https_only=ws.secure_cookies,
        ),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.ws = ws
    return app
