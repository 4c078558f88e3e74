"""The audit trail: one JSON line per action taken in the workspace (who, what, on which mention)."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


class AuditLog:
    """Appends to ``path``; a line is flushed before the action's answer is sent."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, user: str, action: str, **details: Any) -> None:
        line = {"at": datetime.now(UTC).isoformat(), "user": user, "action": action, **details}
        text = json.dumps(line, ensure_ascii=False, default=str)
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(text + "\n")
        logger.info("audit: %s", text)

    def lines(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line]
