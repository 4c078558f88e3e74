"""The management report for a month or an ISO week: volume, sentiment, share of voice, top
topics and sources, incidents and response times, as HTML that prints cleanly (or PDF through
headless Chromium when it is installed)."""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from alerts.render import render
from alerts.store import EsAlertStore
from core.config import LoadedConfig
from core.errors import VeilleError
from index.client import client_for
from index.dashboard import brand_board, response_times
from index.names import IndexNames
from index.queries import MentionFilter, MentionQueries

logger = logging.getLogger(__name__)

MONTHS = ("janvier février mars avril mai juin juillet août septembre octobre novembre décembre").split()


class ReportError(VeilleError):
    exit_code = 2


@dataclass(frozen=True)
class Period:
    label: str
    start: datetime
    end: datetime


def parse_period(value: str, tz: Any) -> Period:
    """``2026-11`` (a month) or ``2026-W47`` (an ISO week), in the team's timezone."""
    month = re.fullmatch(r"(\d{4})-(\d{2})", value)
    week = re.fullmatch(r"(\d{4})-W(\d{1,2})", value)
    if month and 1 <= int(month.group(2)) <= 12:
        year, m = int(month.group(1)), int(month.group(2))
        start = datetime(year, m, 1, tzinfo=tz)
        end = datetime(year + (m == 12), m % 12 + 1, 1, tzinfo=tz)
        return Period(f"{MONTHS[m - 1]} {year}", start, end)
    if week:
        try:
            monday = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1)
        except ValueError as exc:
            raise ReportError(f"--period {value}: no such ISO week") from exc
        start = datetime(monday.year, monday.month, monday.day, tzinfo=tz)
        return Period(f"semaine {int(week.group(2))} de {week.group(1)}", start, start + timedelta(days=7))
    raise ReportError(f"--period {value!r}: expected a month (2026-11) or an ISO week (2026-W47)")


def build_report(loaded: LoadedConfig, period: Period) -> str:
    config = loaded.config
    names = IndexNames(config.elasticsearch.index_prefix)
    with client_for(config.elasticsearch) as es:
        queries = MentionQueries(es, names)
        target = config.digest.response_target
        brands = []
        for brand in config.brands:
            flt = MentionFilter(brand=brand.name, since=period.start, until=period.end)
            board = brand_board(
                es, names, brand.name, brand.competitors, since=period.start, until=period.end, tz=config.tz
            )
            totals = {
                lab: sum(c.get(lab, 0) for _, c in board.days) for lab in ("negative", "neutral", "positive")
            }
            brands.append({
                "board": board,
                "totals": totals,
                "kinds": queries.counts_by("source.kind", flt),
                "terms": queries.top_terms(flt, size=12) if board.total else [],
                "times": response_times(es, names, brand.name, since=period.start, until=period.end,
                                        target_hours=target.total_seconds() / 3600),
            })  # fmt: skip
        incidents = EsAlertStore(es, names).history(period.start, period.end, size=500)
    return render(
        "report.html.j2",
        config.tz,
        period=period,
        brands=brands,
        incidents=[i for i in incidents if i.get("kind") != "recovery"],
        target=target,
        web_url=config.web.url,
        generated=datetime.now(config.tz),
    )


def write_report(loaded: LoadedConfig, period: Period, output: Path) -> Path:
    html = build_report(loaded, period)
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() != ".pdf":
        output.write_text(html, encoding="utf-8")
        return output
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise ReportError("a PDF needs Chromium (apt-get install chromium); or ask for --output report.html")
    source = output.with_suffix(".html")
    source.write_text(html, encoding="utf-8")
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               f"--print-to-pdf={output}", "--no-pdf-header-footer", source.resolve().as_uri()]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ReportError(f"Chromium could not print {source} to PDF: {exc}") from exc
    return output
