"""The shipped config.yaml pointed at a demo web on another address.

config.yaml's demo sources read ``http://127.0.0.1:8765`` (``DEMO_PORT``, the one place that
number is written in code). Tests (and a demo started with
``--port``) serve the demo web elsewhere: ``rebase_config`` rewrites that base URL in the text of
the config, everything else unchanged, so the shipped file itself is what gets exercised.
"""

from __future__ import annotations

from pathlib import Path

# The port the demo web listens on by default, and the one the shipped config.yaml names.
DEMO_PORT = 8765
DEMO_BASE_URL = f"http://127.0.0.1:{DEMO_PORT}"


def rebase_config(text: str, base_url: str) -> str:
    """``text`` with every demo source moved from ``DEMO_BASE_URL`` to ``base_url``."""
    return text.replace(DEMO_BASE_URL, base_url.rstrip("/"))


def shipped_config_text() -> str:
    """The config.yaml shipped with Veille (not a local override)."""
    from core.config import default_config_path

    path = Path(__file__).resolve().parents[2] / "config.yaml"
    return (path if path.exists() else default_config_path()).read_text(encoding="utf-8")
