"""Turn one fetched page into Mentions and links to follow, with plain functions (no Scrapy).

Spiders call these on ``response.selector``; tests call them on a ``parsel.Selector`` built from
a string. A post whose parts cannot be read is skipped and described in ``PageResult.problems``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit
from zoneinfo import ZoneInfo

from html_text.html_text import etree_to_text
from parsel import Selector, SelectorList
from pydantic import ValidationError

from core.mention import Author, Mention, Rating, Source, SourceKind
from crawlers.dates import parse_date
from crawlers.spiders.profiles import PostRule, Profile
from crawlers.text import clean_space, html_to_text

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_ANCHOR_PREFIXES = ("div-", "js-")


@dataclass(frozen=True)
class PageContext:
    """What the extractor needs to know about the source besides the page itself."""

    source: str
    kind: str
    tz: ZoneInfo
    now: datetime
    language: str | None = None
    thread_url: str | None = None


@dataclass
class PageResult:
    mentions: list[Mention] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    undated: int = 0  # posts whose date could not be read (published_at left None)
    layers: dict[str, str] = field(default_factory=dict)  # mention id -> cascade layer that found it
    engine: str | None = None  # what preset: auto detected, when it detected something

    def add(self, what: str, ctx: PageContext, **fields: Any) -> None:
        """Append the Mention made of ``fields`` (its source and first_seen_at from ``ctx``), or
        note why ``what`` ("comment comment-4", "article"…) could not be read: one bad item costs
        only itself."""
        try:
            source = Source(kind=SourceKind(ctx.kind), name=ctx.source)
            self.mentions.append(Mention(source=source, first_seen_at=ctx.now, **fields))
        except (ValueError, ValidationError) as exc:
            self.problems.append(f"{what} could not be read: {str(exc).splitlines()[0]}")


def select_nodes(node: Selector, spec: str | None) -> SelectorList[Selector]:
    """Elements matched by the first alternative of ``spec`` that matches anything."""
    if not spec:
        return SelectorList([])
    for alternative in spec.split(" || "):
        query = alternative.strip()
        found = node.xpath(query[6:]) if query.startswith("xpath:") else node.css(query)
        if found:
            return found
    return SelectorList([])


def select_strings(node: Selector, spec: str | None) -> list[str]:
    """Strings found by the first alternative that finds a non-blank one (elements as text)."""
    if not spec:
        return []
    for alternative in spec.split(" || "):
        query = alternative.strip()
        if query.startswith("@"):
            value = node.attrib.get(query[1:])
            values = [value] if value else []
        else:
            found = node.xpath(query[6:]) if query.startswith("xpath:") else node.css(query)
            values = [item.root if isinstance(item.root, str) else element_text(item) for item in found]
        values = [v for v in values if v and v.strip()]
        if values:
            return values
    return []


def element_text(node: Selector) -> str:
    """Readable text of an element (blocks on their own lines, scripts and styles left out)."""
    if node.root.xpath("boolean(.//script|.//style|.//noscript|.//template)"):
        return html_to_text(node.get())
    # Common case: walk the tree parsel already built instead of serialising and re-parsing it.
    return clean_space(etree_to_text(node.root))


def select_text(node: Selector, spec: str | None, sep: str = " ") -> str | None:
    values = select_strings(node, spec)
    return clean_space(sep.join(values)) if values else None


def parse_count(text: str | None) -> int | None:
    """``"Messages : 1 234"`` -> 1234."""
    if not text:
        return None
    digits = re.sub(r"[\s\u00a0\u202f.,']", "", text)
    match = re.search(r"\d+", digits)
    return int(match.group(0)) if match else None


def parse_rating(text: str | None, best: float = 5.0) -> Rating | None:
    """``"4"``, ``"4,5/5"``, ``"★★☆☆☆"`` or ``"8 sur 10"`` -> Rating; None when unreadable."""
    if not text:
        return None
    stars = text.count("★")
    if stars and not _NUMBER.search(text):
        return Rating(value=stars, best=stars + text.count("☆"), worst=min(1, stars))
    numbers = [float(n.replace(",", ".")) for n in _NUMBER.findall(text)]
    if not numbers:
        return None
    top = numbers[1] if len(numbers) > 1 and numbers[1] >= numbers[0] else best
    try:
        return Rating(value=numbers[0], best=top, worst=0 if numbers[0] == 0 else min(1.0, top - 1))
    except ValidationError:
        return None


def normalise_anchor(value: str | None) -> str | None:
    if not value:
        return None
    anchor = value.strip().lstrip("#")
    for prefix in _ANCHOR_PREFIXES:
        if anchor.startswith(prefix):
            anchor = anchor[len(prefix) :]
    return anchor.replace("_", "-") if anchor.startswith("post_") else anchor or None


def without_stamps(text: str, ctx: PageContext) -> str:
    """The text without a first or last line that is only its date ("15 seconds ago (7:18 PM)"):
    a comment or post block often starts or ends with its time stamp, which is not its text."""
    lines = text.split("\n")

    def stamp(line: str) -> bool:  # short, with figures, read as a date: "03:24 AM on 9/19/2010"
        short = len(line.split()) <= 6 and any(c.isdigit() for c in line)
        return short and parse_date(line, tz=ctx.tz, now=ctx.now, slow=False) is not None

    while len(lines) > 1 and stamp(lines[0]):
        lines = lines[1:]
    while len(lines) > 1 and stamp(lines[-1]):
        lines = lines[:-1]
    return clean_space("\n".join(lines)) or ""


def stable_post_url(link: str | None, page_url: str, thread_url: str | None, anchor: str) -> str:
    """The URL that identifies a post for good.

    A permalink to another page is used as is; otherwise the post is the thread's first page
    plus its anchor, so it keeps its id when newer posts push it onto another page.
    """
    if link and urlsplit(link).path != urlsplit(page_url).path:
        return link if urlsplit(link).fragment else f"{urldefrag(link)[0]}#{anchor}"
    return f"{urldefrag(thread_url or page_url)[0]}#{anchor}"


def page_links(page: Selector, page_url: str, profile: Profile) -> tuple[list[str], list[str]]:
    """(thread/article/product links, next-page links) as absolute URLs without fragments."""

    def absolute(spec: str | None) -> list[str]:
        out = []
        for href in select_strings(page, spec):
            url = urldefrag(urljoin(page_url, href.strip()))[0]
            if urlsplit(url).scheme in ("http", "https") and url not in out:
                out.append(url)
        return out

    return absolute(profile.thread_list), absolute(profile.next_page)


def extract_posts(page: Selector, page_url: str, profile: Profile, ctx: PageContext) -> PageResult:
    """One Mention per post / comment found by the profile's rules (brand matching comes later)."""
    result = PageResult()
    thread_title = select_text(page, profile.thread_title)
    for rule in profile.rules:
        for node in select_nodes(page, rule.post):
            try:
                mention = _post(node, rule, page_url, thread_title, ctx, result)
            except (ValueError, ValidationError) as exc:
                result.problems.append(f"a post could not be read: {str(exc).splitlines()[0]}")
                continue
            if mention is not None:
                result.mentions.append(mention)
    return result


def _post(
    node: Selector,
    rule: PostRule,
    page_url: str,
    thread_title: str | None,
    ctx: PageContext,
    result: PageResult,
) -> Mention | None:
    text = select_text(node, rule.text, sep="\n\n")
    if not text:
        return None  # an empty shell (deleted post, ad slot): nothing to say
    anchor = None
    if rule.whole_page:
        url = page_url
    else:
        link = select_text(node, rule.link)
        link_url = urljoin(page_url, link) if link else None
        fragment = urlsplit(link_url).fragment if link_url else ""
        anchor = normalise_anchor(fragment or select_text(node, rule.anchor))
        if not anchor:
            raise ValueError(f"no anchor or permalink for a post on {page_url}")
        url = stable_post_url(link_url, page_url, ctx.thread_url, anchor)
    date_text = select_text(node, rule.date)
    published = parse_date(date_text, tz=ctx.tz, now=ctx.now, language=ctx.language) if date_text else None
    if published is None:
        result.undated += 1  # published_at stays None: first_seen_at says when it was found
    author_url = select_text(node, rule.author_url)
    return Mention(
        url=url,
        anchor=anchor,
        thread_url=ctx.thread_url or urldefrag(page_url)[0],
        source=Source(kind=SourceKind(ctx.kind), name=ctx.source),
        title=" ".join((select_text(node, rule.title) or thread_title or "").split()) or None,  # one line
        text=text,
        author=Author(
            name=select_text(node, rule.author),
            url=urljoin(page_url, author_url) if author_url else None,
            posts=parse_count(select_text(node, rule.author_posts)),
        ),
        rating=parse_rating(select_text(node, rule.rating)),
        published_at=published,
        first_seen_at=ctx.now,
    )
