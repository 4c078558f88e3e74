"""Comments of MediaWiki talk pages (Wikipedia discussions), found by their signatures.

A talk page has no comment markup: a comment is the text a contributor wrote, ended by a
signature, a link to the user's page (or to an IP's contributions) and a timestamp such as
``3 mars 2019 à 15:12 (CET)`` or ``15:12, 3 March 2019 (UTC)``. The page is read as one
stream of text (block elements end lines, headings and tables end sections); each timestamp
ends a comment that began after the previous timestamp, heading or table, and the last user link before the
timestamp names its author. Dates carry their own zone, so no guess is needed.

Each comment's anchor is ``c-<user>-<yyyymmddHHMM>``: the form MediaWiki's DiscussionTools gives
comment ids, stable as long as the comment stays on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import unquote, urldefrag

from lxml import html as lxml_html

from core.mention import Author
from crawlers.spiders.extract import PageContext, PageResult

_MONTHS = {
    # French
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_ZONES = {"UTC": 0, "CET": 1, "CEST": 2}
_MONTH = "|".join(_MONTHS)
_STAMPS = (
    # 3 mars 2019 à 15:12 (CET)
    re.compile(
        rf"(?P<d>\d{{1,2}})(?:er)? (?P<m>{_MONTH}) (?P<y>\d{{4}}) à (?P<H>\d{{1,2}}):(?P<M>\d{{2}})"
        r" \((?P<z>UTC|CEST|CET)\)",
        re.IGNORECASE,
    ),
    # 15:12, 3 March 2019 (UTC)
    re.compile(
        rf"(?P<H>\d{{1,2}}):(?P<M>\d{{2}}), (?P<d>\d{{1,2}}) (?P<m>{_MONTH}) (?P<y>\d{{4}})"
        r" \((?P<z>UTC|CEST|CET)\)",
        re.IGNORECASE,
    ),
)
# The user's page (any language: User:, Utilisateur:, Utilisatrice:...) or an IP's contributions.
_USER_PAGE = re.compile(r"/wiki/(?:User|Utilisat(?:eur|rice)|Benutzer(?:in)?|Usuario|Utente):([^/#?]+)$")
# (href still percent-encoded: "Utilisateur:Ahbon%3F")
_CONTRIBUTIONS = re.compile(r"/wiki/(?:Special|Spécial):Contributions/([^/#?]+)$")
_BLOCKS = {"p", "div", "dd", "dt", "dl", "li", "ul", "ol", "table", "tr", "pre", "blockquote", "center"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "noscript", "template"}
_SIGNATURE_LEAD = re.compile(r"[\s\-—–~(]*$")


@dataclass
class _Stream:
    """The page as text, with where each user link and each section break falls in it."""

    text: list[str] = field(default_factory=list)
    size: int = 0
    users: list[tuple[int, str]] = field(default_factory=list)  # (offset, user name)
    breaks: list[int] = field(default_factory=list)  # offsets where a heading ends

    def add(self, piece: str | None) -> None:
        if piece:
            self.text.append(piece)
            self.size += len(piece)


def _walk(element: lxml_html.HtmlElement, out: _Stream) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIP:
        out.add(element.tail)
        return
    if tag in _BLOCKS or tag in _HEADINGS:
        out.add("\n")
    if tag == "a":
        # Matched before unquoting: a name may hold "?" or "/" once decoded ("Ahbon?").
        href = element.get("href") or ""
        user = _USER_PAGE.search(href) or _CONTRIBUTIONS.search(unquote(href))
        if user:
            out.users.append((out.size, unquote(user.group(1)).replace("_", " ")))
    out.add(element.text)
    for child in element:
        _walk(child, out)
    if tag in _HEADINGS or tag == "table":
        # A heading starts a new discussion; a table is a banner or a box, never part of a comment.
        out.breaks.append(out.size)
    if tag in _BLOCKS or tag in _HEADINGS:
        out.add("\n")
    out.add(element.tail)


def _when(match: re.Match[str]) -> datetime | None:
    try:
        local = datetime(
            int(match["y"]), _MONTHS[match["m"].lower()], int(match["d"]), int(match["H"]), int(match["M"])
        )
    except ValueError:
        return None
    return local.replace(tzinfo=timezone(timedelta(hours=_ZONES[match["z"].upper()]))).astimezone(UTC)


def looks_like_talk_page(root: lxml_html.HtmlElement) -> bool:
    """A MediaWiki page with at least two signed comments (a user link, then a timestamp)."""
    if not root.xpath("boolean(//div[contains(@class,'mw-parser-output')])"):
        return False
    text = root.text_content()
    return sum(len(p.findall(text)) for p in _STAMPS) >= 2


def extract_talk(root: lxml_html.HtmlElement, page_url: str, ctx: PageContext) -> PageResult:
    """One Mention per signed comment of a talk page (nothing when it has no signature)."""
    result = PageResult()
    if not looks_like_talk_page(root):
        return result
    body = root.xpath("//div[contains(@class,'mw-parser-output')]")[0]
    stream = _Stream()
    _walk(body, stream)
    text = "".join(stream.text)
    stamps = sorted((m for p in _STAMPS for m in p.finditer(text)), key=lambda m: m.start())
    thread = urldefrag(ctx.thread_url or page_url)[0]
    start, seen = 0, set()
    for stamp in stamps:
        begin = max([start, *(b for b in stream.breaks if b <= stamp.start())])
        start = stamp.end()
        signers = [(offset, name) for offset, name in stream.users if begin <= offset < stamp.start()]
        cut = signers[-1][0] if signers else stamp.start()
        words = _SIGNATURE_LEAD.sub("", text[begin:cut]).strip()
        when = _when(stamp)
        if not signers or len(words) < 3 or when is None:
            # No user link: a bot's notice or a date quoted in a comment, not a signed comment.
            continue
        author = signers[-1][1]
        anchor = f"c-{author.replace(' ', '_')}-{when:%Y%m%d%H%M}"
        if anchor in seen:
            continue
        seen.add(anchor)
        result.add(
            "a signed comment",
            ctx,
            url=f"{thread}#{anchor}",
            anchor=anchor,
            thread_url=thread,
            text="\n".join(line.strip() for line in words.splitlines() if line.strip()),
            author=Author(name=author),
            published_at=when,
        )
    return result
