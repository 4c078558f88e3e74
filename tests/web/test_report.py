"""`veille report`: the monthly report as HTML (and PDF through Chromium when installed)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from index.workflow import Workflow
from tests.web.conftest import NOW
from veille.cli import cli


def test_monthly_report_html_and_pdf(seeded, tmp_path):
    ws = seeded.ws
    late = seeded.mentions["late_influential"]
    assert Workflow(ws.es, ws.names).mark_handled(late.id, NOW, "répondu")  # 6 h after publication
    runner = CliRunner()
    out = tmp_path / "rapport.html"
    result = runner.invoke(
        cli, ["--config", str(ws.loaded.path), "report", "--period", "2026-11", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Rapport de veille — novembre 2026" in html
    assert "<b>5</b>mentions" in html
    assert "<b>60 %</b>négatives (3)" in html  # 3 of the 5 are negative towards Velora
    assert "<b>6 h</b>délai médian de réponse" in html
    assert "Part de voix" in html and "Orbitel" in html
    assert "forum.example.fr" in html

    bad = runner.invoke(cli, ["--config", str(ws.loaded.path), "report", "--period", "novembre"])
    assert bad.exit_code == 2 and "expected a month (2026-11) or an ISO week (2026-W47)" in bad.output
    week = runner.invoke(cli, ["--config", str(ws.loaded.path), "report", "--period", "2026-W47",
                               "--output", str(tmp_path / "s47.html")])  # fmt: skip
    assert week.exit_code == 0 and "semaine 47 de 2026" in week.output


@pytest.mark.skipif(shutil.which("chromium") is None, reason="PDF output needs Debian's chromium")
def test_report_as_pdf(seeded, tmp_path):
    out = tmp_path / "rapport.pdf"
    result = CliRunner().invoke(
        cli, ["--config", str(seeded.ws.loaded.path), "report", "--period", "2026-11", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
