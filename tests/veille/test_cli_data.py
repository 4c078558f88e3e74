"""`veille check-config`, `veille import` and `veille search` through the click runner."""

import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from veille.cli import cli


def run(loaded, *args):
    return CliRunner().invoke(cli, ["--config", str(loaded.path), *args])


def test_check_config_valid_and_invalid(make_config, tmp_path):
    loaded = make_config()
    ok = run(loaded, "check-config")
    assert ok.exit_code == 0, ok.output
    assert "OK" in ok.output
    text = loaded.path.read_text(encoding="utf-8").replace("timezone: Europe/Paris", "timezon: Europe/Paris")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check-config", str(bad)])
    assert result.exit_code == 2
    assert "timezon: unknown key" in result.output


def test_import_indexes_good_lines_and_names_the_three_bad_ones(config_factory, make_mention, tmp_path):
    loaded = config_factory()
    lines = [json.dumps(make_mention().to_document()) for _ in range(5)]
    lines.insert(1, "{not json")
    lines.insert(3, json.dumps({"url": "https://x.example/1", "text": "no source nor date"}))
    broken = make_mention().to_document()
    broken["published_at"] = "2026-11-21T10:00:00"  # no timezone
    lines.insert(6, json.dumps(broken))
    file = tmp_path / "history.jsonl"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(loaded, "import", str(file))
    assert result.exit_code == 1
    assert "5 mention(s) indexed" in result.output
    assert "3 bad line(s)" in result.output
    assert "line 2: not valid JSON" in result.output
    assert "line 4: source: Field required" in result.output
    assert "line 7: published_at: " in result.output and "timezone-aware" in result.output
    again = run(loaded, "import", str(file))
    assert "0 new, 0 updated, 5 unchanged" in again.output


def test_search_filters_by_brand_sentiment_and_age(config_factory, make_mention, tmp_path):
    loaded = config_factory()
    now = datetime.now(UTC)
    mentions = [
        make_mention(
            text="Le SAV Velora est injoignable, une honte",
            published_at=now - timedelta(hours=2),
            brand_sentiments=[{"brand": "Velora", "label": "negative", "score": -0.8}],
        ),
        make_mention(
            text="Fibre Velora installée, rien à dire, parfait",
            published_at=now - timedelta(hours=3),
            brand_sentiments=[{"brand": "Velora", "label": "positive", "score": 0.7}],
        ),
        make_mention(
            text="Vieux message sur le SAV Velora injoignable",
            published_at=now - timedelta(days=3),
            brand_sentiments=[{"brand": "Velora", "label": "negative", "score": -0.5}],
        ),
    ]
    file = tmp_path / "m.jsonl"
    file.write_text("\n".join(json.dumps(m.to_document()) for m in mentions), encoding="utf-8")
    assert run(loaded, "import", str(file)).exit_code == 0
    result = run(
        loaded, "search", "SAV", "--brand", "Velora", "--sentiment", "negative", "--since", "24h", "--json"
    )
    assert result.exit_code == 0, result.output
    found = [json.loads(line) for line in result.output.splitlines()]
    assert [doc["text"] for doc in found] == ["Le SAV Velora est injoignable, une honte"]
    table = run(loaded, "search", "--brand", "Velora")
    assert "3 mention(s) match" in table.output
    unknown = run(loaded, "search", "--brand", "Nope")
    assert unknown.exit_code == 2 and "unknown brand" in unknown.output


def test_commands_say_clearly_when_elasticsearch_is_down(config_factory):
    loaded = config_factory()
    text = loaded.path.read_text(encoding="utf-8")
    loaded.path.write_text(
        text.replace(loaded.config.elasticsearch.url, "http://127.0.0.1:9"), encoding="utf-8"
    )
    result = run(loaded, "search", "panne")
    assert result.exit_code == 1
    assert "Elasticsearch at http://127.0.0.1:9 is unavailable" in result.output
    assert "Traceback" not in result.output


def test_spool_status_lists_parked_mentions_and_requeue_brings_them_back(make_config, make_mention):
    from core.spool import Spool

    loaded = make_config()
    with Spool(loaded.spool_path, max_attempts=1) as spool:
        spool.put([make_mention()])
        spool.release(spool.take(1), error="mapper_parsing_exception: author.posts out of range")
    status = run(loaded, "spool", "status")
    assert "0 waiting, 0 in progress, 1 parked" in status.output
    assert "author.posts out of range" in status.output
    assert "1 parked mention(s) are waiting again" in run(loaded, "spool", "requeue").output
    assert "1 waiting" in run(loaded, "spool", "status").output


def test_handled_stops_the_response_clock_and_survives_a_recrawl(config_factory, make_mention, tmp_path):
    loaded = config_factory()
    mention = make_mention()
    file = tmp_path / "one.jsonl"
    file.write_text(json.dumps(mention.to_document()), encoding="utf-8")
    assert run(loaded, "import", str(file)).exit_code == 0
    result = run(loaded, "handled", mention.id, "0" * 32)
    assert result.exit_code == 1
    assert "1 mention(s) marked handled" in result.output
    assert f"no mention with id {'0' * 32}" in result.output
    run(loaded, "import", str(file))  # re-crawled: the workflow status stays
    found = json.loads(run(loaded, "search", "--json").output.splitlines()[0])
    assert found["status"] == "handled" and found["handled_at"]
    assert run(loaded, "handled", "--undo", mention.id).exit_code == 0
    assert json.loads(run(loaded, "search", "--json").output.splitlines()[0])["status"] == "new"
