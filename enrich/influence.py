"""Author influence: a transparent 0-100 score from what the sources show about an author.

An author is a name on a site (domain + case-folded name); each of their mentions seen is recorded
once (by mention id, so replays do not count twice) and forgotten ``HORIZON`` after it was recorded.
Four components, each 0..1:

  activity  = min(1, log10(1 + posts) / log10(1 + 1000)), posts = max(author.posts shown on the
              page, mentions seen): 1,000 posts or more is the most active;
  audience  = min(1, log10(1 + mean views per mention) / log10(1 + 10000)), where pages show views;
  reactions = min(1, log10(1 + mean (replies + likes) per mention) / log10(1 + 50)), where shown;
  reach     = min(1, (sites where the same name was seen - 1) / 3): present on 4 sites or more is max.

  influence = 100 * (0.35 * activity + 0.25 * audience + 0.25 * reactions + 0.15 * reach) / (sum of
  the weights of the components the sources show), rounded to 0.1.

A component the sources never show for this author (no views on that forum) is left out and the
weights of the others are scaled up, so authors of sites without counters are not pushed down.
Anonymous mentions (no author name) get no score.
"""

from __future__ import annotations

import math
import sqlite3
from datetime import datetime, timedelta

from core.mention import Mention
from core.text import fold

HORIZON = timedelta(days=365)
WEIGHTS = {"activity": 0.35, "audience": 0.25, "reactions": 0.25, "reach": 0.15}
POSTS_FULL, VIEWS_FULL, REACTIONS_FULL, SITES_FULL = 1000, 10_000, 50, 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS author_post (
    mention_id TEXT PRIMARY KEY, author TEXT NOT NULL, domain TEXT NOT NULL, seen REAL NOT NULL,
    posts_shown INTEGER, views INTEGER, reactions INTEGER);
CREATE INDEX IF NOT EXISTS author_post_author ON author_post (author, domain);
CREATE INDEX IF NOT EXISTS author_post_seen ON author_post (seen);
"""


def _log_scale(value: float, full: float) -> float:
    return min(1.0, math.log10(1 + max(0.0, value)) / math.log10(1 + full))


def influence_score(posts: int, mean_views: float | None, mean_reactions: float | None, sites: int) -> float:
    """The formula of the module docstring; None components are left out."""
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
        return influence_score(max(seen, shown or 0), views, reacts, sites.fetchone()[0])

    def prune(self, now: datetime) -> int:
        cursor = self.db.execute("DELETE FROM author_post WHERE seen < ?", ((now - HORIZON).timestamp(),))
        return cursor.rowcount
