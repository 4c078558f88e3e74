"""Read Mentions from JSON lines, validating each line and naming the bad ones."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from core.mention import Mention
from core.sanitize import decode_utf8, find_surrogate


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


def read_json_objects(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, object, None) per JSON object line, (line number, None, reason) otherwise;
    blank lines are skipped. A line that is not UTF-8 (Latin-1 text, say) or holds a lone
    surrogate (``"\\ud800"``) is reported as bad, never silently altered: it costs that line only."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = decode_utf8(raw)
            except ValueError as exc:
                yield number, None, str(exc)
                continue
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, None, f"not valid JSON ({exc.msg} at column {exc.colno})"
                continue
            if not isinstance(data, dict):
                yield number, None, f"expected a JSON object, found {type(data).__name__}"
                continue
            where = find_surrogate(data)
            if where:
                yield number, None, f"{where}: lone surrogate (an invalid \\ud800-\\udfff escape)"
                continue
            yield number, data, None


def read_mentions(path: Path) -> Iterator[Mention | BadLine]:
    """Yield a Mention per valid line and a BadLine (number and reason) per invalid one."""
    for number, data, problem in read_json_objects(path):
        if data is None:
            yield BadLine(number, problem or "unreadable")
            continue
        try:
            yield Mention.from_document(data)
        except ValidationError as exc:
            yield BadLine(number, _explain(exc))
