"""The demo web: a phpBB forum, a WordPress blog, a review site and a news site with feeds, all
local, telling the story of Velora's bad day; the test bed of the crawlers and the demo's content.

The server is imported on first use, so that reading ``DEMO_PORT`` (a CLI option default) does
not load the whole demo world.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from veille.demo_web.config import DEMO_PORT

if TYPE_CHECKING:
    from veille.demo_web.server import DemoServer, serve

__all__ = ["DEMO_PORT", "DemoServer", "serve"]


def __getattr__(name: str) -> Any:
    if name in ("DemoServer", "serve"):
        from veille.demo_web import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
