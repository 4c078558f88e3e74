"""The generic layer: posts found with no preset, as repeated blocks with an author, a date and text.

A comment list or a thread is a run of sibling elements built from one template. Siblings are
grouped by tag and class; a group counts when at least two of its members carry a date Veille
can read and some text. The best group (most dated members, then most text) gives the posts.
Such posts seldom have an anchor: unless the block carries an engine's post id ("post123"),
their id comes from their content (author and first words), so it stays the same from one
crawl to the next. Replies nested with the same markup are posts too.

Page furniture that also repeats with dates is left out: blocks with a text field (search,
newsletter), teasers whose words are mostly links or one headline link, blocks whose words are
only their date and a label, and groups all stamped with the same second (the page's own date).
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections import defaultdict
from datetime import datetime, time
from urllib.parse import urldefrag

from lxml import html as lxml_html

from core.mention import Author
from core.text import fold, fold_text
from crawlers.dates import parse_date
from crawlers.spiders.extract import PageContext, PageResult, without_stamps
from crawlers.text import clean_space

_AUTHORISH = re.compile(r"author|user|name|pseudo|poster|byline|\bfn\b", re.IGNORECASE)
_DATEISH = re.compile(r"date|time|posted|meta", re.IGNORECASE)
_BODYISH = re.compile(r"content|text|body|message|\bmsg\b|-msg|comment|entry|post", re.IGNORECASE)
_SKIP = {"script", "style", "head", "nav", "header", "footer", "form", "select", "option", "svg"}
MIN_TEXT = 15


def content_anchor(author: str | None, text: str, prefix: str = "post") -> str:
    """A stable anchor for a post without one: hash of its author and first words."""
    words = " ".join(fold_text(text).split()[:40])
    raw = f"{fold(author or '')}|{words}"
    return f"{prefix}-{hashlib.sha256(raw.encode()).hexdigest()[:12]}"


_FURNITURE = ".//input[@type='search' or @type='text' or @type='email'] | .//*[@role='search']"


def _without_replies(block: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """A copy of ``block`` without the blocks like it nested inside (replies to a comment)."""
    signature = _signature(block)
    if not any(_signature(e) == signature for e in block.iterdescendants() if isinstance(e.tag, str)):
        return block
    own = copy.deepcopy(block)
    for nested in [e for e in own.iterdescendants() if isinstance(e.tag, str) and _signature(e) == signature]:
        if nested.getparent() is not None:
            nested.getparent().remove(nested)
    return own


def _with_replies(
    blocks: list[tuple[lxml_html.HtmlElement, datetime]], ctx: PageContext
) -> list[tuple[lxml_html.HtmlElement, datetime]]:
    """The blocks, each followed by the dated replies nested in it with the same markup."""
    out = []
    for block, when in blocks:
        out.append((block, when))
        signature = _signature(block)
        for nested in block.iterdescendants():
            same = isinstance(nested.tag, str) and _signature(nested) == signature
            if same and (nested_when := _date(nested, ctx)) is not None:
                out.append((nested, nested_when))
    return out


def _only_a_date(block: lxml_html.HtmlElement, text: str) -> bool:
    """The text is the block's date and a label or two ("August 12, 2011 4:00 AM PDT", "InfoQ Live
    AUGUST 23, 2022"): a dated link or an event, not somebody's words."""
    for element in [*block.xpath(".//time"), *_find(block, _DATEISH)]:
        stamp = clean_space(element.text_content()) or ""
        if stamp and stamp in text:
            text = text.replace(stamp, " ")
    return len(text.split()) < 3


def _headline(block: lxml_html.HtmlElement, text: str) -> bool:
    """The block's text is the words of one link: a headline pointing to another article."""
    return any(clean_space(a.text_content()) == text for a in block.xpath("descendant-or-self::a[@href]"))


def _teaser(block: lxml_html.HtmlElement) -> bool:
    """A link to another page with its title and a date ("Popular posts", related articles):
    most of its words are link text. A post's words are its own, links or not."""
    words = len((block.text_content() or "").split())
    # descendant-or-self: a card that is itself one <a href> (a news front's feed items).
    linked = sum(len((a.text_content() or "").split()) for a in block.xpath("descendant-or-self::a[@href]"))
    return words > 0 and linked / words > 0.5


def _signature(element: lxml_html.HtmlElement) -> str:
    classes = sorted(c for c in (element.get("class") or "").split() if not re.search(r"\d", c))
    return f"{element.tag}.{'.'.join(classes)}"


def _find(block: lxml_html.HtmlElement, pattern: re.Pattern[str]) -> list[lxml_html.HtmlElement]:
    return [
        e
        for e in block.iter()
        if isinstance(e.tag, str) and e is not block and pattern.search(e.get("class") or "")
    ]


def _date(block: lxml_html.HtmlElement, ctx: PageContext):  # noqa: ANN202 - datetime | None
    for value in block.xpath(".//time/@datetime"):
        if (parsed := parse_date(value, tz=ctx.tz, now=ctx.now)) is not None:
            return parsed
    for element in _find(block, _DATEISH):
        text = clean_space(element.text_content()) or ""
        if 4 < len(text) < 60 and (parsed := parse_date(text, tz=ctx.tz, now=ctx.now, language=ctx.language)):
            return parsed
    return None


def _body(block: lxml_html.HtmlElement) -> str:
    # Elements classed like a date or a name ("comment-timestamp", "comment-user") are not the text.
    candidates = [
        e
        for e in _find(block, _BODYISH)
        if not _DATEISH.search(e.get("class") or "") and not _AUTHORISH.search(e.get("class") or "")
    ] + block.xpath(".//p")
    # A wrapper classed "comment-content" that holds the header and footer too is not the text:
    # among the candidates, only the innermost ones (holding no other candidate) compete.
    inner = [e for e in candidates if not any(o is not e and e in o.iterancestors() for o in candidates)]
    texts = [clean_space(e.text_content()) or "" for e in inner]
    best = max(texts, key=len, default="")
    return best if len(best) >= MIN_TEXT else clean_space(block.text_content()) or ""


# Class names that are the author's name itself, not a box or a label around it ("Username").
_NAME_CLASSES = {"username", "author", "fn", "poster", "byline", "user-name", "post-author", "comment-author"}


def _author(block: lxml_html.HtmlElement) -> str | None:
    named = [e for e in _find(block, _AUTHORISH) if _NAME_CLASSES & set((e.get("class") or "").split())]
    for element in named + _find(block, _AUTHORISH):
        # A user-info box holds the name on its first line, then a join date, a title...
        text = (clean_space(element.text_content()) or "").strip().split("\n")[0].strip()
        if text and len(text) <= 60:
            # A user box often adds a motto or a fan count on lines of their own: a name is one line.
            return text.splitlines()[0].strip() or None
    return None


# Ids engines give a post block ("post411639264", "msg_123", "p42"): a real permalink anchor.
_POST_ID = re.compile(r"^(?:post|p|msg|message|comment|answer|reply|entry)[-_]?\d+$", re.IGNORECASE)


def _groups(root: lxml_html.HtmlElement) -> list[list[lxml_html.HtmlElement]]:
    found: list[list[lxml_html.HtmlElement]] = []
    for parent in root.iter():
        if not isinstance(parent.tag, str) or parent.tag in _SKIP:
            continue
        by_signature: dict[str, list[lxml_html.HtmlElement]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str) and child.tag not in _SKIP:
                by_signature[_signature(child)].append(child)
        found.extend(group for group in by_signature.values() if len(group) >= 2)
    return found


def extract_repeated(root: lxml_html.HtmlElement, page_url: str, ctx: PageContext) -> PageResult:
    """Posts of the best group of repeated, dated sibling blocks; nothing when there is none."""
    best: list[tuple[lxml_html.HtmlElement, datetime]] = []
    best_score = (0, 0)
    for group in _groups(root):
        # A block with a text field (a search box, a newsletter sign-up) is page furniture, not a post.
        posts = [block for block in group if not block.xpath(_FURNITURE) and not _teaser(block)]
        dated = [(block, when) for block in posts if (when := _date(block, ctx)) is not None]
        if len(dated) < 2:
            continue
        instants = {when for _, when in dated}
        if len(dated) >= 3 and len(instants) == 1 and next(iter(instants)).time() != time(0):
            continue  # every block stamped with the same second: the page's own date, not theirs
        size = sum(len(block.text_content()) for block, _ in dated)
        if (len(dated), size) > best_score:
            best, best_score = dated, (len(dated), size)
    result = PageResult()
    thread = urldefrag(ctx.thread_url or page_url)[0]
    for block, when in _with_replies(best, ctx):
        text = without_stamps(_body(_without_replies(block)), ctx)
        if len(text) < MIN_TEXT or _only_a_date(block, text) or _headline(block, text):
            continue
        author = _author(block)
        own = block.get("id") or ""
        anchor = own if _POST_ID.match(own) else content_anchor(author, text)
        result.add(
            "a repeated block",
            ctx,
            url=f"{thread}#{anchor}",
            anchor=anchor,
            thread_url=thread,
            text=text,
            author=Author(name=author),
            published_at=when,
        )
    return result
