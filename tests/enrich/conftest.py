"""Fixtures of the enrich tests: the models are loaded once per session (spaCy takes seconds)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.config import Config, load_config
from core.mention import Mention
from enrich.analysis import Analyzer, TextItem
from enrich.pipeline import STATE_FILE, Enricher
from tests.support import make_mention

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(REPO / "config.yaml").config


@pytest.fixture(scope="session")
def analyzer(config: Config) -> Analyzer:
    # "Free" is not configured: tests use it as an extra target, as `veille enrich --brand` does.
    return Analyzer.from_config(config, extra_brands=["Free"])


@pytest.fixture
def analyze(analyzer: Analyzer) -> Callable[..., Any]:
    def run(text: str, **kwargs: Any) -> Any:
        return analyzer.analyze([TextItem(text=text, **kwargs)])[0]

    return run


@pytest.fixture
def make_enricher(config: Config, analyzer: Analyzer, tmp_path: Path) -> Iterator[Callable[..., Enricher]]:
    opened: list[Enricher] = []

    def make(state_dir: Path | None = None) -> Enricher:
        enricher = Enricher(config, analyzer, (state_dir or tmp_path / "state") / STATE_FILE)
        opened.append(enricher)
        return enricher

    yield make
    for enricher in opened:
        enricher.close()


@pytest.fixture
def mention() -> Callable[..., Mention]:
    """Build a forum Mention: ``mention(n, text, **fields)`` (no brand, title or author unless given)."""

    def make(n: int | str, text: str, **fields: Any) -> Mention:
        plain: dict[str, Any] = {
            "url": f"https://forum.example.org/t/1#p{n}",
            "thread_url": None,
            "brands": [],
            "title": None,
            "author": {},
            "text": text,
            "published_at": datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        }
        return make_mention(**(plain | fields))

    return make
