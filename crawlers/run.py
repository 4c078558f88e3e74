"""Child-process entry point of a site crawl: ``python -m crawlers.run --config ... --result ...``.

Twisted's reactor cannot be restarted within one process, so every crawl runs here, in a fresh
interpreter started by ``crawlers.crawl.crawl_sites``; all selected sources crawl concurrently
in one reactor, and the per-source summaries are written as JSON to the ``--result`` file.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from core.config import load_config
from core.errors import VeilleError
from core.logsetup import setup_logging
from crawlers.sources import select_sites, source_tz
from crawlers.summary import SourceSummary

logger = logging.getLogger(__name__)


def run(config_path: Path, source: str | None, result_path: Path, log_level: int = logging.WARNING) -> int:
    from scrapy.crawler import AsyncCrawlerProcess

    from crawlers.spiders.profiles import ProfileError, build_profile, check_profile
    from crawlers.spiders.settings import scrapy_settings
    from crawlers.spiders.site import SiteSpider

    loaded = load_config(config_path)
    config = loaded.config
    sites = select_sites(config, source)
    process = AsyncCrawlerProcess(scrapy_settings(loaded))
    # Scrapy has just set its loggers back to DEBUG: without this every scraped or dropped item
    # would build a log record (with the item's repr) only for the handler to throw it away.
    _quiet_libraries(log_level)
    crawlers = []
    summaries = []
    for kind, site in sites:
        try:
            check_profile(site.name, build_profile(site))
        except ProfileError as exc:
            logger.error("%s", exc)
            broken = SourceSummary(site.name, kind)
            broken.errors.append(str(exc))
            summaries.append(broken.to_dict())
            continue
        crawler = process.create_crawler(SiteSpider)
        timeout = (site.timeout or config.crawl.timeout).total_seconds()
        process.crawl(
            crawler,
            source=site,
            kind=kind,
            tz=str(source_tz(config, site)),
            timeout=timeout,
            max_size=config.crawl.max_page_size,
        )
        crawlers.append((site, kind, crawler))
    process.start(install_signal_handlers=False)
    for site, kind, crawler in crawlers:
        spider = crawler.spider
        summary = spider.summary if isinstance(spider, SiteSpider) else SourceSummary(site.name, kind)
        if spider is None:
            summary.error(str(site.start_urls[0]), "the crawler did not start (see the log)")
        summaries.append(summary.to_dict())
    order = {site.name: index for index, (_, site) in enumerate(sites)}
    summaries.sort(key=lambda summary: order[summary["source"]])
    result_path.write_text(json.dumps(summaries, ensure_ascii=False), encoding="utf-8")
    return 0


def _quiet_libraries(level: int) -> None:
    for name in ("scrapy", "twisted", "py.warnings"):
        logging.getLogger(name).setLevel(_LibraryLevel.threshold(level))


class _LibraryLevel(logging.Filter):
    """Keep Scrapy and Twisted records at or above ``level``.

    Scrapy resets its loggers to DEBUG while it configures itself, so the level is enforced on
    the root handler instead, which Scrapy leaves alone.
    """

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = self.threshold(level)

    @staticmethod
    def threshold(level: int) -> int:
        """-vv (DEBUG) shows everything; otherwise the libraries speak from WARNING up."""
        return level if level <= logging.DEBUG else max(level, logging.WARNING)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(("scrapy", "twisted", "py.warnings")):
            if record.exc_info and _unreachable(record.exc_info[1]):
                # A site that refuses the connection is one line (and the summary's error), not
                # Scrapy's 60-line traceback: there is no bug to debug.
                record.exc_info, record.exc_text = None, None
            return record.levelno >= self.level
        return True


def _unreachable(exc: BaseException | None) -> bool:
    """The site cannot be reached (refused, unknown host), however deep Scrapy wrapped it."""
    from scrapy.exceptions import DownloadConnectionRefusedError
    from twisted.internet.error import ConnectionRefusedError, DNSLookupError

    while exc is not None:
        if isinstance(exc, DownloadConnectionRefusedError | ConnectionRefusedError | DNSLookupError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawlers.run", description=__doc__)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--result", type=Path, required=True, help="where to write the JSON summaries")
    parser.add_argument("--source", default=None)
    parser.add_argument("--data-dir", default=None, help="the parent's resolved data directory")
    parser.add_argument("--log-level", type=int, default=logging.WARNING)
    args = parser.parse_args(argv)
    setup_logging(args.log_level)
    for handler in logging.getLogger().handlers:
        # First in line, so that the redaction filter never formats a record dropped anyway.
        handler.filters.insert(0, _LibraryLevel(args.log_level))
    if args.data_dir:
        os.environ["VEILLE_DATA_DIR"] = args.data_dir
    try:
        return run(args.config, args.source, args.result, args.log_level)
    except VeilleError as exc:
        logger.error("%s", exc)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
