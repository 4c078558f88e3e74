"""The demo web: a phpBB forum, a WordPress blog, a review site and a news site with feeds, all
local, telling the story of Velora's bad day; the test bed of the crawlers and the demo's content."""

from veille.demo_web.server import DEFAULT_PORT, DemoServer, serve

__all__ = ["DEFAULT_PORT", "DemoServer", "serve"]
