"""Generated sites for the benchmarks: a phpBB forum of any size and a thousand small feeds.

``/bench/forum/<threads>/viewforum.php?f=1`` lists ``threads`` threads of ten posts each (one page
per thread); ``/bench/feeds/<n>.xml`` (n < 1000) is a feed whose ETag changes on every request
when n is a multiple of 10 and never otherwise, so a second poll cycle gets 90% of 304s.
"""

from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta
from itertools import count

from veille.demo_web import forum, texts
from veille.demo_web.render import Reply, esc, html, not_found, rfc822
from veille.demo_web.world import Forum, Post, Thread

MAX_THREADS = 50_000
FEEDS = 1000
_BANKS = [texts.VELORA_PRAISE_FR, texts.VELORA_COMPLAINT_FR, texts.LANTIER_PRAISE_FR, texts.OFFTOPIC_FR]


class BenchSites:
    """Lazily built, cached per size: building a 2,000-thread forum takes a few tens of ms."""

    def __init__(self, started: datetime) -> None:
        self.started = started
        self._forums: dict[int, Forum] = {}
        self._lock = threading.Lock()
        self._hits = count()

    def _forum(self, size: int) -> Forum:
        with self._lock:
            if size not in self._forums:
                rng = random.Random(size)
                board = Forum(1, f"Forum généré ({size} sujets)", "Pour mesurer le débit du crawler")
                post_id = 0
                for t in range(1, size + 1):
                    thread = Thread(t, 1, f"Sujet généré n°{t}", views=t)
                    for p in range(10):
                        post_id += 1
                        at = self.started - timedelta(minutes=(size - t) * 10 + (10 - p))
                        text = rng.choice(rng.choice(_BANKS)).format(
                            city="Lyon", n=5, amount="29,99", competitor="Orbitel", days=10
                        )
                        thread.posts.append(
                            Post(post_id, rng.choice(texts.FORUM_AUTHORS), 50, at, thread.title, text)
                        )
                    board.threads.append(thread)
                self._forums = {size: board}  # keep one size only: memory stays bounded
            return self._forums[size]

    def handle_forum(self, size: int, page: str, query: dict[str, str], now: datetime) -> Reply:
        if not 1 <= size <= MAX_THREADS:
            return not_found("Banc d'essai")
        board = self._forum(size)
        start = int(query.get("start", "0")) if query.get("start", "0").isdigit() else 0
        if page == "viewforum.php":
            threads = sorted(board.threads, key=lambda t: t.id)
            return html(board.title, forum.render_topic_list(board, threads, start, now), site="Banc d'essai")
        if page == "viewtopic.php" and query.get("t", "").isdigit() and 1 <= int(query["t"]) <= size:
            thread = board.threads[int(query["t"]) - 1]
            return html(thread.title, forum.render_thread_page(thread, start, now), site="Banc d'essai")
        return not_found("Banc d'essai")

    def handle_feed(self, number: int, base: str) -> Reply:
        if not 0 <= number < FEEDS:
            return not_found("Banc d'essai")
        changing = number % 10 == 0
        version = next(self._hits) if changing else 0
        at = self.started - timedelta(hours=number % 24)
        items = "".join(
            f"<item><title>Velora : brève {number}-{version}-{i}</title><link>{base}/news/?b={number}-{version}-{i}"
            f"</link><guid>bench-{number}-{version}-{i}</guid><pubDate>{rfc822(at)}</pubDate>"
            f"<description>{esc(texts.VELORA_NEUTRAL_FR[i % 8].format(city='Lyon', competitor='Orbitel', amount='9', n=1, days=1))}"
            "</description></item>"
            for i in range(5)
        )
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Fil {number}</title>'
            f"<link>{base}/</link><description>Banc d'essai</description>{items}</channel></rss>"
        )
        headers = {"ETag": f'"bench-{number}-{version}"'}
        return Reply(xml, content_type="application/rss+xml; charset=utf-8", headers=headers)
