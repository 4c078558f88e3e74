"""The workspace's pages and actions. Thin: parse the request, call index/ or alerts/, render.

No Elasticsearch query is built here: reads go through ``index.workspace``, ``index.dashboard``
and ``alerts.store``; writes through ``index.workflow``. Every action leaves an audit line.
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from alerts.store import EsAlertStore
from index import dashboard, workspace
from index.workflow import LABELS, Workflow
from veille.web.accounts import User
from veille.web.app import Workspace, check_csrf, csrf_token, page
from veille.web.filters import KINDS, PERIODS, SENTIMENTS, PageFilters
from veille.web.render import render

logger = logging.getLogger(__name__)

ACTIONS = ("assign", "tag", "handle", "reopen", "sentiment")


def _html(request: Request, name: str, ws: Workspace, user: User | None, **context: Any) -> HTMLResponse:
    config = ws.loaded.config
    body = render(
        name,
        config.tz,
        request=request,
        user=user,
        csrf=csrf_token(request),
        brands=[b.name for b in config.brands],
        labels=LABELS,
        sentiments=SENTIMENTS,
        kinds=KINDS,
        periods=list(PERIODS),
        sources=[s.name for s in _sources(ws)],
        **context,
    )
    return HTMLResponse(body, status_code=context.get("status", 200))


def _sources(ws: Workspace) -> list[Any]:
    sources = ws.loaded.config.sources
    return [s for group in ("feeds", "forums", "blogs", "reviews") for s in getattr(sources, group, [])]


def _filters(request: Request, ws: Workspace, **defaults: str) -> PageFilters:
    brands = [b.name for b in ws.loaded.config.brands]
    return PageFilters.parse(dict(request.query_params), brands=brands, **defaults)


def _safe_next(value: str | None) -> str:
    """Only a local path is followed after login (no open redirect to another site)."""
    if value and value.startswith("/") and not value.startswith("//") and not urlsplit(value).netloc:
        return value
    return "/inbox"


# -- login -------------------------------------------------------------------------------------
async def login_form(request: Request) -> Response:
    ws: Workspace = request.app.state.ws
    return _html(request, "login.html.j2", ws, None, next=_safe_next(request.query_params.get("next")))


async def login(request: Request) -> Response:
    ws: Workspace = request.app.state.ws
    form = await check_csrf(request)
    if form is None:
        ws.audit.write("-", "csrf-refused", path="/login")
        return HTMLResponse("Jeton CSRF manquant ou invalide.", status_code=403)
    name, password = form.get("username", "").strip(), form.get("password", "")
    user = await ws.run(ws.accounts.verify, name, password)
    if user is None:
        ws.audit.write(name or "-", "login-failed")
        return _html(request, "login.html.j2", ws, None, next=_safe_next(form.get("next")),
                     error="Identifiant ou mot de passe incorrect.", status=401)  # fmt: skip
    request.session.clear()  # a fresh session (and CSRF token) at each login
    request.session["user"] = {"name": user.name}
    ws.audit.write(user.name, "login")
    return RedirectResponse(_safe_next(form.get("next")), status_code=303)


@page(post=True)
async def logout(request: Request, ws: Workspace, user: User, form: dict[str, str]) -> Response:
    request.session.clear()
    ws.audit.write(user.name, "logout")
    return RedirectResponse("/login", status_code=303)


@page()
async def home(request: Request, ws: Workspace, user: User) -> Response:
    return RedirectResponse("/inbox", status_code=303)


# -- inbox ---------------------------------------------------------------------------------------
@page()
async def inbox_page(request: Request, ws: Workspace, user: User) -> Response:
    filters = _filters(request, ws)
    now = ws.clock()
    target = ws.loaded.config.digest.response_target
    # The most urgent 30 by default: a page that renders fast; "more" asks for up to 100.
    size = 100 if request.query_params.get("more") else 30
    result = await ws.run(
        workspace.inbox, ws.es, ws.names, filters.mention_filter(now), filters.narrowing(),
        now=now, target=target, size=size,
    )  # fmt: skip
    users = await ws.run(ws.accounts.users)
    return _html(request, "inbox.html.j2", ws, user, page=result, filters=filters, target=target,
                 teammates=[u.name for u in users if u.can("responder")], size=size)  # fmt: skip


@page()
async def open_original(request: Request, ws: Workspace, user: User) -> Response:
    doc_id = request.path_params["id"]
    found = await ws.run(Workflow(ws.es, ws.names).get, doc_id)
    url = (found[1].get("url") if found else "") or ""
    if not url.startswith(("http://", "https://")):
        return HTMLResponse("Mention introuvable.", status_code=404)
    ws.audit.write(user.name, "open", mention=doc_id)
    return RedirectResponse(url, status_code=303)


@page("responder", post=True)
async def mention_action(request: Request, ws: Workspace, user: User, form: dict[str, str]) -> Response:
    doc_id, action = request.path_params["id"], request.path_params["action"]
    if action not in ACTIONS:
        return HTMLResponse("Action inconnue.", status_code=404)
    flow = Workflow(ws.es, ws.names)
    now = ws.clock()
    details: dict[str, Any] = {}
    if action == "assign":
        details["assignee"] = form.get("assignee", "").strip() or None
        ok = await ws.run(flow.assign, doc_id, details["assignee"])
    elif action == "tag":
        details["tags"] = [t for t in form.get("tags", "").replace(";", ",").split(",") if t.strip()]
        ok = await ws.run(flow.set_tags, doc_id, details["tags"])
    elif action == "handle":
        details["note"] = form.get("note", "").strip()[:2000] or None
        ok = await ws.run(flow.mark_handled, doc_id, now, details["note"])
    elif action == "reopen":
        ok = await ws.run(flow.reopen, doc_id)
    else:
        label, brand = form.get("label", ""), form.get("brand") or None
        details.update(label=label, brand=brand)
        try:
            ok = await ws.run(flow.correct, doc_id, label, brand=brand, by=user.name, when=now) is not None
        except ValueError as exc:
            return HTMLResponse(f"Correction refusée : {exc}", status_code=400)
    if not ok:
        return HTMLResponse("Mention introuvable.", status_code=404)
    ws.audit.write(user.name, action, mention=doc_id, **details)
    return RedirectResponse(_safe_next(form.get("back")), status_code=303)


# -- search --------------------------------------------------------------------------------------
@page()
async def search_page(request: Request, ws: Workspace, user: User) -> Response:
    filters = _filters(request, ws, default_status="all", default_period="all")
    number = max(1, min(500, int(request.query_params.get("page", "1") or 1)))
    result = await ws.run(
        workspace.search,
        ws.es,
        ws.names,
        filters.mention_filter(ws.clock()),
        filters.narrowing(),
        page=number,
    )
    saved = await ws.run(ws.accounts.saved_searches, user.name)
    return _html(request, "search.html.j2", ws, user, result=result, filters=filters, number=number,
                 saved=saved)  # fmt: skip


@page()
async def search_csv(request: Request, ws: Workspace, user: User) -> Response:
    filters = _filters(request, ws, default_status="all", default_period="all")
    rows = workspace.export_rows(ws.es, ws.names, filters.mention_filter(ws.clock()), filters.narrowing())
    ws.audit.write(user.name, "export-csv", query=filters.query_string())

    def lines() -> Any:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    headers = {"content-disposition": 'attachment; filename="veille-mentions.csv"'}
    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers=headers)


@page(post=True)
async def save_search(request: Request, ws: Workspace, user: User, form: dict[str, str]) -> Response:
    query = form.get("query", "")
    await ws.run(ws.accounts.save_search, user.name, form.get("name", ""), query)
    ws.audit.write(user.name, "save-search", name=form.get("name", ""), query=query)
    return RedirectResponse(f"/search?{query}", status_code=303)


# -- dashboard -----------------------------------------------------------------------------------
@page()
async def dashboard_page(request: Request, ws: Workspace, user: User) -> Response:
    config = ws.loaded.config
    days = {"7d": 7, "30d": 30, "90d": 90}.get(request.query_params.get("period", ""), 14)
    now = ws.clock()
    since = (now - timedelta(days=days - 1)).astimezone(config.tz).replace(hour=0, minute=0, second=0,
                                                                          microsecond=0)  # fmt: skip
    boards = []
    for brand in config.brands:
        boards.append(
            await ws.run(
                dashboard.brand_board,
                ws.es,
                ws.names,
                brand.name,
                brand.competitors,
                since=since,
                until=now,
                tz=config.tz,
            )
        )
    incidents = await ws.run(EsAlertStore(ws.es, ws.names).history, since, now)
    return _html(request, "dashboard.html.j2", ws, user, boards=boards, incidents=incidents, days=days)
