"""Collection throughput on the local demo web, against baselines measured in the same run.

1. Crawl a generated phpBB forum (``--threads`` threads of one page each, plus the listing pages)
   with Veille's forum spider (child process, full pipeline: parse, match, state, spool) and
   fetch the same URLs with a plain aiohttp client at the same concurrency. Prints pages/s of
   both and the ratio.
2. One poll cycle over ``--feeds`` local feeds of which 90% answer 304 (second cycle, after a
   first one stored the validators). Prints its wall time.

    .venv/bin/python bench/crawl_throughput.py [--threads 2000] [--concurrency 16] [--feeds 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import aiohttp
import yaml

from core.config import load_config
from crawlers.crawl import crawl_sites
from crawlers.feeds.poller import poll_feeds
from veille.demo_web import DemoServer
from veille.demo_web.config import shipped_config_text


def write_config(tmp: Path, sources: dict, concurrency: int) -> Path:
    data = yaml.safe_load(shipped_config_text())
    data["data_dir"] = str(tmp / "var")
    data["sources"] = sources
    crawl = {
        "concurrency_per_domain": concurrency,
        "autothrottle": False,
        "download_delay": "0s",
        "retries": 1,
    }
    data["crawl"].update(crawl)
    path = tmp / f"bench-{len(list(tmp.glob('bench-*.yaml')))}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


async def fetch_all(urls: list[str], concurrency: int) -> float:
    """Seconds for aiohttp to GET every URL, ``concurrency`` at a time; bodies read in full."""
    semaphore = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(url: str) -> int:
            async with semaphore, session.get(url) as response:
                await response.read()
                return response.status

        started = time.perf_counter()
        statuses = await asyncio.gather(*(one(url) for url in urls))
        elapsed = time.perf_counter() - started
    assert all(status == 200 for status in statuses), "the baseline met errors"
    return elapsed


def bench_crawl(server: DemoServer, tmp: Path, threads: int, concurrency: int) -> None:
    start = f"{server.base_url}/bench/forum/{threads}/viewforum.php?f=1"
    forum = {"name": "bench-forum", "start_urls": [start], "preset": "phpbb", "max_pages": threads * 2}
    loaded = load_config(write_config(tmp, {"forums": [forum]}, concurrency))
    server.requests.clear()
    wall = time.perf_counter()
    (summary,) = crawl_sites(loaded)
    wall = time.perf_counter() - wall
    urls = [
        f"{server.base_url}{path}" for method, path, status in server.requests if path.startswith("/bench/")
    ]
    assert summary.fetched >= 2000 and not summary.errors, summary
    baseline = asyncio.run(fetch_all(urls, concurrency))
    scrapy_rate = summary.fetched / summary.seconds
    plain_rate = len(urls) / baseline
    print(
        f"forum crawl: {summary.fetched} pages, {summary.items} posts, {summary.matched} spooled, "
        f"concurrency {concurrency}"
    )
    print(
        f"  Veille spider (Scrapy + parse + match + spool): {scrapy_rate:8.1f} pages/s "
        f"({summary.seconds:.2f} s crawling; {wall:.2f} s with the child process start)"
    )
    print(f"  plain aiohttp GET of the same {len(urls)} URLs:  {plain_rate:8.1f} pages/s ({baseline:.2f} s)")
    print(f"  ratio spider / plain client: {scrapy_rate / plain_rate:.2f}")


def bench_poll(server: DemoServer, tmp: Path, feeds: int, workers: int) -> None:
    sources = {
        "feeds": [
            {"name": f"feed-{n}", "url": f"{server.base_url}/bench/feeds/{n}.xml"} for n in range(feeds)
        ]
    }
    loaded = load_config(write_config(tmp, sources, 2))
    first = time.perf_counter()
    poll_feeds(loaded, workers=workers)
    first = time.perf_counter() - first
    second = time.perf_counter()
    summaries = poll_feeds(loaded, workers=workers)
    second = time.perf_counter() - second
    not_modified = sum(s.not_modified for s in summaries)
    fetched = sum(s.fetched for s in summaries)
    new = sum(s.new for s in summaries)
    assert not any(s.errors for s in summaries)
    print(f"poll cycle over {feeds} feeds ({workers} download threads):")
    print(f"  first cycle (all 200, validators stored): {first:.2f} s")
    print(
        f"  next cycle: {second:.2f} s — {not_modified} answered 304, {fetched} fetched and parsed, "
        f"{new} new entries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--threads", type=int, default=2000, help="threads of the generated forum")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=16, help="poller download threads")
    args = parser.parse_args()
    with DemoServer() as server, tempfile.TemporaryDirectory(prefix="veille-bench-") as tmp:
        bench_crawl(server, Path(tmp), args.threads, args.concurrency)
        bench_poll(server, Path(tmp), args.feeds, args.workers)


if __name__ == "__main__":
    main()
