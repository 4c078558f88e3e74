"""Fetch, verify and unpack the Elasticsearch distribution Maven Central publishes.

``org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip`` is the smallest
official build (no bundled JDK, core modules plus x-pack security). It is downloaded once into
the cache folder, its SHA-512 checked against the pinned value (or Maven's published one for
an unpinned version), and unpacked where the unprivileged ES user can read it.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import urllib.request
import zipfile
from pathlib import Path

from core.errors import ESNodeError

logger = logging.getLogger(__name__)

MAVEN_BASE = "https://repo1.maven.org/maven2/org/elasticsearch/distribution/integ-test-zip/elasticsearch"

# Pinned checksums: a download that differs is refused, whatever the mirror says.
PINNED_SHA512 = {
    "8.19.21": "cf6b0a93860d329937ae7f913ec5073b0c726c77639764b93fc83a304aa1dd9d"
    "4defcfa2849948eea3b0b47c2065f994908603939fc2a4774c9c4d868c5ec1dd",
}


def artifact_url(version: str, suffix: str = "") -> str:
    return f"{MAVEN_BASE}/{version}/elasticsearch-{version}.zip{suffix}"


def _sha512(path: Path) -> str:
    digest = hashlib.sha512()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _expected_sha512(version: str) -> str:
    if version in PINNED_SHA512:
        return PINNED_SHA512[version]
    url = artifact_url(version, ".sha512")
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("ascii").split()[0].strip().lower()
    except OSError as exc:
        raise ESNodeError(f"cannot fetch the checksum {url}: {exc}") from exc


def download(version: str, downloads: Path) -> Path:
    """The verified zip for ``version`` in ``downloads`` (downloaded once)."""
    downloads.mkdir(parents=True, exist_ok=True)
    target = downloads / f"elasticsearch-{version}.zip"
    expected = _expected_sha512(version)
    if target.exists() and _sha512(target) == expected:
        return target
    url = artifact_url(version)
    partial = target.with_suffix(".zip.part")
    logger.warning("downloading Elasticsearch %s from Maven Central (about 110 MB)", version)
    try:
        with urllib.request.urlopen(url, timeout=120) as response, partial.open("wb") as out:
            shutil.copyfileobj(response, out, length=1 << 20)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ESNodeError(f"cannot download {url}: {exc}") from exc
    actual = _sha512(partial)
    if actual != expected:
        partial.unlink(missing_ok=True)
        raise ESNodeError(
            f"checksum mismatch for {url}: expected sha512 {expected[:16]}…, got {actual[:16]}…"
        )
    partial.replace(target)
    return target


def unpack(zip_path: Path, version: str, dest_root: Path) -> Path:
    """Unpack once into ``dest_root/elasticsearch-<version>``; returns ES_HOME."""
    home = dest_root / f"elasticsearch-{version}"
    marker = home / ".veille-unpacked"
    if marker.exists():
        return home
    staging = dest_root / f".elasticsearch-{version}.unpacking"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(staging)
            for info in archive.infolist():
                # zipfile drops the permission bits; bin/ scripts and the JDK launcher need +x.
                mode = (info.external_attr >> 16) & 0o777
                if mode:
                    (staging / info.filename).chmod(mode | 0o444)
    except (OSError, zipfile.BadZipFile) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ESNodeError(f"cannot unpack {zip_path}: {exc}") from exc
    shutil.rmtree(home, ignore_errors=True)
    (staging / f"elasticsearch-{version}").rename(home)
    shutil.rmtree(staging, ignore_errors=True)
    for path in [home, *home.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    marker.touch()
    return home
