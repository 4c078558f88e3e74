"""Decode a page whose declared charset may lie: BOM first, then the declaration, checked.

A server that says ``iso-8859-1`` (or a ``<meta charset>`` left over from an old template)
while sending UTF-8 turns "Vélora" into "VÃ©lora" and the brand is missed without a word.
The bytes settle it: a BOM wins; a declared single-byte charset is overruled when the bytes
are valid UTF-8 with non-ASCII characters (text in a legacy charset is almost never valid
UTF-8 by accident); a declared UTF-8 that does not decode falls back to cp1252.
"""

from __future__ import annotations

import codecs
import logging
import re

logger = logging.getLogger(__name__)

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _norm(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def declared_charset(body: bytes, header: str | None) -> str | None:
    """The charset the HTTP header, else the page's ``<meta>``, declares (normalised)."""
    if header and (match := re.search(r"charset=([^\s;]+)", header, re.IGNORECASE)):
        return _norm(match.group(1))
    meta = _META.search(body[:4096])
    return _norm(meta.group(1).decode("ascii", "ignore")) if meta else None


def decode_page(body: bytes, content_type: str | None = None) -> tuple[str, str | None]:
    """(text, note): ``note`` says why the declared charset was not used, else None."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            declared = declared_charset(body, content_type)
            note = None if declared in (None, _norm(name)) else f"declared {declared}, BOM says {name}"
            return body.decode(name, errors="replace").lstrip("\ufeff"), note
    declared = declared_charset(body, content_type) or "utf-8"
    if declared != "utf-8" and not body.isascii():
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return text, f"declared {declared} but the bytes are UTF-8"
    try:
        return body.decode(declared), None
    except (UnicodeDecodeError, LookupError):
        return body.decode(
            "cp1252", errors="replace"
        ), f"declared {declared} but the bytes are not; read as cp1252"
