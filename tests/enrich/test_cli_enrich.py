"""``veille enrich``: one text, and a JSONL file with bad lines named and the rest scored."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from veille.commands import COMMAND_MODULES
from veille.commands.enrich import register

CONFIG = Path(__file__).resolve().parents[2] / "config.yaml"


# A root group like veille.cli's (which imports every area's commands) with only this module's.
@click.group()
@click.option("-c", "--config", "config_path", type=click.Path(path_type=Path))
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    ctx.obj = {"config_path": config_path}


register(cli)


def test_enrich_is_a_registered_command_module():
    assert "enrich" in COMMAND_MODULES


def _run(args: list[str], tmp_path: Path):
    runner = CliRunner()
    return runner.invoke(cli, ["-c", str(CONFIG), "enrich", *args], env={"VEILLE_DATA_DIR": str(tmp_path)})


def test_enrich_one_text_towards_a_brand(tmp_path):
    result = _run(["Le SAV de Velora est nul mais Orbitel est top !", "--brand", "Orbitel"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "language:  fr" in result.output
    assert "towards Orbitel: positive" in result.output
    assert "Velora [BRAND]" in result.output
    assert "loading the language models" in result.stderr  # the wait is explained, not silent


def test_enrich_file_scores_good_lines_and_names_bad_ones(tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": 1, "text": "Service client au top, merci Velora", "brand": "Velora"}),
        "{not json",
        json.dumps({"id": 3, "text": "Worst customer service ever.", "lang": "en"}),
        json.dumps({"id": 4, "txt": "missing text"}),
        "",
        json.dumps({"id": 6, "text": "Box en panne depuis hier 😡"}),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    result = _run(["--input", str(source), "--output", str(target)], tmp_path)
    assert result.exit_code == 1  # bad lines are reported through the exit code too
    assert f"{source}:2: not valid JSON" in result.output
    assert f'{source}:4: missing "text"' in result.output
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [1, 3, 6]
    assert rows[0]["sentiment"]["label"] == "positive" and rows[0]["lang"] == "fr"
    assert rows[0]["brand_sentiment"] == {
        "brand": "Velora",
        "label": "positive",
        "score": rows[0]["brand_sentiment"]["score"],
    }
    assert {"text": "Velora", "label": "BRAND", "canonical": "Velora"} in rows[0]["entities"]
    assert rows[1]["lang"] == "en" and rows[1]["sentiment"]["label"] == "negative"
    assert rows[2]["sentiment"]["label"] == "negative" and -1 <= rows[2]["sentiment"]["score"] < 0


def test_enrich_needs_text_or_input(tmp_path):
    result = _run([], tmp_path)
    assert result.exit_code == 2
    assert "give either TEXT or --input FILE" in result.output
