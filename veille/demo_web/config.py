"""The shipped config.yaml pointed at a demo web on another address.

config.yaml's demo sources read ``http://127.0.0.1:8765``. Tests (and a demo started with
``--port``) serve the demo web elsewhere: ``rebase_config`` rewrites that base URL in the text of
the config, everything else unchanged, so the shipped file itself is what gets exercised.
"""

from __future__ import annotations

from pathlib import Path

from core.config import default_config_path

DEMO_BASE_URL = "http://127.0.0.1:8765"


def rebase_config(text: str, base_url: str) -> str:
    """``text`` with every demo source moved from ``DEMO_BASE_URL`` to ``base_url``."""
    return text.replace(DEMO_BASE_URL, base_url.rstrip("/"))


def shipped_config_text() -> str:
    """The config.yaml shipped with Veille (not a local override)."""
    path = Path(__file__).resolve().parents[2] / "config.yaml"
    return (path if path.exists() else default_config_path()).read_text(encoding="utf-8")


def write_demo_config(path: Path, base_url: str, text: str | None = None) -> Path:
    """Write the shipped config (or ``text``), rebased on ``base_url``, to ``path``."""
    path.write_text(
        rebase_config(text if text is not None else shipped_config_text(), base_url), encoding="utf-8"
    )
    return path
