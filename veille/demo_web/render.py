"""HTML helpers for the demo sites: escaping, the page shell, dates the way French sites print them."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
MONTHS_SHORT = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
MONTHS_LONG = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"]  # fmt: skip


def esc(text: str) -> str:
    return escape(text, quote=True)


def paragraphs(text: str) -> str:
    return "".join(f"<p>{esc(part)}</p>" for part in text.split("\n\n") if part.strip())


def page(title: str, body: str, *, site: str, charset: str = "utf-8", head: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="{charset}">'
        f"<title>{esc(title)} - {esc(site)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto;color:#222}"
        ".post,.comment-body,.review{border-bottom:1px solid #ddd;padding:.5em 0}"
        ".stars{color:#e7a500}</style>"
        f"{head}</head><body>{body}</body></html>\n"
    )


def fr_absolute(at: datetime) -> str:
    """``21 nov. 2026 à 14:32`` (phpBB's French format), in Paris time."""
    local = at.astimezone(PARIS)
    return f"{local.day} {MONTHS_SHORT[local.month - 1]} {local.year} à {local:%H:%M}"


def fr_long(at: datetime) -> str:
    """``21 novembre 2026 à 14 h 32 min`` (WordPress's French format)."""
    local = at.astimezone(PARIS)
    return f"{local.day} {MONTHS_LONG[local.month - 1]} {local.year} à {local.hour} h {local.minute:02d} min"


def fr_forum_date(at: datetime, now: datetime) -> str:
    """What a phpBB board with relative dates shows: recent posts relative, older ones absolute."""
    age = (now - at).total_seconds()
    local, today = at.astimezone(PARIS), now.astimezone(PARIS)
    if age < 60:
        return "à l’instant"
    if age < 3600:
        minutes = int(age // 60)
        return f"il y a {minutes} minute{'s' if minutes > 1 else ''}"
    if age < 6 * 3600:
        hours = int(age // 3600)
        return f"il y a {hours} heure{'s' if hours > 1 else ''}"
    if local.date() == today.date():
        return f"aujourd’hui à {local:%H:%M}"
    if (today.date() - local.date()).days == 1:
        return f"hier à {local:%H:%M}"
    return fr_absolute(at)


def rfc822(at: datetime) -> str:
    from email.utils import format_datetime

    return format_datetime(at.astimezone(PARIS))


class Reply:
    """One HTTP answer of a demo site: status, body, content type and extra headers."""

    def __init__(
        self,
        body: str | bytes = b"",
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.status = status
        self.content_type = content_type
        self.headers = headers or {}
        self.delay = delay  # seconds to wait before answering (the slow trap)


def html(title: str, body: str, *, site: str, status: int = 200) -> Reply:
    return Reply(page(title, body, site=site), status=status)


def not_found(site: str, what: str = "La page demandée n’existe pas.") -> Reply:
    return html("Page introuvable", f"<h1>Erreur 404</h1><p>{esc(what)}</p>", site=site, status=404)
