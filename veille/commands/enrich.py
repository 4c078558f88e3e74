"""``veille enrich``: language, sentiment and entities of a text, or of every line of a JSONL file.

``veille enrich "Le SAV de Velora est nul" --brand Velora`` prints the analysis;
``veille enrich --input in.jsonl --output out.jsonl`` reads ``{"text": ..., "lang"?: ..., "brand"?: ...}``
lines and writes them back with ``lang``, ``sentiment`` {label, score, model}, ``entities`` (and
``brand_sentiment`` when the line names a brand) added. Bad lines are reported by number and skipped.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from veille.commands.common import loaded_config

if TYPE_CHECKING:
    from enrich.analysis import Analyzer, TextAnalysis

FILE_BATCH = 256


@click.command("enrich")
@click.argument("text", required=False)
@click.option("--brand", "-b", help="brand (or any name) to score the sentiment towards")
@click.option("--lang", type=click.Choice(["fr", "en"]), help="skip language detection")
@click.option(
    "--input",
    "input_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON lines of {text, lang?, brand?} to score",
)
@click.option(
    "--output",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="where to write the scored lines (default: standard output)",
)
@click.pass_context
def enrich_command(
    ctx: click.Context,
    text: str | None,
    brand: str | None,
    lang: str | None,
    input_file: Path | None,
    output_file: Path | None,
) -> None:
    """Print the language, sentiment (overall and towards --brand) and entities of TEXT,
    or score every line of --input into --output."""
    from enrich.analysis import Analyzer, TextItem

    if (text is None) == (input_file is None):
        raise click.UsageError("give either TEXT or --input FILE (not both)")
    config = loaded_config(ctx).config
    # spaCy's models take seconds to load: say so, on stderr so that --input's output stays clean.
    click.echo("loading the language models (spaCy, a few seconds)…", err=True)
    if text is not None:
        analyzer = Analyzer.from_config(config, [brand] if brand else [])
        item = TextItem(text=text, lang=lang, brands=(brand,) if brand else ())
        _print_analysis(analyzer.analyze([item])[0], brand)
        return
    assert input_file is not None
    brands = sorted(
        {b for _, row, _ in _read_lines(input_file) if row and isinstance(b := row.get("brand"), str)}
    )
    analyzer = Analyzer.from_config(config, brands)
    if output_file is None:
        bad, written = _score_file(analyzer, input_file, sys.stdout, lang)
    else:
        with output_file.open("w", encoding="utf-8") as out:
            bad, written = _score_file(analyzer, input_file, out, lang)
    click.echo(f"{input_file}: {written} line(s) scored, {bad} bad line(s)", err=True)
    if bad:
        ctx.exit(1)


def _print_analysis(result: TextAnalysis, brand: str | None) -> None:
    click.echo(f"language:  {result.lang}")
    if result.sentiment is None:
        click.echo("sentiment: none (language not supported)")
    else:
        s = result.sentiment
        click.echo(f"sentiment: {s.label} ({s.score:+.3f}) [{s.model}]")
    for bs in result.brand_sentiments:
        click.echo(f"towards {bs.brand}: {bs.label} ({bs.score:+.3f})")
    if brand and not result.brand_sentiments:
        click.echo(f"towards {brand}: none (language not supported)")
    entities = ", ".join(
        f"{e.text} [{e.label}{' = ' + e.canonical if e.canonical and e.canonical != e.text else ''}]"
        for e in result.entities
    )
    click.echo(f"entities:  {entities or '-'}")


def _read_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, object or None, error or None) for every non-blank line."""
    from core.jsonl import read_json_objects

    for number, row, problem in read_json_objects(path):
        if row is None:
            yield number, None, problem
        elif not isinstance(row.get("text"), str):
            yield number, None, 'missing "text" (a string)'
        elif row.get("brand") is not None and not isinstance(row["brand"], str):
            yield number, None, '"brand" must be a string'
        else:
            yield number, row, None


def _score_file(analyzer: Analyzer, path: Path, out: TextIO, lang: str | None) -> tuple[int, int]:
    from enrich.analysis import TextItem
    from enrich.memory import transient_vocab

    bad = written = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal written
        items = [
            TextItem(
                text=row["text"],
                lang=row.get("lang") if row.get("lang") in ("fr", "en", "other") else lang,
                brands=(row["brand"],) if row.get("brand") else (),
            )
            for row in batch
        ]
        with transient_vocab(analyzer.pipelines):  # a long file: spaCy's vocabulary stays flat
            results = analyzer.analyze(items)
        for row, result in zip(batch, results, strict=True):
            out.write(json.dumps(_scored(row, result), ensure_ascii=False) + "\n")
            written += 1
        batch.clear()

    for number, row, error in _read_lines(path):
        if row is None:
            bad += 1
            click.echo(f"{path}:{number}: {error}; line skipped", err=True)
            continue
        batch.append(row)
        if len(batch) >= FILE_BATCH:
            flush()
    flush()
    return bad, written


def _scored(row: dict[str, Any], result: TextAnalysis) -> dict[str, Any]:
    out = dict(row)
    out["lang"] = result.lang
    s = result.sentiment
    out["sentiment"] = None if s is None else {"label": s.label, "score": s.score, "model": s.model}
    if row.get("brand"):
        bs = result.brand_sentiments[0] if result.brand_sentiments else None
        out["brand_sentiment"] = (
            None if bs is None else {"brand": bs.brand, "label": bs.label, "score": bs.score}
        )
    out["entities"] = [e.model_dump(exclude_none=True) for e in result.entities]
    return out


def register(cli: click.Group) -> None:
    cli.add_command(enrich_command)
