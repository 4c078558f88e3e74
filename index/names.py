"""Names of Veille's indices, templates and alias, all derived from one configurable prefix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class IndexNames:
    """``{prefix}-mentions-YYYY.MM`` monthly indices (by published date) behind one read alias."""

    prefix: str = "veille"

    @property
    def alias(self) -> str:
        """Read alias over every monthly mentions index: what Kibana and queries use."""
        return f"{self.prefix}-mentions"

    @property
    def pattern(self) -> str:
        return f"{self.prefix}-mentions-*"

    @property
    def template(self) -> str:
        return f"{self.prefix}-mentions"

    @property
    def component_mappings(self) -> str:
        return f"{self.prefix}-mentions-mappings"

    @property
    def component_settings(self) -> str:
        return f"{self.prefix}-mentions-settings"

    @property
    def alerts(self) -> str:
        """Alert state, notification history and digest records (``alerts/store.py``)."""
        return f"{self.prefix}-alerts"

    def monthly(self, published_at: datetime) -> str:
        """The index a mention published at ``published_at`` (any timezone) is written to."""
        return f"{self.prefix}-mentions-{published_at.astimezone(UTC):%Y.%m}"
