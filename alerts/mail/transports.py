"""Transports behind one interface, chosen by config: SMTP (STARTTLS, SSL or plain) or the outbox.

A transport is a callable ``send(msg, recipients)`` that delivers one message or raises
``SendFailed`` (``permanent=True`` when retrying cannot help). ``build_transport`` picks one from
``notifications.email``: with no ``smtp`` section, messages are written as .eml files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

import base64
import logging
import re
import smtplib
import ssl
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from alerts.mail.queue import SendFailed
from core.config.notifications import Email, Smtp
from core.config.secrets import read_secret
from core.private_files import private_dir, write_private

logger = logging.getLogger(__name__)


class Transport(Protocol):
    name: str

    def __call__(self, msg: EmailMessage, recipients: list[str]) -> None: ...


class OutboxTransport:
    """Writes each message to ``{outbox}/{message id}.eml`` (the same message twice = one file)."""

    name = "outbox"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, msg: EmailMessage) -> Path:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "_", str(msg["Message-ID"]).strip("<>"))
        return self.directory / f"{stem}.eml"

    def __call__(self, msg: EmailMessage, recipients: list[str]) -> None:
        target = self.path_for(msg)
        try:
            private_dir(self.directory)
            write_private(target, msg.as_bytes(policy=policy.SMTP))  # atomic: never half a message
        except OSError as exc:
            raise SendFailed(f"cannot write {target}: {exc}") from exc
        logger.info("email %s written to %s", msg["Message-ID"], target)


class _Tracking(smtplib.SMTP):
    """Base for smtplib clients: knows whether the message body went out without a reply yet.

    That is the one ambiguous moment of SMTP: the server may have stored the message and lost the
    connection before its ``250``; resending at once could deliver it twice."""

    body_unanswered = False
    _in_data = False

    def data(self, msg: ReadableBuffer | str) -> tuple[int, bytes]:
        self._in_data = True
        try:
            reply = super().data(msg)
        finally:
            self._in_data = False
        self.body_unanswered = False
        return reply

    def send(self, s: ReadableBuffer | str) -> None:
        super().send(s)
        if self._in_data and isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.body_unanswered = True

    def getreply(self) -> tuple[int, bytes]:
        reply = super().getreply()
        self.body_unanswered = False  # any reply, even an error code, settles it
        return reply


class _SMTP(_Tracking):
    pass


class _SMTPSSL(_Tracking, smtplib.SMTP_SSL):
    pass


def _login(client: smtplib.SMTP, username: str, password: str) -> None:
    """smtplib encodes credentials as ASCII; RFC 4616 PLAIN is UTF-8, so non-ASCII goes that way."""
    if username.isascii() and password.isascii():
        client.login(username, password)
        return
    client.ehlo_or_helo_if_needed()
    if "plain" not in client.esmtp_features.get("auth", "").lower().split():
        raise SendFailed("the SMTP server offers no AUTH PLAIN, needed for a non-ASCII login", permanent=True)
    token = base64.b64encode(b"\0" + username.encode() + b"\0" + password.encode()).decode("ascii")
    code, reply = client.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


class SmtpTransport:
    """One SMTP session per message, with a timeout; the password comes from the environment."""

    name = "smtp"

    def __init__(self, config: Smtp, sender: str) -> None:
        self.config = config
        self.sender = sender

    def _password(self) -> str | None:
        return read_secret(
            self.config.password_env, key="notifications.email.smtp.password_env", required=True
        )

    def __call__(self, msg: EmailMessage, recipients: list[str]) -> None:
        cfg = self.config
        where = f"SMTP {cfg.host}:{cfg.port}"
        if not recipients:
            raise SendFailed(
                "no recipients: set notifications.email.to or the rule's recipients", permanent=True
            )
        timeout = cfg.timeout.total_seconds()
        client: _SMTP | _SMTPSSL | None = None
        refused: dict[str, tuple[int, bytes]] | None = None
        try:
            # Certificates are always verified; a private CA is given with ``ca_file``.
            context = ssl.create_default_context(cafile=cfg.ca_file)
            if cfg.security == "ssl":
                client = _SMTPSSL(cfg.host, cfg.port, timeout=timeout, context=context)
            else:
                client = _SMTP(cfg.host, cfg.port, timeout=timeout)
            with client:
                if cfg.security == "starttls":
                    client.starttls(context=context)
                if cfg.username:
                    _login(client, cfg.username, self._password() or "")
                refused = client.send_message(msg, from_addr=self.sender, to_addrs=recipients)
        except smtplib.SMTPAuthenticationError as exc:
            raise SendFailed(
                f"{where}: login refused for {cfg.username}: {exc.smtp_code}", permanent=False
            ) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendFailed(
                f"{where}: every recipient refused: {sorted(exc.recipients)}", permanent=True
            ) from exc
        except smtplib.SMTPResponseException as exc:
            detail = (
                exc.smtp_error.decode(errors="replace")
                if isinstance(exc.smtp_error, bytes)
                else exc.smtp_error
            )
            raise SendFailed(
                f"{where}: {exc.smtp_code} {detail}", permanent=500 <= exc.smtp_code < 600
            ) from exc
        except (TimeoutError, smtplib.SMTPException, OSError, ssl.SSLError) as exc:
            if refused is not None:  # the server said 250; only the goodbye failed
                logger.info("%s: message %s accepted; closing failed: %s", where, msg["Message-ID"], exc)
                return
            if client is not None and client.body_unanswered:
                raise SendFailed(
                    f"{where}: connection lost after the message was sent, before the server's "
                    f"answer ({type(exc).__name__}): it may have been delivered",
                    uncertain=True,
                ) from exc
            raise SendFailed(f"{where}: {type(exc).__name__}: {exc}") from exc
        if refused:
            logger.warning("%s: some recipients refused message %s: %s", where, msg["Message-ID"], refused)


def build_transport(email: Email, outbox_dir: Path) -> Transport:
    if email.smtp is None:
        return OutboxTransport(outbox_dir)
    return SmtpTransport(email.smtp, email.sender)
