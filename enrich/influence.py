"""Author influence: a 0-100 score from what the sources show about an author, calibrated on the
authors seen so far so that it spreads over its whole range.

An author is a name on a site (domain + case-folded name); each of their mentions seen is recorded
once (by mention id, so replays do not count twice) and forgotten ``HORIZON`` after it was recorded.
Four components, each 0..1:

  activity  = min(1, log10(1 + posts) / log10(1 + 1000)), posts = max(author.posts shown on the
              page, mentions seen): 1,000 posts or more is the most active;
  audience  = min(1, log10(1 + mean views per mention) / log10(1 + 10000)), where pages show views;
  reactions = min(1, log10(1 + mean (replies + likes) per mention) / log10(1 + 50)), where shown;
  reach     = min(1, (sites where the same name was seen - 1) / 3): present on 4 sites or more is max.

  raw = 100 * (0.35 * activity + 0.25 * audience + 0.25 * reactions + 0.15 * reach) / (sum of
  the weights of the components the sources show).

A component the sources never show for this author (no views on that forum) is left out and the
weights of the others are scaled up, so authors of sites without counters are not pushed down.

Calibration. Raw scores bunch up: on a forum without counters most authors post a few times on one
site, so nearly everyone lands on the same raw value (the first version gave 70 to almost every
author of the demo, and the influential-author rule fired on all of them). The score users see is
therefore the author's percentile among the authors seen (mid-rank: the share with a lower raw
score plus half the share with an equal one), so 90 means "more influential than 90 % of the
voices we know", ties share the middle of their band, and the top of the range is for the few who
stand out. With fewer than ``CALIBRATION_MIN`` authors known, percentiles mean little: the score is
a blend, ``n / CALIBRATION_MIN`` percentile and the rest raw. The reference distribution is re-read
every ``REFERENCE_EVERY`` observations (a sorted list and a binary search, not a count per mention).
Anonymous mentions (no author name) get no score.
"""

from __future__ import annotations

import bisect
import math
import sqlite3
from datetime import datetime, timedelta

from core.mention import Mention
from core.text import fold

HORIZON = timedelta(days=365)
WEIGHTS = {"activity": 0.35, "audience": 0.25, "reactions": 0.25, "reach": 0.15}
POSTS_FULL, VIEWS_FULL, REACTIONS_FULL, SITES_FULL = 1000, 10_000, 50, 4
CALIBRATION_MIN = 30
REFERENCE_EVERY = 200

SCHEMA = """
CREATE TABLE IF NOT EXISTS author_post (
    mention_id TEXT PRIMARY KEY, author TEXT NOT NULL, domain TEXT NOT NULL, seen REAL NOT NULL,
    posts_shown INTEGER, views INTEGER, reactions INTEGER);
CREATE INDEX IF NOT EXISTS author_post_author ON author_post (author, domain);
CREATE INDEX IF NOT EXISTS author_post_seen ON author_post (seen);
CREATE TABLE IF NOT EXISTS author_raw (
    author TEXT NOT NULL, domain TEXT NOT NULL, raw REAL NOT NULL, PRIMARY KEY (author, domain));
"""


def _log_scale(value: float, full: float) -> float:
    return min(1.0, math.log10(1 + max(0.0, value)) / math.log10(1 + full))


def influence_score(posts: int, mean_views: float | None, mean_reactions: float | None, sites: int) -> float:
    """The raw formula of the module docstring (0-100, rounded to 0.1); None components are left out."""
    parts = {
        "activity": _log_scale(posts, POSTS_FULL),
        "audience": None if mean_views is None else _log_scale(mean_views, VIEWS_FULL),
        "reactions": None if mean_reactions is None else _log_scale(mean_reactions, REACTIONS_FULL),
        "reach": min(1.0, max(0, sites - 1) / (SITES_FULL - 1)),
    }
    shown = {name: value for name, value in parts.items() if value is not None}
    weight = sum(WEIGHTS[name] for name in shown)
    return round(100 * sum(WEIGHTS[name] * value for name, value in shown.items()) / weight, 1)


class AuthorStats:
    """Records what was seen of each author (table ``author_post``) and scores them."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.executescript(SCHEMA)
        self._reference: list[float] | None = None  # sorted raw scores of the authors known
        self._since_reference = 0

    def observe(self, mention: Mention, now: datetime) -> float | None:
        """Record ``mention`` and return its author's influence, counting everything seen so far."""
        name = (mention.author.name or "").strip()
        if not name:
            return None
        author, domain = fold(" ".join(name.split())), mention.source.domain
        eng = mention.engagement
        reactions = (
            None if eng.replies is None and eng.likes is None else (eng.replies or 0) + (eng.likes or 0)
        )
        self.db.execute(
            "INSERT OR REPLACE INTO author_post"
            " (mention_id, author, domain, seen, posts_shown, views, reactions) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (mention.id, author, domain, now.timestamp(), mention.author.posts, eng.views, reactions),
        )
        seen, shown, views, reacts = self.db.execute(
            "SELECT COUNT(*), MAX(posts_shown), AVG(views), AVG(reactions) FROM author_post"
            " WHERE author = ? AND domain = ?",
            (author, domain),
        ).fetchone()
        sites = self.db.execute("SELECT COUNT(DISTINCT domain) FROM author_post WHERE author = ?", (author,))
        raw = influence_score(max(seen, shown or 0), views, reacts, sites.fetchone()[0])
        self.db.execute(
            "INSERT OR REPLACE INTO author_raw (author, domain, raw) VALUES (?, ?, ?)", (author, domain, raw)
        )
        return self.calibrated(raw)

    def calibrated(self, raw: float) -> float:
        """The score users see for a raw score: its percentile among known authors (docstring)."""
        if self._reference is None or self._since_reference >= REFERENCE_EVERY:
            rows = self.db.execute("SELECT raw FROM author_raw ORDER BY raw").fetchall()
            self._reference, self._since_reference = [row[0] for row in rows], 0
        self._since_reference += 1
        return calibrate(raw, self._reference)

    def prune(self, now: datetime) -> int:
        cursor = self.db.execute("DELETE FROM author_post WHERE seen < ?", ((now - HORIZON).timestamp(),))
        if cursor.rowcount:
            self.db.execute(
                "DELETE FROM author_raw WHERE NOT EXISTS (SELECT 1 FROM author_post p"
                " WHERE p.author = author_raw.author AND p.domain = author_raw.domain)"
            )
            self._reference = None
        return cursor.rowcount


def calibrate(raw: float, reference: list[float]) -> float:
    """Mid-rank percentile of ``raw`` in the sorted ``reference``, blended with ``raw`` while fewer
    than ``CALIBRATION_MIN`` authors are known; 0-100, rounded to 0.1."""
    if not reference:
        return raw
    below = bisect.bisect_left(reference, raw)
    equal = bisect.bisect_right(reference, raw) - below
    percentile = 100 * (below + 0.5 * equal) / len(reference)
    weight = min(1.0, len(reference) / CALIBRATION_MIN)
    return round(weight * percentile + (1 - weight) * raw, 1)
