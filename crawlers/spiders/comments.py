"""Comment lists as blog and CMS engines print them, found by their ``id="comment-N"`` blocks.

WordPress (``li#comment-N`` / ``article#div-comment-N``, whatever the theme), wpDiscuz
(``div#wpd-comm-N_M``) and many other engines (Drupal, SPIP, Craft, hand-made sites:
``id="comment123"``, ``id="comment_123"``) give every comment an element whose id carries its
number; Drupal 6/7 and SPIP put it on an empty ``<a id="comment-N">`` just before the comment's
block. That id is far steadier across themes than class names, so this layer starts from it and
then looks, in the block's own markup (nested replies left out), for the author, the date, the
text and the rating with a short list of the class names themes actually use.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from urllib.parse import urldefrag

from lxml import html as lxml_html
from pydantic import ValidationError

from core.mention import Author, Rating
from crawlers.dates import parse_date
from crawlers.spiders.extract import PageContext, PageResult, without_stamps
from crawlers.text import clean_space

_BLOCK_ID = re.compile(r"^(?:div-comment|li-comment|comment|wpd-comm)[-_]?(\d+)(?:_\d+)?$")
_CHILDREN = "ul[contains(@class,'children')] | ol[contains(@class,'children')]"
_SAYS = re.compile(
    r"\s+(?:says|said|replied|dit|a écrit|meint|sagt|dice|escribió|on)\s*:?\s*$"
    r"|^[\s,]*(?:verfasst von|par|by)\s+",
    re.IGNORECASE,
)
_BADGES = re.compile(r"\s+(?:Author|Admin|Auteur|Moderator)$")


def _has_class(*names: str) -> str:
    return " | ".join(f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {n} ')]" for n in names)


def _contains_class(*parts: str) -> str:
    return " | ".join(f".//*[contains(@class, '{p}')]" for p in parts)


_AUTHOR = [
    # hReview's reviewer (SPIP): its "fn" is the reviewed item's name, not the commenter's.
    _has_class("reviewer"),
    _has_class("fn", "wpd-comment-author", "comment-author-name", "comment-author-link", "author-name"),
    _has_class("comment_author_name", "author_name"),  # underscored themes (slate.fr, HuffPost)
    _has_class("comment-author", "author", "comment__author", "commentauthor", "username", "comment-name"),
    # A link to the member's profile says who wrote it better than a heading (often the subject).
    ".//cite | .//a[contains(@href, '/user/') or contains(@href, '/members/')"
    " or contains(@href, '/author/')]",
    _has_class("comauth", "media-heading", "comment-author-name", "commenter", "name"),
    f"({_contains_class('comment-meta', 'commentmetadata')})//strong",
]
# A datetime attribute is read on any element: themes put it on the permalink <a> too (Pew).
_DATE_ATTR = [".//time/@datetime", ".//*[@datetime]/@datetime", _has_class("wpd-comment-date") + "/@title"]
_DATE_TEXT = _contains_class(
    "comment-metadata", "comment-meta", "commentmetadata", "comment-date", "date", "time"
)
_TEXT = [
    _contains_class(
        "comment-content", "wpd-comment-text", "comment-text", "commentContent", "comment_content"
    ),
    ".//*[@itemprop='text' or @itemprop='reviewBody' or @itemprop='commentText']",
    _contains_class("comment-body-text", "comment__content", "comment-entry", "content", "comment_body"),
]
_NOISE = re.compile(r"^(?:Reply|Répondre|Antworten|Responder|Rispondi|Recipe Rating\s*:?)$", re.IGNORECASE)


def comment_blocks(root: lxml_html.HtmlElement) -> list[tuple[str, lxml_html.HtmlElement]]:
    """(comment number, innermost element carrying it), in the order the comments appear."""
    order: list[str] = []
    innermost: dict[str, lxml_html.HtmlElement] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        match = _BLOCK_ID.match(element.get("id") or "")
        if not match or element.tag in ("input", "textarea", "form", "p"):
            continue
        number = match.group(1)
        if element.tag == "a":
            # Drupal 6/7 and SPIP put the id on an empty <a id="comment-N"></a> just before the
            # comment's block: the block is the next sibling that holds some text.
            target = _named_block(element)
            if target is None or number in innermost:
                continue
            order.append(number)
            innermost[number] = target
            continue
        if number not in innermost:
            order.append(number)
        innermost[number] = element  # iteration is depth first: a later match is deeper
    return [(number, innermost[number]) for number in order]


def _named_block(anchor: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The block an empty ``<a id="comment-N">`` names: its next sibling with text, if any."""
    if len(anchor) or clean_space(anchor.text_content()):
        return None  # a real link, not a named anchor
    for sibling in anchor.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if sibling.tag == "a" and _BLOCK_ID.match(sibling.get("id") or ""):
            return None  # the next comment's anchor: this one names nothing
        if sibling.tag == "a" and not clean_space(sibling.text_content()):
            continue  # another named anchor of the same comment (SPIP: #commentN then #forumN)
        if clean_space(sibling.text_content()):
            return sibling
    return None


def _own(block: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """A copy of the block without the replies nested in it."""
    own = copy.deepcopy(block)
    for nested in own.xpath(f".//*[@id] | .//{_CHILDREN}"):
        if nested.getparent() is None:
            continue
        if nested.tag in ("ul", "ol") or _BLOCK_ID.match(nested.get("id") or ""):
            nested.getparent().remove(nested)
    return own


def _text_of(element: lxml_html.HtmlElement) -> str:
    from html_text.html_text import etree_to_text

    lines = [line.strip() for line in etree_to_text(element).splitlines()]
    return clean_space("\n".join(line for line in lines if line and not _NOISE.match(line)))


def _first(own: lxml_html.HtmlElement, queries: list[str]) -> lxml_html.HtmlElement | None:
    for query in queries:
        for found in own.xpath(query):
            if isinstance(found, str) or clean_space(found.text_content()):
                return found
    return None


def _author(own: lxml_html.HtmlElement) -> str | None:
    found = _first(own, _AUTHOR)
    if found is None:
        return None
    # Themes put "says:", reply links or a badge inside the author element.
    raw = clean_space(found.text_content()) or ""
    if "\n" in raw:
        # A user box (name, badge, motto, fan count on lines of their own): the name is the
        # profile link, else the first line.
        links = [clean_space(a.text_content()) for a in found.xpath(".//a")]
        raw = next((t for t in links if t and len(t) <= 60), raw.splitlines()[0])
    name = _BADGES.sub("", _SAYS.sub("", raw)).strip(" :—-")
    return name[:120] or None


def _date(own: lxml_html.HtmlElement, ctx: PageContext):  # noqa: ANN202 - datetime | None
    for query in _DATE_ATTR:
        for raw in own.xpath(query):
            value = str(raw).replace("Posted:", "")  # wpDiscuz's title="Posted: 10/16/23"
            parsed = parse_date(value, tz=ctx.tz, now=ctx.now, language=ctx.language)
            if parsed is not None:
                return parsed
    for found in own.xpath(f"{_DATE_TEXT} | .//small"):
        text = clean_space(found.text_content())
        if text and len(text) < 80:
            parsed = parse_date(text, tz=ctx.tz, now=ctx.now, language=ctx.language)
            if parsed is not None:
                return parsed
    # The byline line itself: "Soumis par <span>monslateamoi</span>, le lundi 29 octobre 2012 à
    # 15h46" (only the fast, unambiguous forms: the line also holds a name).
    author = _first(own, _AUTHOR)
    line = author.getparent() if author is not None else None
    byline = clean_space(line.text_content()) if line is not None else None
    if byline and len(byline) < 160:
        return parse_date(byline, tz=ctx.tz, now=ctx.now, language=ctx.language, slow=False)
    return None


def _rating(own: lxml_html.HtmlElement, text: str) -> Rating | None:
    full = own.xpath("count(.//*[contains(@class, 'wprm-rating-star-full')])")
    stars = int(full) if full else text.count("★")
    if not stars:
        return None
    try:
        return Rating(value=min(stars, 5), best=5, worst=1)
    except ValidationError:
        return None


_HEADER_MARKS = f".//time | .//*[@datetime] | {_has_class('author', 'fn', 'comment-author', 'says')}"


def _is_header(paragraph: lxml_html.HtmlElement) -> bool:
    text = clean_space(paragraph.text_content()) or ""
    return len(text) < 100 and bool(paragraph.xpath(_HEADER_MARKS))


def _body(own: lxml_html.HtmlElement) -> str:
    found = _first(own, _TEXT)
    if found is not None:
        return _text_of(found)
    # A theme without a text class: the paragraphs, less the header line that holds the author
    # and the date ("MA Sullivan • 2 weeks ago"), which is not the commenter's words.
    paragraphs = [p for p in own.xpath(".//p") if not _is_header(p)]
    if paragraphs:
        return clean_space("\n\n".join(_text_of(p) for p in paragraphs)) or ""
    return _text_of(own)  # a pingback: a link and an excerpt, no paragraph


def extract_comments(root: lxml_html.HtmlElement, page_url: str, ctx: PageContext) -> PageResult:
    """One Mention per comment block; the anchor is ``comment-N`` whatever the engine."""
    result = PageResult()
    thread = urldefrag(ctx.thread_url or page_url)[0]
    for number, block in comment_blocks(root):
        own = _own(block)
        text = without_stamps(_body(own).replace("★", "").replace("☆", "").strip(), ctx)
        if not text:
            continue
        published = _date(own, ctx)
        if published is None:
            result.undated += 1
        anchor = f"comment-{number}"
        result.add(
            f"comment {anchor}",
            ctx,
            url=f"{thread}#{anchor}",
            anchor=anchor,
            thread_url=thread,
            text=text,
            author=Author(name=_author(own)),
            rating=_rating(own, _text_of(own)),
            published_at=published,
        )
    return result


def iter_texts(result: PageResult) -> Iterator[str]:
    for mention in result.mentions:
        yield mention.text
