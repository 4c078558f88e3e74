"""Pseudonymised authors: a keyed hash (HMAC-SHA256) in place of the name, the profile URL dropped.

The same author always gets the same pseudonym under one key, so counts and influence still work;
without the key nobody can test a guessed name against it. Changing the key changes every
pseudonym (old and new mentions then no longer match).
"""

from __future__ import annotations

import hashlib
import hmac

from core.mention import Author, Mention

PREFIX = "anon-"


def pseudonym(name: str, key: bytes) -> str:
    digest = hmac.new(key, name.strip().casefold().encode("utf-8"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:16]


def pseudonymise(mention: Mention, key: bytes) -> Mention:
    """The mention with its author replaced by a pseudonym (already pseudonymised: unchanged)."""
    author = mention.author
    if author.name is None and author.url is None:
        return mention
    if author.name is not None and author.name.startswith(PREFIX) and author.url is None:
        return mention
    name = pseudonym(author.name or author.url or "", key)
    return mention.model_copy(
        update={"author": Author(name=name, influence=author.influence, posts=author.posts)}
    )
