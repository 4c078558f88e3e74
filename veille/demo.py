"""``veille demo``: one full cycle on the embedded defaults, then a summary a person can act on.

Starts the local Elasticsearch node and the bundled demo web (forum, blog, review site, news
feeds telling the story of a bad buzz), then poll -> crawl -> process -> alerts -> digest
preview, with progress, and prints mentions per source and sentiment, the alerts fired, where
the emails and the digest are, and a search to try. A second run is incremental: the feeds
answer 304, the crawl finds nothing new, and no alert is sent twice.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from core.config import LoadedConfig, load_config
from index.client import resolve_target
from index.queries import MentionFilter
from veille.demo_web.config import DEMO_PORT
from veille.jobs import tasks
from veille.jobs.runtime import Runtime
from veille.services.es_node import LocalNode

if TYPE_CHECKING:
    from veille.demo_web.server import DemoServer

logger = logging.getLogger(__name__)


@dataclass
class DemoReport:
    es_url: str = ""
    demo_url: str = ""
    steps: dict[str, str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, tasks.Outcome] = field(default_factory=dict)


def _start_demo_web(port: int) -> tuple[DemoServer | None, str]:
    """Our own demo web on ``port``, or the one already serving there (``veille demo-sites``)."""
    from veille.demo_web.server import DemoServer

    try:
        return DemoServer(port=port).start(), f"http://127.0.0.1:{port}"
    except OSError as exc:
        url = f"http://127.0.0.1:{port}"
        try:
            with urllib.request.urlopen(f"{url}/robots.txt", timeout=5) as response:
                if b"/_demo/" in response.read():
                    return None, url  # a demo web is already running there: use it
        except OSError:
            pass
        raise RuntimeError(
            f"port {port} is taken by another program; stop it and run the demo again"
        ) from exc


def _on_port(loaded: LoadedConfig, demo_port: int) -> LoadedConfig:
    """The config with its demo sources moved to ``demo_port`` (when it is not the default)."""
    from veille.demo_web.config import DEMO_BASE_URL, rebase_config

    base = f"http://127.0.0.1:{demo_port}"
    if base == DEMO_BASE_URL:
        return loaded
    text = rebase_config(loaded.path.read_text(encoding="utf-8"), base)
    moved = loaded.path.with_name(f".{loaded.path.stem}.demo-{demo_port}.yaml")
    moved.write_text(text, encoding="utf-8")
    return load_config(moved)


def run_demo(loaded: LoadedConfig, console: Console, *, demo_port: int = DEMO_PORT) -> DemoReport:
    loaded = _on_port(loaded, demo_port)
    report = DemoReport()
    target = resolve_target(loaded.config.elasticsearch)
    runtime = Runtime(loaded)
    server: DemoServer | None = None

    def start_es() -> str:
        if target.local:
            status = LocalNode.from_config(loaded.config.elasticsearch.local).start()
            report.es_url = status.url
            return f"Elasticsearch {status.version} at {status.url}"
        report.es_url = target.url
        return f"using Elasticsearch at {target.url}"

    def start_web() -> str:
        nonlocal server
        server, report.demo_url = _start_demo_web(demo_port)
        return f"demo web at {report.demo_url}"

    def setup_index() -> str:
        handle = runtime.index()
        return f"index {handle.names.alias} ready ({handle.analyzers.describe() if handle.analyzers else ''})"

    def task(name: str) -> Callable[[], str]:
        def run() -> str:
            outcome = tasks.TASKS[name](runtime)
            report.outcomes[name] = outcome
            return outcome.summary

        return run

    def preview() -> str:
        from alerts.digest import preview_digest

        path = loaded.data_dir / "digest-preview.html"
        preview_digest(loaded, path, now=datetime.now(UTC))
        return f"digest preview written to {path}"

    steps: list[tuple[str, Callable[[], str]]] = [
        ("Starting Elasticsearch", start_es),
        ("Starting the demo web", start_web),
        ("Setting up the index", setup_index),
        ("Polling feeds", task("poll")),
        ("Crawling forums, blogs, reviews", task("crawl")),
        ("Enriching and indexing", task("process")),
        ("Checking alert rules", task("alerts")),
        ("Writing the digest preview", preview),
    ]
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console, transient=False) as progress:
            overall = progress.add_task("Veille demo", total=len(steps))
            for label, step in steps:
                progress.update(overall, description=label)
                try:
                    report.steps[label] = step()
                except Exception as exc:
                    logger.debug("demo step failed", exc_info=True)
                    report.failures[label] = f"{type(exc).__name__}: {exc}"
                    if label in {"Starting Elasticsearch", "Starting the demo web", "Setting up the index"}:
                        break  # nothing after this can work
                progress.advance(overall)
        _summary(loaded, runtime, report, console)
    finally:
        if server is not None:
            server.stop()
        runtime.close()
    return report


def _summary(loaded: LoadedConfig, runtime: Runtime, report: DemoReport, console: Console) -> None:
    for label, text in report.steps.items():
        console.print(f"[green]✓[/] {label}: {text}")
    for label, text in report.failures.items():
        console.print(f"[red]✗[/] {label}: {text}")
    if "Setting up the index" not in report.steps:
        return
    queries = runtime.index().queries
    runtime.index().es.indices.refresh(index=runtime.index().names.alias)
    table = Table(title="Mentions per source and sentiment (all indexed)")
    for column in ("source", "kind", "positive", "neutral", "negative", "total"):
        table.add_column(column, justify="right" if column not in {"source", "kind"} else "left")
    crosstab = queries.crosstab("source.name", "sentiment.label", MentionFilter())
    kinds = queries.crosstab("source.name", "source.kind", MentionFilter())
    for source, counts in sorted(crosstab.items()):
        kind = next(iter(kinds.get(source, {"?": 0})))
        total = sum(counts.values())
        table.add_row(
            source, kind, *(str(counts.get(k, 0)) for k in ("positive", "neutral", "negative")), str(total)
        )
    console.print(table)
    since = datetime.now(UTC) - timedelta(hours=24)
    for brand in loaded.config.brands:
        negative = queries.count(MentionFilter(brand=brand.name, sentiment="negative", since=since))
        total = queries.count(MentionFilter(brand=brand.name, since=since))
        console.print(
            f"{brand.name}: {total} mention(s) in the last 24 h, {negative} negative towards the brand"
        )
    alerts_outcome = report.outcomes.get("alerts")
    console.print(f"Alerts: {alerts_outcome.summary if alerts_outcome else 'not checked'}")
    outbox = loaded.outbox_dir
    emails = sorted(outbox.glob("*.eml")) if outbox.exists() else []
    console.print(f"Emails written to the outbox {outbox}: {len(emails)} file(s)")
    for email in emails[-5:]:
        console.print(f"  {email}")
    console.print(f"Digest preview: {loaded.data_dir / 'digest-preview.html'}")
    console.print(f"Elasticsearch: {report.es_url} (read alias {runtime.index().names.alias})")
    console.print(
        'Try:  .venv/bin/veille search "panne OR arnaque" --brand Velora --sentiment negative --since 24h'
    )
