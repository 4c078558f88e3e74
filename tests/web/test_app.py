"""The workspace over real HTTP (uvicorn on 127.0.0.1, real Elasticsearch): login, CSRF, roles,
inbox order and actions, search, CSV, dashboard, audit."""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest

from tests.support import free_port
from tests.web.conftest import PASSWORDS
from veille.web.server import WebServer


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


@pytest.fixture
def client(seeded):
    with (
        WebServer(seeded.ws, port=free_port()) as server,
        httpx.Client(base_url=server.url, follow_redirects=True) as c,
    ):
        yield c


def login(client, name):
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"csrf": csrf_of(page.text), "username": name, "password": PASSWORDS[name], "next": "/inbox"},
        follow_redirects=True,
    )
    assert response.status_code == 200, response.text
    return response


def test_every_page_needs_login_and_wrong_passwords_are_refused(client, seeded):
    for path in ("/inbox", "/search", "/dashboard", "/search.csv"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")
    page = client.get("/login")
    assert "content-security-policy" in page.headers
    bad = client.post(
        "/login", data={"csrf": csrf_of(page.text), "username": "camille", "password": "nope-nope-nope"}
    )
    assert bad.status_code == 401
    assert "incorrect" in bad.text
    assert client.get("/inbox", follow_redirects=False).status_code == 303
    no_csrf = client.post("/login", data={"username": "camille", "password": PASSWORDS["camille"]})
    assert no_csrf.status_code == 403
    actions = [line["action"] for line in seeded.ws.audit.lines()]
    assert actions == ["login-failed", "csrf-refused"]


def test_session_cookie_flags(client):
    page = client.get("/login")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie


def test_inbox_sorted_by_urgency_one_row_per_story(client, seeded):
    html = login(client, "camille").text
    ids = {k: m.id for k, m in seeded.mentions.items()}
    order = [m for m in re.findall(r'<tr id="m-([0-9a-f]+)"', html)]
    assert order[0] == ids["late_influential"], "negative + influential + overdue comes first"
    story = [ids["fresh_negative"], ids["fresh_negative_copy"]]
    shown = [i for i in order if i in story]
    assert len(shown) == 1, "near-duplicates collapse into one row"
    assert order.index(shown[0]) == 1, "then the fresh negative story, before any non-negative one"
    assert "+ 1 mention(s) quasi identique(s)" in html
    assert len(order) == 4
    positive = client.get("/inbox?sentiment=positive").text
    assert set(re.findall(r'<tr id="m-([0-9a-f]+)"', positive)) == {ids["happy"], ids["wrongly_positive"]}


def test_triage_actions_need_csrf_and_role_and_are_audited(client, seeded):
    html = login(client, "camille").text
    token = csrf_of(html)
    target = seeded.mentions["late_influential"].id
    refused = client.post(f"/mentions/{target}/handle", data={"note": "x"})
    assert refused.status_code == 403
    for action, data in [
        ("assign", {"assignee": "camille"}),
        ("tag", {"tags": "facturation, urgent"}),
        ("handle", {"note": "Répondu en MP"}),
    ]:
        response = client.post(f"/mentions/{target}/{action}", data={"csrf": token, "back": "/inbox", **data})
        assert response.status_code == 200, response.text
    inbox = client.get("/inbox").text
    assert f'id="m-{target}"' not in inbox, "a handled mention leaves the waiting list"
    handled = client.get("/inbox?status=handled").text
    assert f'id="m-{target}"' in handled
    assert "Répondu en MP" in handled and "facturation, urgent" in handled
    doc = seeded.ws.es.get(index=seeded.ws.names.monthly(seeded.mentions["late_influential"].published_at),
                           id=target)["_source"]  # fmt: skip
    assert (doc["status"], doc["assignee"], doc["tags"]) == ("handled", "camille", ["facturation", "urgent"])
    lines = [(line["user"], line["action"]) for line in seeded.ws.audit.lines()]
    assert ("camille", "csrf-refused") in lines
    assert lines[-3:] == [("camille", "assign"), ("camille", "tag"), ("camille", "handle")]


def test_viewer_cannot_act(client, seeded):
    token = csrf_of(login(client, "lea").text)
    target = seeded.mentions["happy"].id
    response = client.post(f"/mentions/{target}/handle", data={"csrf": token})
    assert response.status_code == 403


def test_sentiment_correction_from_the_inbox_moves_the_mention(client, seeded):
    token = csrf_of(login(client, "camille").text)
    target = seeded.mentions["wrongly_positive"].id
    response = client.post(
        f"/mentions/{target}/sentiment",
        data={"csrf": token, "label": "negative", "brand": "Velora", "back": "/inbox"},
    )
    assert response.status_code == 200
    negatives = client.get("/inbox?sentiment=negative&brand=Velora").text
    assert f'id="m-{target}"' in negatives
    assert "sentiment corrigé par camille" in negatives


def test_search_highlights_facets_saved_searches_and_csv(client, seeded):
    token = csrf_of(login(client, "lea").text)
    html = client.get("/search", params={"q": "panne"}).text
    assert "<mark>" in html
    count = int(re.search(r"(\d+) mention\(s\)", html).group(1))
    assert count >= 2
    assert "forum-test" in html  # the source facet
    saved = client.post("/search/save", data={"csrf": token, "name": "pannes", "query": "q=panne"})
    assert saved.status_code == 200
    assert 'href="/search?q=panne">pannes</a>' in client.get("/search").text
    exported = client.get("/search.csv", params={"q": "panne"})
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][0] == "id"
    assert len(rows) - 1 == count


def test_dashboard_shows_volume_share_of_voice_and_authors(client):
    login(client, "lea")
    html = client.get("/dashboard").text
    assert "Velora" in html and "Part de voix" in html
    assert "gros_compte" in html and "influence 90" in html
    assert "<svg" in html
