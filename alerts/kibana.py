"""Links to Kibana Discover showing the mentions behind an alert (query and time range preset)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote


def _rison_string(value: str) -> str:
    # Rison quotes strings with ' and escapes ' and ! with !
    return "'" + value.replace("!", "!!").replace("'", "!'") + "'"


def _zulu(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def discover_url(base: str, data_view: str, kql: str, start: datetime, end: datetime) -> str:
    """Discover on ``data_view`` with the KQL query ``kql`` between ``start`` and ``end``."""
    g = f"(time:(from:'{_zulu(start)}',to:'{_zulu(end)}'))"
    a = (
        f"(dataSource:(dataViewId:{_rison_string(data_view)},type:dataView),"
        f"query:(language:kuery,query:{_rison_string(kql)}))"
    )
    safe = "(),:!'*"
    return f"{base.rstrip('/')}/app/discover#/?_g={quote(g, safe=safe)}&_a={quote(a, safe=safe)}"
