"""Run the site crawls from any process: each crawl in a child interpreter (``crawlers.run``).

A long-running scheduler can call ``crawl_sites`` every hour: Scrapy's reactor lives and dies
in the child, the parent only waits and reads back one ``SourceSummary`` per source.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from core.config import LoadedConfig
from crawlers.sources import select_sites
from crawlers.summary import SourceSummary

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 3600.0


def crawl_sites(
    loaded: LoadedConfig, source: str | None = None, *, timeout: float = DEFAULT_TIMEOUT
) -> list[SourceSummary]:
    """Crawl the enabled sites (or the one named) once, in a child process.

    The child reads the config from ``loaded.path`` and uses the same data directory. If it
    crashes or overruns ``timeout`` seconds, every source gets an error line saying so; the
    mentions it had already spooled stay spooled.
    """
    sites = select_sites(loaded.config, source)  # fails fast on an unknown name
    if not sites:
        return []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="veille-crawl-") as tmp:
        result = Path(tmp) / "summaries.json"
        command = [
            sys.executable,
            "-m",
            "crawlers.run",
            "--config",
            str(loaded.path),
            "--data-dir",
            str(loaded.data_dir),
            "--result",
            str(result),
            "--log-level",
            str(logging.getLogger().getEffectiveLevel()),
        ]
        if source is not None:
            command += ["--source", source]
        failure = None
        try:
            completed = subprocess.run(command, timeout=timeout, check=False)
            if completed.returncode != 0:
                failure = f"crawl process exited with code {completed.returncode} (see the log above)"
        except subprocess.TimeoutExpired:
            failure = f"crawl process killed after {timeout:g}s"
        if result.exists():
            summaries = [SourceSummary.from_dict(item) for item in json.loads(result.read_text("utf-8"))]
        else:
            summaries = [SourceSummary(site.name, kind) for kind, site in sites]
            failure = failure or "crawl process ended without a result"
    if failure:
        logger.error("%s", failure)
        for summary, (_, site) in zip(summaries, sites, strict=False):
            summary.error(str(site.start_urls[0]), failure)
    elapsed = round(time.monotonic() - started, 3)
    for summary in summaries:
        summary.seconds = summary.seconds or elapsed
    if not failure:
        _count_empty_runs(loaded, summaries, dict((site.name, site) for _, site in sites))
    return summaries


# A site that yields nothing once may be having a bad day; twice in a row, its markup changed.
EMPTY_RUNS_ALERT = 2


def _count_empty_runs(loaded: LoadedConfig, summaries: list[SourceSummary], sites: dict[str, Any]) -> None:
    from crawlers.state import StateStore, state_path

    with StateStore(state_path(loaded)) as state:
        for summary in summaries:
            state.record_run(summary)  # for `veille status`
            if not summary.fetched:
                continue  # nothing downloaded: the download errors already say why
            runs = state.count_empty_run(summary.source, empty=not summary.items)
            if runs >= EMPTY_RUNS_ALERT:
                site = sites.get(summary.source)
                url = str(site.start_urls[0]) if site is not None else summary.source
                summary.error(
                    url, f"no post found on {runs} crawls in a row: the site's markup may have changed"
                )
                logger.error("%s: no post found on %d crawls in a row", summary.source, runs)
