"""Collection: poll feeds, crawl forums, blogs and review sites, keep what names a brand.

``poll_feeds(loaded)`` and ``crawl_sites(loaded)`` run once and return one ``SourceSummary`` per
source; the mentions found go to the spool. Site crawls run in a child process (Scrapy).
"""

from crawlers.crawl import crawl_sites
from crawlers.feeds.poller import poll_feeds
from crawlers.summary import SourceSummary

__all__ = ["SourceSummary", "crawl_sites", "poll_feeds"]
