"""Story grouping: near-duplicate mentions (syndicated news, quotes, cross-posts) share a story id.

Each text becomes a 128-value MinHash of its word 3-shingles (accent- and case-folded). Candidates
come from LSH bands kept in SQLite, so grouping works across batches and runs (rows per band are
the most that still find >= 90% of pairs at the threshold: 16 bands of 8 rows at 0.8); a
candidate joins when its estimated Jaccard similarity reaches ``nlp.story_threshold`` and it was
published within ``nlp.story_window``. The story id is derived from the first mention of the story.
Texts shorter than ``MIN_WORDS`` ("Merci !") are their own story: they are not news being repeated.
Re-processing a mention (a replay after a crash) returns the story it got the first time.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from datetime import datetime, timedelta

import numpy as np

from enrich.text import words

NUM_PERM = 128
MIN_RECALL = 0.9
SHINGLE = 3
MIN_WORDS = 8
MAX_SIGNATURES = 200_000  # hard cap on stored signatures, whatever the window
_PRIME = (1 << 61) - 1
_MASK = (1 << 32) - 1
_rng = np.random.RandomState(20240601)  # fixed: signatures must compare across runs
_A = _rng.randint(1, 1 << 31, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, 1 << 31, size=NUM_PERM, dtype=np.uint64)
_P, _M, _SHIFT = np.uint64(_PRIME), np.uint64(_MASK), np.uint64(61)

SCHEMA = """
CREATE TABLE IF NOT EXISTS story_signature (
    mention_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, ts REAL NOT NULL, seen REAL NOT NULL,
    signature BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS story_signature_seen ON story_signature (seen);
CREATE TABLE IF NOT EXISTS story_band (key INTEGER NOT NULL, mention_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS story_band_key ON story_band (key);
CREATE INDEX IF NOT EXISTS story_band_mention ON story_band (mention_id);
"""


def minhash(text: str) -> np.ndarray | None:
    """The MinHash signature of ``text``, or None when it is too short to be a story."""
    tokens = words(text)
    if len(tokens) < MIN_WORDS:
        return None
    # The shifted copies stop where the last full shingle ends (hence strict=False).
    shingles = set(map(" ".join, zip(*(tokens[k:] for k in range(SHINGLE)), strict=False)))
    # map, not a generator expression: no Python frame per shingle.
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, shingles)), dtype=np.uint64, count=len(shingles))
    # (a*x + b) mod p, with a, b < 2**31 and x < 2**32: below 2**64, no overflow in uint64. As p is
    # the Mersenne prime 2**61 - 1, x mod p = (x & p) + (x >> 61), less p once if that reaches p:
    # the same values as numpy's %, which divides and takes a third of the time of this function.
    permuted = np.multiply.outer(hashes, _A)
    permuted += _B
    reduced = permuted & _P
    permuted >>= _SHIFT
    reduced += permuted
    np.subtract(reduced, _P, out=reduced, where=reduced >= _P)
    reduced &= _M
    return reduced.min(axis=0).astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(np.count_nonzero(a == b)) / NUM_PERM


def lsh_shape(threshold: float) -> tuple[int, int]:
    """(bands, rows): fewest false candidates while pairs at ``threshold`` are still found."""
    for rows in (16, 8, 4, 2, 1):
        bands = NUM_PERM // rows
        if 1 - (1 - threshold**rows) ** bands >= MIN_RECALL:
            return bands, rows
    return NUM_PERM, 1


def story_id_for(mention_id: str) -> str:
    return "st-" + hashlib.blake2b(mention_id.encode(), digest_size=8).hexdigest()


class StoryStore:
    """Assigns story ids; state lives in the enrich SQLite database (tables ``story_*``)."""

    def __init__(self, db: sqlite3.Connection, threshold: float, window: timedelta) -> None:
        self.db = db
        self.threshold = threshold
        self.window = window
        self.bands, self.rows = lsh_shape(threshold)
        db.executescript(SCHEMA)

    def assign(self, mention_id: str, text: str, published_at: datetime, now: datetime) -> str:
        row = self.db.execute(
            "SELECT story_id FROM story_signature WHERE mention_id = ?", (mention_id,)
        ).fetchone()
        if row:
            return str(row[0])
        signature = minhash(text)
        if signature is None:
            return story_id_for(mention_id)
        ts = published_at.timestamp()
        # One key per band: the band number and its rows, hashed to a signed 63-bit SQLite integer.
        raw, width = signature.tobytes(), self.rows * signature.itemsize
        keys = [
            int.from_bytes(
                hashlib.blake2b(
                    bytes([self.rows, band]) + raw[band * width : (band + 1) * width], digest_size=8
                ).digest(),
                "big",
                signed=True,
            )
            for band in range(self.bands)
        ]
        story = self._best_match(signature, keys, ts) or story_id_for(mention_id)
        self.db.execute(
            "INSERT INTO story_signature (mention_id, story_id, ts, seen, signature) VALUES (?, ?, ?, ?, ?)",
            (mention_id, story, ts, now.timestamp(), signature.tobytes()),
        )
        self.db.executemany(
            "INSERT INTO story_band (key, mention_id) VALUES (?, ?)", [(key, mention_id) for key in keys]
        )
        return story

    def _best_match(self, signature: np.ndarray, keys: list[int], ts: float) -> str | None:
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            "SELECT DISTINCT s.mention_id, s.story_id, s.ts, s.signature FROM story_band b"
            f" JOIN story_signature s ON s.mention_id = b.mention_id WHERE b.key IN ({marks})"
            " AND s.ts BETWEEN ? AND ?",
            [*keys, ts - self.window.total_seconds(), ts + self.window.total_seconds()],
        ).fetchall()
        best: tuple[float, float, str] | None = None
        for _mention, story, other_ts, blob in sorted(rows):
            score = similarity(signature, np.frombuffer(blob, dtype=np.uint32))
            # Highest similarity wins; ties go to the oldest story, so the result is order-stable.
            if score >= self.threshold and (best is None or (score, -other_ts) > (best[0], -best[1])):
                best = (score, other_ts, str(story))
        return best[2] if best else None

    def prune(self, now: datetime) -> int:
        """Forget signatures recorded more than twice the window before ``now`` (a copy of a story
        comes within days; a backfill of old posts still groups), and keep the hard cap."""
        cutoff = (now - 2 * self.window).timestamp()
        old = [
            r[0] for r in self.db.execute("SELECT mention_id FROM story_signature WHERE seen < ?", (cutoff,))
        ]
        count = self.db.execute("SELECT COUNT(*) FROM story_signature").fetchone()[0]
        if count - len(old) > MAX_SIGNATURES:
            extra = count - len(old) - MAX_SIGNATURES
            old += [
                r[0]
                for r in self.db.execute(
                    "SELECT mention_id FROM story_signature WHERE seen >= ? ORDER BY seen LIMIT ?",
                    (cutoff, extra),
                )
            ]
        self.db.executemany("DELETE FROM story_band WHERE mention_id = ?", [(m,) for m in old])
        self.db.executemany("DELETE FROM story_signature WHERE mention_id = ?", [(m,) for m in old])
        return len(old)
