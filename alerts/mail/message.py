"""Build one multipart email (plain text + HTML, optional inline images) with a stable Message-ID."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime


@dataclass(frozen=True)
class InlineImage:
    cid: str  # referenced as src="cid:{cid}" in the HTML part
    data: bytes
    subtype: str = "png"


def message_id(notification_id: str, sender: str) -> str:
    """``<{id}@{sender's domain}>``: the same notification always gets the same Message-ID."""
    domain = sender.rsplit("@", 1)[-1].strip(">") or "veille.local"
    return f"<{notification_id}@{domain}>"


def stable_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def build_message(
    *,
    sender: str,
    recipients: Sequence[str],
    subject: str,
    text: str,
    html: str,
    msg_id: str,
    date: datetime,
    images: Sequence[InlineImage] = (),
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = msg_id
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    if images:
        html_part = list(msg.iter_parts())[1]
        for image in images:
            html_part.add_related(image.data, maintype="image", subtype=image.subtype, cid=f"<{image.cid}>")
    return msg
