"""The whole loop: an alert email links to the mention in the inbox; marked handled there, it
leaves the digest's list of what waits for an answer."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import BytesParser

import httpx

from alerts.digest import preview_digest
from alerts.engine import check_alerts
from index.indexer import Indexer
from tests.support import free_port
from veille.web.server import WebServer, build_workspace


def test_from_alert_email_to_handled_and_out_of_the_digest(config_factory, make_mention):
    now = datetime.now(UTC).replace(microsecond=0)
    rules = [{"name": "crisis-words", "type": "crisis_keywords", "keywords": ["arnaque"], "window": "24h"}]
    loaded = config_factory(alerts={"rules": rules})
    ws = build_workspace(loaded, clock=lambda: now)
    ws.accounts.add("camille", "camille-pass-123", "responder")
    bad = make_mention(
        title="Velora c'est une arnaque",
        text="Velora m'a facturé deux fois, c'est une arnaque, je porte plainte.",
        published_at=now - timedelta(hours=1),
        sentiment={"label": "negative", "score": -0.9, "model": "t"},
        brand_sentiments=[{"brand": "Velora", "label": "negative", "score": -0.9, "model": "t"}],
    )
    Indexer(ws.es, ws.names, refresh=True).index([bad])
    check_alerts(loaded, now)
    (eml,) = loaded.outbox_dir.glob("*.eml")
    text = BytesParser(policy=policy.default).parsebytes(eml.read_bytes()).get_body(("plain",)).get_content()
    link = re.search(r"Ouvrir et marquer traitée : (http://\S+)", text).group(1)
    assert f"id={bad.id}" in link
    assert bad.id in preview_digest(loaded, None, now).text

    port = free_port()
    with WebServer(ws, port=port) as server, httpx.Client(follow_redirects=True) as client:
        link = link.replace("http://127.0.0.1:8080", server.url)
        login = client.get(link)
        csrf = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
        back = html.unescape(re.search(r'name="next" value="([^"]+)"', login.text).group(1))
        assert back == link[len(server.url) :], "the login page returns to the linked mention"
        form = {"csrf": csrf, "username": "camille", "password": "camille-pass-123", "next": back}
        page = client.post(f"{server.url}/login", data=form)
        assert f'id="m-{bad.id}"' in page.text, "the link lands on the mention in the inbox"
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        done = client.post(f"{server.url}/mentions/{bad.id}/handle", data={"csrf": csrf, "note": "remboursé"})
        assert done.status_code == 200
    digest = preview_digest(loaded, None, now).text
    assert bad.id not in digest
    assert "À traiter : 0 mention(s) négative(s) sans réponse" in digest
    ws.accounts.close()
    ws.es.close()
