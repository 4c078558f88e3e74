"""The digest (preview and send once a day) and the ``veille alerts`` / ``veille digest`` commands."""

from __future__ import annotations

import json
from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
from click.testing import CliRunner

from alerts.digest import preview_digest, send_digest
from alerts.engine import check_alerts
from veille.cli import cli

pytestmark = pytest.mark.es


@pytest.fixture
def day_of_mentions(history, now):
    for hours in range(1, 24, 2):  # 12 mentions in the last 24 h, 3 of them negative
        history.mention(
            now - timedelta(hours=hours, minutes=10), label="negative" if hours % 8 == 1 else "neutral"
        )
    for hours in range(25, 48, 4):  # 6 the day before
        history.mention(now - timedelta(hours=hours), label="neutral")
    history.mention(now - timedelta(hours=1), label="negative", status="handled", text="déjà traitée")
    history.flush()


def test_digest_counts_waiting_negatives_and_the_chart(day_of_mentions, alert_config, now, tmp_path):
    loaded = alert_config()
    rendered = preview_digest(loaded, tmp_path / "digest.html", now)
    text = rendered.text
    assert "Mentions sur 24 h : 13 (+117 % par rapport aux 24 h précédentes : 6)" in text
    assert "Sentiment : négatif 4 (31 %), neutre 9, positif 0" in text
    assert "Par type de source : forums 13" in text
    # The chart's last 24-hour window is the headline figure: they cannot disagree.
    assert "| 20/11 13 (31 % nég.)" in text
    # It opens with the fresh bad buzz (3 negative, unanswered), then what is overdue.
    assert text.index("BAD BUZZ DES DERNIÈRES 24 H : 3 mention(s)") < text.index("À traiter")
    assert "À traiter : 3 mention(s) négative(s) sans réponse, dont 2 hors délai (4 h)" in text
    assert text.count("HORS DÉLAI") == 2
    assert text.count("Ouvrir et marquer traitée : http://127.0.0.1:8080/inbox?id=") == 3
    assert (
        rendered.subject
        == "[Veille] Synthèse du 20/11/2026 — 3 nouvelle(s) mention(s) négative(s), 2 hors délai"
    )
    html = (tmp_path / "digest.html").read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,' in html
    assert "Veille du 20/11/2026" in html
    for english in ("Daily", "digest", " for ", " in window", "alert for rule"):
        assert english not in text and english not in html.replace("digest-", ""), english


def test_digest_is_sent_once_a_day_with_its_chart_inline(day_of_mentions, alert_config, now):
    loaded = alert_config()
    first = send_digest(loaded, now)
    assert first.queued
    assert not send_digest(loaded, now + timedelta(hours=1)).queued
    (path,) = loaded.outbox_dir.glob("*.eml")
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert msg["Subject"].startswith("[Veille] Synthèse du 20/11/2026")
    images = [part for part in msg.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 2 and images[0]["Content-ID"] == "<chart-0@veille>"
    assert images[0].get_content().startswith(b"\x89PNG")
    assert 'src="cid:chart-0@veille"' in msg.get_body(("html",)).get_content()


def test_the_days_alerts_are_in_the_digest(history, alert_config, now):
    history.steady(days=15, per_hour=4)
    history.burst(now - timedelta(minutes=55), 30)
    history.flush()
    loaded = alert_config({"name": "neg", "type": "negative_spike"})
    check_alerts(loaded, now)
    text = preview_digest(loaded, None, now + timedelta(hours=2)).text
    alerts = text.split("Alertes des dernières 24 h")[1]
    assert (
        "[Veille] Velora : " in alerts and " mentions négatives en 1 h (×" in alerts
    )  # the incident's subject


def test_cli_check_then_check_again_then_replay(history, alert_config, now):
    history.steady(days=15, per_hour=4)
    history.burst(now - timedelta(minutes=55), 30)
    history.flush()
    loaded = alert_config({"name": "neg", "type": "negative_spike"})
    runner = CliRunner()
    args = ["-c", str(loaded.path), "alerts"]
    first = runner.invoke(cli, [*args, "check", "--now", now.isoformat()])
    assert first.exit_code == 0, first.output
    assert "1 notification(s) queued" in first.output
    second = runner.invoke(cli, [*args, "check", "--now", (now + timedelta(minutes=2)).isoformat()])
    assert second.exit_code == 0 and "0 notification(s) queued" in second.output
    assert len(list(loaded.outbox_dir.glob("*.eml"))) == 1

    since, until = (now - timedelta(hours=3)).isoformat(), (now + timedelta(hours=3)).isoformat()
    replayed = runner.invoke(cli, [*args, "replay", "--since", since, "--until", until, "--json"])
    assert replayed.exit_code == 0, replayed.output
    events = [json.loads(line) for line in replayed.output.splitlines()]
    kinds = [e["kind"] for e in events]
    # One incident, as the engine sends it: it opens as the burst starts, may be updated while it
    # grows, and is closed once it is over.
    assert kinds[0] == "open" and kinds[-1] == "close" and set(kinds[1:-1]) <= {"update"}
    assert now - timedelta(minutes=45) <= now.fromisoformat(events[0]["at"]) <= now
    assert "threshold" in events[0]["why"]
    assert len(list(loaded.outbox_dir.glob("*.eml"))) == 1  # a replay sends nothing


def test_cli_digest_preview_and_bad_input(day_of_mentions, alert_config, now, tmp_path):
    loaded = alert_config()
    runner = CliRunner()
    out = tmp_path / "preview.html"
    result = runner.invoke(
        cli, ["-c", str(loaded.path), "digest", "--preview", str(out), "--now", now.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert out.exists() and out.with_suffix(".txt").exists()
    bad = runner.invoke(cli, ["-c", str(loaded.path), "alerts", "check", "--now", "yesterday"])
    assert bad.exit_code == 2 and "expected an ISO date" in bad.output
    neither = runner.invoke(cli, ["-c", str(loaded.path), "digest"])
    assert neither.exit_code == 2 and "--preview FILE.html or --send" in neither.output
