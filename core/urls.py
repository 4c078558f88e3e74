"""Canonical URLs and the deterministic mention id derived from them.

Re-crawls, retries and replays must land on the same Elasticsearch ``_id``, so the id is a hash
of the canonical URL plus the post anchor: scheme and host lower-cased, default port dropped,
tracking and session parameters removed, query sorted, fragment dropped unless it is the anchor.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Parameters that identify a campaign or a browser session, never the content.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "twclid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "spm",
        "ref_src",
        "ref_url",
        "xtor",
        "at_medium",
        "at_campaign",
        "sid",
        "phpsessid",
        "jsessionid",
        "sessionid",
        "s",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_")

# Fragments that point at one post, comment or review (phpBB #p123, WordPress #comment-45,
# XenForo #post-67, vBulletin #post89, Discourse /t/slug/1/5 has no fragment).
POST_ANCHOR = re.compile(
    r"^(?:p\d+|post-?\d+|comment-?\d+|review-?\d+|msg\d+|reply-?\d+|entry-?\d+|c\d+|r\d+|[a-z]+-\d+)$",
    re.IGNORECASE,
)

DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def is_post_anchor(fragment: str) -> bool:
    """True when ``fragment`` designates a single post rather than a place on the page."""
    return bool(fragment) and bool(POST_ANCHOR.match(fragment))


def canonical_url(url: str, *, keep_fragment: bool | None = None) -> str:
    """Return the canonical form of ``url``.

    ``keep_fragment=None`` keeps the fragment only when it looks like a post anchor; pass
    ``True``/``False`` to force it. Raises ``ValueError`` on a URL without scheme or host.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    host = parts.hostname.lower().rstrip(".")
    with contextlib.suppress(UnicodeError):  # keep a Unicode host as is: still deterministic
        host = host.encode("idna").decode("ascii")
    netloc = host
    if parts.port is not None and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    # Normalise percent-encoding so /caf%C3%A9 and /café give one id.
    path = quote(unquote(parts.path or "/"), safe="/:@!$&'()*+,;=-._~")
    query_pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query = urlencode(sorted(query_pairs), doseq=True)
    fragment = parts.fragment
    keep = is_post_anchor(fragment) if keep_fragment is None else keep_fragment
    return urlunsplit((scheme, netloc, path, query, fragment if keep else ""))


# Engines whose post number alone identifies a post on the whole board: the same post reached
# by the feed (viewtopic.php?p=193#p193) and by the crawl (viewtopic.php?t=109#p193) is one.
_PERMALINKS = (
    (re.compile(r"/viewtopic\.php$"), re.compile(r"^p(\d+)$"), "viewtopic.php?p={}#p{}"),  # phpBB
    (
        re.compile(r"/showthread\.php$|/showpost\.php$"),
        re.compile(r"^post_?(\d+)$"),
        "showpost.php?p={}#post{}",
    ),
    (
        re.compile(r"/threads/[^/]+(?:/page-\d+)?/?$|/posts/\d+/?$"),
        re.compile(r"^post-(\d+)$"),
        "posts/{}/#post-{}",
    ),  # XenForo
)


def permalink(url: str) -> str:
    """``url`` (canonical, post anchor kept) in its engine's one form for a post, if it has one."""
    parts = urlsplit(url)
    for path_rule, anchor_rule, form in _PERMALINKS:
        match = anchor_rule.match(parts.fragment)
        if match and path_rule.search(parts.path):
            root = parts.path.rsplit("/threads/", 1)[0] if "/threads/" in parts.path else parts.path
            if "/posts/" in root:
                root = root.split("/posts/", 1)[0]
            elif root.endswith(".php"):
                root = root.rsplit("/", 1)[0]
            number = match.group(1)
            return f"{parts.scheme}://{parts.netloc}{root}/{form.format(number, number)}"
    return url


def mention_id(url: str, anchor: str | None = None) -> str:
    """Deterministic document id for the post at ``url`` (with its ``anchor`` if separate).

    The anchor may be given explicitly or be the URL's fragment when that is a post anchor;
    an explicit anchor wins. Forum permalinks are normalised first (``permalink``). The id is
    32 hex characters of SHA-256.
    """
    if anchor:
        base = canonical_url(url, keep_fragment=False) + "#" + anchor.lstrip("#")
    else:
        base = canonical_url(url)
    return hashlib.sha256(permalink(base).encode("utf-8")).hexdigest()[:32]


def domain_of(url: str) -> str:
    """The host of ``url`` without ``www.``, lower-cased (used as the source site)."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
