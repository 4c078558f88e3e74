"""Read Mentions from JSON lines, validating each line and naming the bad ones."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from core.mention import Mention


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def _explain(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "(line)"
        parts.append(f"{where}: {error['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def read_mentions(path: Path) -> Iterator[Mention | BadLine]:
    """Yield a Mention per valid line and a BadLine (number and reason) per invalid one."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield BadLine(number, f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(data, dict):
                yield BadLine(number, f"expected a JSON object, found {type(data).__name__}")
                continue
            try:
                yield Mention.from_document(data)
            except ValidationError as exc:
                yield BadLine(number, _explain(exc))
