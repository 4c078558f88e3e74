"""Security of the local node: authentication (always, unless turned off), and in secure mode
a private CA and TLS on HTTP, the way a production cluster runs.

The ``elastic`` password goes into the node's keystore as ``bootstrap.password`` (the node
stores it in its ``.security`` index on first start); Veille then works with an API key
(``api_key_request``). Certificates live in the node's config folder and are reused.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import logging
import pwd
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from core.errors import ESNodeError
from index.local_credentials import LocalCredentials
from veille.services import es_files

logger = logging.getLogger(__name__)

CERTS = "certs"
CA_CERT, NODE_CERT, NODE_KEY = "ca.crt", "node.crt", "node.key"
KEYSTORE_MARKER = ".keystore-password.sha256"
VALIDITY = dt.timedelta(days=3650)


@dataclass(frozen=True)
class NodeSecurity:
    """Where a secure node's CA is, and the password of its built-in ``elastic`` superuser."""

    ca_cert: Path
    password: str

    def basic_auth_header(self) -> str:
        return basic_auth_header(self.password)


def basic_auth_header(password: str, username: str = "elastic") -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def new_password() -> str:
    return secrets.token_urlsafe(24)


def api_key_request() -> dict:
    """Veille's API key: what its jobs need (indices, templates, health), not security admin."""
    return {
        "name": "veille",
        "role_descriptors": {
            "veille": {
                # Templates, health, and analyzing a text before any index exists; no security admin.
                "cluster": ["monitor", "manage_index_templates", "cluster:admin/analyze"],
                "indices": [{"names": ["*"], "privileges": ["all"], "allow_restricted_indices": False}],
            }
        },
        "metadata": {"owner": "veille", "created_by": "veille es start"},
    }


def settings(config_dir: Path, *, auth: bool = True, tls: bool = False) -> list[str]:
    """elasticsearch.yml lines: authentication on or off, HTTPS with the node certificate if ``tls``."""
    if not auth:
        return ["xpack.security.enabled: false"]
    lines = [
        "xpack.security.enabled: true",
        "xpack.security.enrollment.enabled: false",
        # One node bound to loopback: no other node ever joins, so transport TLS adds nothing.
        "xpack.security.transport.ssl.enabled: false",
    ]
    if not tls:
        return [*lines, "xpack.security.http.ssl.enabled: false"]
    certs = config_dir / CERTS
    return [
        *lines,
        "xpack.security.http.ssl.enabled: true",
        f"xpack.security.http.ssl.key: {certs / NODE_KEY}",
        f"xpack.security.http.ssl.certificate: {certs / NODE_CERT}",
        f"xpack.security.http.ssl.certificate_authorities: [{certs / CA_CERT}]",
    ]


def prepare(
    node_dir: Path,
    config_dir: Path,
    es_home: Path,
    java_home: Path,
    password: str,
    *,
    tls: bool = False,
    user: pwd.struct_passwd | None = None,
) -> None:
    """Certificates if ``tls`` (created once) and the bootstrap password in the keystore.

    Written without following links (``es_files``): under root, ``user`` owns the node folder.
    The keystore tool runs as ``user`` so that it can only write what that user could.
    """
    certs = config_dir / CERTS
    if tls and not all((certs / name).exists() for name in (CA_CERT, NODE_CERT, NODE_KEY)):
        write_certificates(node_dir, certs.relative_to(node_dir))
    if user is not None:
        es_files.chown_tree(node_dir, user.pw_uid, user.pw_gid)
    marker = es_files.read_file(node_dir, KEYSTORE_MARKER)
    stamp = hashlib.sha256(password.encode()).hexdigest()
    if (
        marker is not None
        and marker.decode().strip() == stamp
        and (config_dir / "elasticsearch.keystore").exists()
    ):
        return  # the keystore already holds this password (a JVM start saved)
    _write_keystore(es_home, java_home, config_dir, password, user)
    es_files.write_file(node_dir, KEYSTORE_MARKER, stamp + "\n", mode=0o600)


def load(config_dir: Path, credentials: LocalCredentials | None) -> NodeSecurity | None:
    """The security of a TLS node prepared earlier, or None if it never was."""
    ca = config_dir / CERTS / CA_CERT
    if credentials is None or not ca.exists():
        return None
    return NodeSecurity(ca, credentials.password)


def write_certificates(base: Path, certs: Path) -> None:
    """A self-signed CA and a node certificate for 127.0.0.1 / localhost, as PEM files in ``base/certs``."""
    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Veille local CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    node_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    node_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "veille-local")]))
        .issuer_name(ca_name)
        .public_key(node_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    es_files.write_file(base, certs / CA_CERT, ca_cert.public_bytes(serialization.Encoding.PEM))
    es_files.write_file(base, certs / NODE_CERT, node_cert.public_bytes(serialization.Encoding.PEM))
    key_pem = node_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    es_files.write_file(base, certs / NODE_KEY, key_pem, mode=0o600)
    logger.info("wrote a private CA and a node certificate in %s", base / certs)


def _write_keystore(
    es_home: Path, java_home: Path, config_dir: Path, password: str, user: pwd.struct_passwd | None
) -> None:
    """A new keystore holding ``bootstrap.password``: the elastic user's password on first start."""
    env = {
        "PATH": "/usr/bin:/bin",
        "ES_JAVA_HOME": str(java_home),
        "ES_PATH_CONF": str(config_dir),
        "LANG": "C.UTF-8",
    }
    (config_dir / "elasticsearch.keystore").unlink(missing_ok=True)  # unlink never follows a link
    tool = str(es_home / "bin" / "elasticsearch-keystore")
    for args, stdin in (([tool, "create"], ""), ([tool, "add", "-x", "-f", "bootstrap.password"], password)):
        try:
            subprocess.run(
                args,
                input=stdin,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
                user=user.pw_uid if user else None,
                group=user.pw_gid if user else None,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            # The password goes through stdin only: neither the command line nor this message holds it.
            detail = getattr(exc, "stderr", "") or exc
            raise ESNodeError(f"cannot write the Elasticsearch keystore in {config_dir}: {detail}") from exc
