"""Extraction quality on the development corpus of real pages (tests/crawlers/real_pages).

Every page goes through the extraction cascade with ``preset: auto`` (no per-site
configuration), as a new source would. Compared with the hand annotations of
``expected.json``: items found against the page's count, and for the annotated items (first
and last of each page) whether an extracted item has their text, and then the right author,
date (calendar day) and rating. Printed per platform, with the layers that found the items.

    PYTHONPATH=. .venv/bin/python bench/extraction_quality.py [-v]
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "crawlers" / "real_pages"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _fold(text: str | None) -> str:
    from core.text import fold_text as fold

    return " ".join(fold(text or "").replace("’", "'").split())


def _name(text: str | None) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in _fold(text)).split())


def _same_person(found: str | None, expected: str) -> bool:
    """Names compared without punctuation ("Lucia I. Suarez" = "Lucia I Suarez"); a byline
    of several authors ("A; B; CNN", as the article layer gives it) matches its first one."""
    return bool(found) and _name((found or "").split(";")[0]) == _name(expected)


def _days(when: datetime | None) -> set[str]:
    """The calendar days ``when`` falls on from UTC-10 to UTC+2: where the corpus' sites are.

    Mentions keep UTC instants, not the offset the page printed, so a comment posted at
    23:21 in New York is on the next day in UTC; the annotation is the day the page shows.
    """
    if when is None:
        return set()
    return {(when + timedelta(hours=h)).date().isoformat() for h in (-10, -7, -5, -4, 0, 1, 2)}


def _match(expected: dict, mentions: list) -> object | None:
    """The item with the annotated words: the one that is exactly them ("Thanks"), else the first
    that starts with them, else the first that has them in its first 400 characters."""
    words = _fold(expected["text"])
    if not words:
        return None
    texts = [(_fold(mention.text)[:400], mention) for mention in mentions]
    for test in (str.__eq__, str.startswith, lambda text, w: w in text):
        for text, mention in texts:
            if test(text, words):
                return mention
    return None


def run(verbose: bool = False) -> int:
    from crawlers.spiders.cascade import extract_page
    from crawlers.spiders.extract import PageContext

    # expected.json (blogs, news, reviews) and expected_forums.json (forums, Q&A) share one format.
    pages = [
        page
        for index in sorted(CORPUS.glob("expected*.json"))
        for page in json.loads(index.read_text(encoding="utf-8"))["pages"]
    ]
    rows: dict[str, Counter] = defaultdict(Counter)
    # Pages added after the presets were written and measured before any change made for them.
    heldout: Counter = Counter()
    layers: Counter = Counter()
    kinds: Counter = Counter()  # what the items beyond the annotated count are
    silent = []
    started = time.monotonic()
    for page in pages:
        html = gzip.decompress((CORPUS / "pages" / page["file"]).read_bytes()).decode("utf-8")
        kind = page.get("kind", "blog")  # a forum thread has no article of its own to add
        ctx = PageContext(source="bench", kind=kind, tz=ZoneInfo("UTC"), now=NOW, thread_url=page["url"])
        result = extract_page(html, page["url"], ctx)
        found = result.mentions
        row: Counter = Counter()  # this page's counts, added to its platform's row below
        row["pages"] += 1
        row["expected"] += page["count"]
        # Counted against the annotation: the comments/reviews the page shows. The page's own
        # article and schema.org reviews absent from the markup are real items too, but the
        # annotation does not count them, so they may not make up for missed comments.
        articles = [m for m in found if m.anchor is None]
        hidden = (
            [m for m in found if result.layers.get(m.id) == "schema.org"]
            if page["platform"] != "schema.org"
            else []
        )
        shown = len(found) - len(articles) - len(hidden)
        if page["platform"] == "news":
            # A news page's item is the article itself (anchorless); comments, if any, are extra.
            shown = len(articles)
        row["found"] += min(shown, page["count"])
        row["extra"] += max(0, shown - page["count"])
        if verbose and shown != page["count"]:
            print(f"  COUNT {page['file']}: {shown} found, {page['count']} expected")
        if not found:
            row["zero"] += 1
            if not result.problems:
                silent.append(page["file"])
        layers.update(result.layers.values())
        kinds["the page's own article (anchorless)"] += sum(1 for m in found if m.anchor is None)
        kinds["schema.org only (not in the page's markup)"] += sum(
            1 for m in found if result.layers.get(m.id) == "schema.org"
        )
        for which in ("first", "last"):
            expected = page[which]
            if expected is None:  # one-item pages (news) annotate only their first item
                continue
            row["annotated"] += 1
            mention = _match(expected, found)
            if mention is None:
                if verbose:
                    print(f"  MISSING {page['file']} {which}: {expected['text']!r}")
                continue
            row["text"] += 1
            if expected["author"]:
                row["authored"] += 1
                ok = _same_person(mention.author.name, expected["author"])
                row["author"] += ok
                if verbose and not ok:
                    got = mention.author.name
                    print(f"  AUTHOR {page['file']} {which}: {got!r} != {expected['author']!r}")
            if expected["date"]:
                row["dated"] += 1
                got = _days(mention.published_at)
                row["date"] += expected["date"] in got
                if verbose and expected["date"] not in got:
                    print(f"  DATE {page['file']} {which}: {got} != {expected['date']}")
            if expected["rating"] is not None:
                row["rated"] += 1
                row["rating"] += bool(mention.rating and mention.rating.value == expected["rating"])
        rows[page["platform"]].update(row)
        if page.get("heldout"):
            heldout.update(row)
    seconds = time.monotonic() - started
    forums = {page["platform"] for page in pages if page.get("kind") == "forum"}
    _print(rows, layers, silent, len(pages), seconds, forums, heldout)
    print("items outside the annotated comments:", ", ".join(f"{k}: {v}" for k, v in kinds.items()))
    return 1 if silent else 0


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def _print(
    rows: dict[str, Counter],
    layers: Counter,
    silent: list[str],
    pages: int,
    seconds: float,
    forums: set[str] = frozenset(),
    heldout: Counter | None = None,
) -> None:
    total, forum_total = Counter(), Counter()
    for name, row in rows.items():
        total.update(row)
        if name in forums:
            forum_total.update(row)
    header = (
        f"{'platform':<13} {'pages':>5} {'zero':>4} {'items':>9} {'found':>6} {'extra':>5}"
        f" {'text':>6} {'author':>6} {'date':>6} {'rating':>6}"
    )
    print(header)
    print("-" * len(header))
    subtotal = [("forums+Q&A", forum_total)] if forum_total else []
    subtotal += [("(held-out)", heldout)] if heldout else []
    for name, row in [*sorted(rows.items()), *subtotal, ("ALL", total)]:
        print(
            f"{name:<13} {row['pages']:>5} {row['zero']:>4} {row['found']:>4}/{row['expected']:<4}"
            f" {_pct(row['found'], row['expected']):>6} {row['extra']:>5}"
            f" {_pct(row['text'], row['annotated']):>6} {_pct(row['author'], row['authored']):>6}"
            f" {_pct(row['date'], row['dated']):>6} {_pct(row['rating'], row['rated']):>6}"
        )
    print()
    print(
        f"annotated items: {total['annotated']} (text), {total['authored']} with an author,"
        f" {total['dated']} with a date, {total['rated']} with a rating"
    )
    print("items by layer:", ", ".join(f"{k} {v}" for k, v in layers.most_common()))
    print(f"pages silently at zero (no item, no problem reported): {len(silent)} {silent or ''}")
    print(f"{pages} pages in {seconds:.1f}s")


if __name__ == "__main__":
    sys.exit(run(verbose="-v" in sys.argv))
