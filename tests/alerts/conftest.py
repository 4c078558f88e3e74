"""Fixtures of the alert tests: mention histories in the real ES, alert configs, a local SMTP server."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from core.config import LoadedConfig
from core.mention import Mention
from index.indexer import Indexer
from index.names import IndexNames
from tests.support import free_port

# A fixed "now" for every test: Friday 20 Nov 2026, 14:00 UTC (15:00 in Paris).
NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)


@dataclass
class History:
    """Builds mentions and indexes them into the test's indices."""

    indexer: Indexer
    make_mention: Callable[..., Mention]
    seq: int = 0
    mentions: list[Mention] = field(default_factory=list)

    def mention(
        self, published_at: datetime, *, brand: str = "Velora", label: str = "neutral", **fields: Any
    ) -> Mention:
        self.seq += 1
        score = {"negative": -0.7, "neutral": 0.0, "positive": 0.6}[label]
        data: dict[str, Any] = {
            "url": f"https://forum.example.fr/t/{self.seq // 5}#p{self.seq}",
            "brands": [brand],
            "published_at": published_at,
            "first_seen_at": published_at + timedelta(minutes=5),
            "sentiment": {"label": label, "score": score, "model": "test"},
            "brand_sentiments": [{"brand": brand, "label": label, "score": score, "model": "test"}],
            "author": {"name": f"user{self.seq % 13}", "influence": 10.0},
        }
        data.update(fields)
        mention = self.make_mention(**data)
        self.mentions.append(mention)
        return mention

    def steady(self, *, brand: str = "Velora", days: int = 15, per_hour: float = 4, negative: float = 0.15,
               end: datetime = NOW, seed: int = 1) -> None:  # fmt: skip
        """Ordinary chatter: about ``per_hour`` mentions an hour for ``days`` days before ``end``."""
        rng = random.Random(seed)
        start = end - timedelta(days=days)
        t = start
        while t < end:
            t += timedelta(minutes=rng.expovariate(per_hour / 60))
            if t < end:
                self.mention(t, brand=brand, label="negative" if rng.random() < negative else "neutral")

    def burst(
        self, start: datetime, count: int, *, minutes: int = 50, brand: str = "Velora", **fields: Any
    ) -> None:
        """``count`` negative mentions spread over ``minutes`` from ``start``."""
        for i in range(count):
            self.mention(
                start + timedelta(minutes=minutes * i / count), brand=brand, label="negative", **fields
            )

    def flush(self) -> None:
        report = self.indexer.index(self.mentions)
        assert not report.failed, report.failed
        self.mentions = []


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def history(es_client, index_names: IndexNames, make_mention) -> History:
    return History(Indexer(es_client, index_names, refresh=True), make_mention)


@pytest.fixture
def alert_config(config_factory) -> Callable[..., LoadedConfig]:
    """A config with the given rules (dicts) and, optionally, an smtp section."""

    def make(*rules: dict[str, Any], smtp: dict[str, Any] | None = None, **sections: Any) -> LoadedConfig:
        alerts = {"kibana_url": "http://kibana.test:5601", "rules": list(rules)}
        email: dict[str, Any] = {"from": "veille@example.org", "to": ["cm@example.org"], "smtp": smtp}
        return config_factory(alerts=alerts, notifications={"email": email}, **sections)

    return make


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Envelope] = []

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        self.messages.append(envelope)
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox
    controller: Controller | None = None

    def start(self) -> None:
        def authenticate(
            server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
        ) -> AuthResult:
            ok = (
                isinstance(data, LoginPassword)
                and data.login == b"veille"
                and data.password == b"s3cret-pass"
            )
            return AuthResult(success=ok)

        self.controller = Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=authenticate,
            auth_require_tls=False,
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 (not started: tests start it, to test it being down first)."""
    server = SmtpServer(free_port(), Inbox())
    yield server
    server.stop()
