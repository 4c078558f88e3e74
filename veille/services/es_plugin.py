"""Build and install Veille's text-analysis plugin for the local node (``es_analysis/``).

The test distribution lacks the ``analysis-common`` module; the plugin, written against the
stable plugin API, gives it the ``french`` and ``english`` analyzers, ``asciifolding``, and the
filters the ``.security`` index needs. Built with plain ``javac --release 17`` against jars the
node already ships, zipped with Python, cached by a hash of its sources and the ES version, and
unpacked into ``ES_HOME/plugins/veille-analysis``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from core.errors import ESNodeError

logger = logging.getLogger(__name__)

PLUGIN_NAME = "veille-analysis"
HASH_FILE = ".veille-source-hash"
LUCENE_JARS = ("lucene-core-*.jar", "lucene-analysis-common-*.jar")


def source_dir() -> Path:
    return Path(str(resources.files("veille.services").joinpath("es_analysis")))


def _sources(root: Path) -> list[Path]:
    return sorted((root / "src").rglob("*.java"))


def source_hash(version: str, root: Path | None = None) -> str:
    """What the built plugin depends on: every source file (path and bytes) and the ES version."""
    root = root or source_dir()
    digest = hashlib.sha256(version.encode())
    for path in [*_sources(root), root / "build" / "ScanNamedComponents.java"]:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def _tool(java_home: Path, name: str) -> str:
    """``javac``/``java`` from the node's JDK, else from PATH (a JRE has no javac)."""
    candidate = java_home / "bin" / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise ESNodeError(
        f"no {name} found (looked in {java_home}/bin and PATH) to build the analysis plugin; "
        "install a JDK (apt-get install openjdk-17-jdk-headless) or set ES_JAVA_HOME to one"
    )


def _one(folder: Path, pattern: str) -> Path:
    matches = sorted(folder.glob(pattern))
    if not matches:
        raise ESNodeError(f"{folder} has no {pattern}: is this an Elasticsearch 8 distribution?")
    return matches[0]


def _run(args: list[str], what: str) -> None:
    try:
        subprocess.run(args, capture_output=True, text=True, timeout=300, check=True)
    except subprocess.CalledProcessError as exc:
        raise ESNodeError(f"{what} failed:\n{(exc.stderr or exc.stdout)[-3000:]}") from exc
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ESNodeError(f"{what} failed: {exc}") from exc


def build(es_home: Path, version: str, java_home: Path, out_dir: Path, root: Path | None = None) -> Path:
    """The plugin zip for the source in ``root`` (default: shipped) and ES version, built once."""
    root = root or source_dir()
    target = out_dir / f"{PLUGIN_NAME}-{version}-{source_hash(version, root)}.zip"
    if target.exists():
        return target
    out_dir.mkdir(parents=True, exist_ok=True)
    lib = es_home / "lib"
    tools = lib / "tools" / "plugin-cli"
    api = [_one(lib, "elasticsearch-plugin-api-*.jar"), _one(lib, "elasticsearch-plugin-analysis-api-*.jar")]
    lucene = [_one(lib, pattern) for pattern in LUCENE_JARS]
    logger.info("building the %s plugin for Elasticsearch %s", PLUGIN_NAME, version)
    with tempfile.TemporaryDirectory(prefix="veille-plugin-") as tmp:
        classes = Path(tmp) / "classes"
        javac = [_tool(java_home, "javac"), "--release", "17", "-encoding", "UTF-8", "-d", str(classes)]
        classpath = os.pathsep.join(str(p) for p in [*api, *lucene])
        _run([*javac, "-cp", classpath, *map(str, _sources(root))], "compiling the analysis plugin")
        # The node reads named_components.json at start; it does not scan annotations itself.
        scanner = [
            _one(tools, "elasticsearch-plugin-scanner-*.jar"),
            *sorted(tools.glob("asm-*.jar")),
            *api,
            classes,
        ]
        components = Path(tmp) / "named_components.json"
        _run(
            [
                _tool(java_home, "java"),
                "-cp",
                os.pathsep.join(map(str, scanner)),
                str(root / "build" / "ScanNamedComponents.java"),
                str(components),
            ],
            "listing the plugin's named components",
        )
        staged = Path(tmp) / "plugin.zip"
        with zipfile.ZipFile(staged, "w", zipfile.ZIP_DEFLATED) as plugin:
            plugin.writestr(f"{PLUGIN_NAME}.jar", _jar_bytes(classes))
            plugin.write(components, "named_components.json")
            plugin.writestr("stable-plugin-descriptor.properties", descriptor(version))
        shutil.move(staged, target)
    return target


def _jar_bytes(classes: Path) -> bytes:
    """A jar is a zip with a manifest; no ``jar`` tool needed (a JRE-only machine lacks it)."""
    with tempfile.SpooledTemporaryFile() as buffer:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as jar:
            jar.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nCreated-By: veille\r\n\r\n")
            for path in sorted(classes.rglob("*.class")):
                jar.write(path, path.relative_to(classes).as_posix())
        buffer.seek(0)
        return buffer.read()


def descriptor(version: str) -> str:
    # Exactly these keys: the node rejects any other in a stable plugin descriptor.
    return "\n".join(
        [
            "description=Veille: french and english analyzers, asciifolding, .security index filters",
            f"version={version}",
            f"name={PLUGIN_NAME}",
            f"elasticsearch.version={version}",
            "java.version=17",
            "",
        ]
    )


def install(zip_path: Path, es_home: Path) -> bool:
    """Unpack the plugin into ``ES_HOME/plugins`` unless this very build is there; True if it changed."""
    target = es_home / "plugins" / PLUGIN_NAME
    wanted = zip_path.stem
    marker = target / HASH_FILE
    if marker.is_file() and not marker.is_symlink() and marker.read_text().strip() == wanted:
        return False
    staging = es_home / "plugins" / f".{PLUGIN_NAME}.installing"
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(staging)
    (staging / HASH_FILE).write_text(wanted + "\n")
    for path in [staging, *staging.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    # A running node keeps its open jar: replacing the folder is safe, it reloads on restart.
    old = es_home / "plugins" / f".{PLUGIN_NAME}.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    logger.info("installed %s into %s", zip_path.name, target)
    return True


def installed_build(es_home: Path) -> str | None:
    """The build name of the plugin installed in ``es_home`` (None if none)."""
    marker = es_home / "plugins" / PLUGIN_NAME / HASH_FILE
    return marker.read_text().strip() if marker.is_file() else None
