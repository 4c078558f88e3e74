"""SMTP over STARTTLS and implicit TLS, against a real local server with a private CA."""

import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from alerts.mail.queue import SendFailed
from alerts.mail.transports import SmtpTransport
from core.config.notifications import Smtp
from tests.alerts.conftest import Inbox
from tests.support import free_port
from veille.services.es_security import CA_CERT, NODE_CERT, NODE_KEY, write_certificates


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("certs")
    write_certificates(folder.parent, Path(folder.name))  # paths below base are walked link-safe
    return folder


def server_context(certs) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs / NODE_CERT, certs / NODE_KEY)
    return context


def authenticate(server, session, envelope, mechanism, data):
    return AuthResult(success=isinstance(data, LoginPassword) and data.password == b"tls-pass")


def message() -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = "[Veille] test TLS"
    msg["From"] = "veille@example.org"
    msg["To"] = "cm@example.org"
    msg["Message-ID"] = f"<tls-{datetime.now(UTC).timestamp()}@veille>"
    msg.set_content("chiffré de bout en bout")
    return msg


@pytest.fixture
def starttls_server(certs):
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_context(certs),
        require_starttls=True,
        authenticator=authenticate,
    )
    controller.start()
    yield port, inbox
    controller.stop()


def test_starttls_with_login_over_the_encrypted_channel(certs, starttls_server, monkeypatch):
    port, inbox = starttls_server
    monkeypatch.setenv("SMTP_TLS_PASSWORD", "tls-pass")
    config = Smtp(
        host="127.0.0.1",
        port=port,
        security="starttls",
        username="veille",
        password_env="SMTP_TLS_PASSWORD",
        ca_file=str(certs / CA_CERT),
    )
    SmtpTransport(config, "veille@example.org")(message(), ["cm@example.org"])
    assert len(inbox.messages) == 1
    assert "chiffr" in inbox.messages[0].content.decode()


def test_a_certificate_from_an_unknown_ca_is_refused(starttls_server):
    port, inbox = starttls_server
    config = Smtp(host="127.0.0.1", port=port, security="starttls")  # system CAs only
    with pytest.raises(SendFailed, match=rf"SMTP 127\.0\.0\.1:{port}: .*CERTIFICATE_VERIFY_FAILED"):
        SmtpTransport(config, "veille@example.org")(message(), ["cm@example.org"])
    assert inbox.messages == []


def test_the_server_refuses_plain_text_when_it_requires_starttls(starttls_server):
    port, inbox = starttls_server
    config = Smtp(host="127.0.0.1", port=port, security="none")
    with pytest.raises(SendFailed, match=r"530"):
        SmtpTransport(config, "veille@example.org")(message(), ["cm@example.org"])
    assert inbox.messages == []


def test_implicit_tls(certs):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=server_context(certs))
    controller.start()
    try:
        config = Smtp(host="127.0.0.1", port=port, security="ssl", ca_file=str(certs / CA_CERT))
        SmtpTransport(config, "veille@example.org")(message(), ["cm@example.org"])
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
