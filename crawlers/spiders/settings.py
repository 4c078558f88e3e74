"""Scrapy settings derived from the ``crawl`` section: politeness and limits in one place."""

from __future__ import annotations

import logging
from typing import Any

from core.config import LoadedConfig

logger = logging.getLogger(__name__)

REDIRECT_MAX_TIMES = 5


def scrapy_settings(loaded: LoadedConfig) -> dict[str, Any]:
    crawl = loaded.config.crawl
    delay = crawl.download_delay.total_seconds()
    settings: dict[str, Any] = {
        "VEILLE_LOADED": loaded,
        "BOT_NAME": "veille",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots_txt,
        "CONCURRENT_REQUESTS": max(16, crawl.concurrency_per_domain),
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_domain,
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_DELAY_JITTER": 0.5,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        # Scrapy's 5 s start delay is for unknown sites; the throttle adapts from a gentler start.
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.5),
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrency_per_domain),
        "DOWNLOAD_TIMEOUT": crawl.timeout.total_seconds(),
        "RETRY_TIMES": crawl.retries,
        "DOWNLOAD_MAXSIZE": crawl.max_page_size,
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": REDIRECT_MAX_TIMES,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,  # no listening sockets from a crawl
        "STATS_DUMP": False,
        "LOG_ENABLED": True,
        "LOG_INSTALL_ROOT_HANDLER": False,  # core.logsetup's handler formats and redacts
        "RETRY_GIVE_UP_LOG_LEVEL": "INFO",  # the failure is reported once, in the source summary
        "ITEM_PIPELINES": {"crawlers.spiders.pipelines.CollectPipeline": 300},
        # process_response runs from high to low numbers: 650 sees a redirect before 600 follows it.
        # process_request runs from low to high: 50 checks a redirected request before robots.txt (100).
        "DOWNLOADER_MIDDLEWARES": {
            "crawlers.spiders.middlewares.RedirectGuard": 650,
            "crawlers.spiders.middlewares.ScopeGuard": 50,
        },
        # Every connection's addresses checked against the sources' confinement (crawlers/confine.py).
        "TWISTED_DNS_RESOLVER": "crawlers.spiders.resolver.ConfinedResolver",
    }
    logger.debug(
        "crawl settings: robots.txt %s, %d per domain, autothrottle %s, timeout %ss, retries %d, "
        "cap %d bytes",
        "obeyed" if crawl.obey_robots_txt else "IGNORED",
        crawl.concurrency_per_domain,
        crawl.autothrottle,
        crawl.timeout.total_seconds(),
        crawl.retries,
        crawl.max_page_size,
    )
    return settings
