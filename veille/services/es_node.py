"""The local single-node Elasticsearch that Veille starts by itself (``veille es start``).

Bound to 127.0.0.1, ``discovery.type=single-node``, security off (loopback only), a 512 MB to
1 GB heap. Elasticsearch refuses to run as root, so when invoked as root the node runs as the
dedicated system user ``veille-es``. Everything lives under the cache folder (``$VEILLE_CACHE_DIR``,
else /var/cache/veille for root, ~/.cache/veille otherwise): the verified download, ES_HOME, and
one folder per port with config, data, logs and the pid file. Starting twice leaves one node.
``secure=True`` runs it like a production cluster instead (x-pack security, HTTPS with a private
CA, an ``elastic`` password; see ``es_security``) to test Veille's TLS + API key path.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import pwd
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import urllib3

from core.config.elasticsearch import LocalNode as LocalNodeConfig
from core.errors import ESNodeError
from core.processes import process_alive
from veille.services import es_security
from veille.services.es_distribution import download, unpack
from veille.services.es_java import find_jdk

logger = logging.getLogger(__name__)

ES_USER = "veille-es"


def default_cache_dir() -> Path:
    if os.environ.get("VEILLE_CACHE_DIR"):
        return Path(os.environ["VEILLE_CACHE_DIR"])
    # /root is mode 0700: the unprivileged ES user could not read anything under it.
    if os.geteuid() == 0:
        return Path("/var/cache/veille")
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "veille"


@dataclass(frozen=True)
class NodeStatus:
    running: bool
    url: str
    pid: int | None = None
    health: str | None = None
    version: str | None = None
    detail: str = ""


class LocalNode:
    """One local node, identified by its port (its cluster name is ``veille-local-<port>``)."""

    def __init__(
        self,
        version: str,
        port: int = 9200,
        heap: str = "768m",
        cache_dir: Path | None = None,
        *,
        secure: bool = False,
    ) -> None:
        self.version = version
        self.secure = secure
        self.port = port
        self.heap = heap
        self.cache_dir = cache_dir or default_cache_dir()
        self.node_dir = self.cache_dir / f"node-{port}"
        self.pid_file = self.node_dir / "node.pid"
        self.cluster_name = f"veille-local-{port}"

    @classmethod
    def from_config(cls, local: LocalNodeConfig | None = None, *, port: int | None = None) -> LocalNode:
        """The node ``elasticsearch.local`` describes (the defaults when ``local`` is None)."""
        local = local or LocalNodeConfig()
        return cls(local.version, port or local.port, local.heap)

    @property
    def url(self) -> str:
        return f"{'https' if self.secure else 'http'}://127.0.0.1:{self.port}"

    @property
    def security(self) -> es_security.NodeSecurity | None:
        """CA file and ``elastic`` password of a secure node (None until it was first started)."""
        if not self.secure:
            return None
        return es_security.load(self.node_dir, self.node_dir / "config")

    # -- public operations ---------------------------------------------------------------------
    def status(self) -> NodeStatus:
        pid = self._pid()
        # This distribution has no root "GET /" endpoint: cluster health names the cluster.
        health = self._http_json("/_cluster/health")
        if health is None:
            detail = "not running" if pid is None else f"process {pid} is up but not answering yet"
            return NodeStatus(False, self.url, pid, detail=detail)
        if health.get("cluster_name") != self.cluster_name:
            return NodeStatus(
                False,
                self.url,
                pid,
                detail=f"port {self.port} is used by another Elasticsearch ({health.get('cluster_name')})",
            )
        nodes = self._http_json("/_nodes/_local?filter_path=nodes.*.version") or {}
        versions = [node.get("version") for node in nodes.get("nodes", {}).values()]
        return NodeStatus(True, self.url, pid, health.get("status"), versions[0] if versions else None)

    def start(self, timeout: float = 240.0) -> NodeStatus:
        """Start the node unless it runs already; wait until it is healthy; return its status."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.cache_dir.chmod(0o755)
        with self._lock():
            current = self.status()
            if current.running:
                return current
            if "another" in current.detail or self._port_busy():
                raise ESNodeError(
                    f"port {self.port} is in use by another program; choose another with "
                    "elasticsearch.local.port in config.yaml or --port"
                )
            es_home = unpack(
                download(self.version, self.cache_dir / "downloads"), self.version, self.cache_dir
            )
            jdk = find_jdk(self.cache_dir)
            self._prepare_node_dir(es_home, jdk.home)
            self._launch(es_home, jdk.home)
            return self._wait_healthy(timeout)

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the node; True if one was running."""
        pid = self._pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process_alive(pid):
            time.sleep(0.3)
        if process_alive(pid):
            logger.warning("Elasticsearch (pid %s) did not stop in %ss; killing it", pid, timeout)
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    # -- internals -----------------------------------------------------------------------------
    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.node_dir.mkdir(parents=True, exist_ok=True)
        with (self.cache_dir / f".node-{self.port}.lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if process_alive(pid) else None

    def _port_busy(self) -> bool:
        import socket

        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def _http_json(self, path: str) -> dict[str, Any] | None:
        """The node's JSON answer to ``GET path``, or None when it does not answer with one."""
        headers: dict[str, str] = {}
        ca_certs = None
        security = self.security
        if security is not None:
            headers["Authorization"] = security.basic_auth_header()
            ca_certs = str(security.ca_cert)  # our private CA; the host name is checked as usual
        elif self.secure:
            return None  # never prepared: nothing can be answering with our certificate yet
        try:
            with urllib3.PoolManager(ca_certs=ca_certs, retries=False, timeout=5.0) as http:
                response = http.request("GET", self.url + path, headers=headers)
        except urllib3.exceptions.HTTPError:
            return None
        if response.status >= 400:
            return None
        try:
            answer = json.loads(response.data)
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None

    def _prepare_node_dir(self, es_home: Path, java_home: Path) -> None:
        config = self.node_dir / "config"
        if not (config / "jvm.options").exists():
            shutil.copytree(es_home / "config", config, dirs_exist_ok=True)
        for sub in ("data", "logs", "tmp"):
            (self.node_dir / sub).mkdir(parents=True, exist_ok=True)
        (config / "elasticsearch.yml").write_text(
            "\n".join(
                [
                    "# Written by `veille es start`; edits are overwritten.",
                    f"cluster.name: {self.cluster_name}",
                    "node.name: veille-local",
                    f"path.data: {self.node_dir / 'data'}",
                    f"path.logs: {self.node_dir / 'logs'}",
                    "network.host: 127.0.0.1",
                    f"http.port: {self.port}",
                    "transport.port: 0",
                    "discovery.type: single-node",
                    *(es_security.settings(config) if self.secure else ["xpack.security.enabled: false"]),
                    # A nearly full disk must not turn the only node read-only in the middle of a demo.
                    "cluster.routing.allocation.disk.threshold_enabled: false",
                    "action.destructive_requires_name: false",
                    "",
                ]
            )
        )
        (config / "jvm.options.d").mkdir(exist_ok=True)
        (config / "jvm.options.d" / "veille-heap.options").write_text(f"-Xms512m\n-Xmx{self.heap}\n")
        if self.secure:
            es_security.prepare(self.node_dir, config, es_home, java_home)
        if os.geteuid() == 0:
            user = _ensure_es_user()
            for path in [self.node_dir, *self.node_dir.rglob("*")]:
                os.chown(path, user.pw_uid, user.pw_gid)

    def _launch(self, es_home: Path, java_home: Path) -> None:
        env = {
            "PATH": "/usr/bin:/bin",
            "ES_JAVA_HOME": str(java_home),
            "ES_PATH_CONF": str(self.node_dir / "config"),
            "ES_TMPDIR": str(self.node_dir / "tmp"),
            "LANG": "C.UTF-8",
        }
        user = _ensure_es_user() if os.geteuid() == 0 else None
        self.pid_file.unlink(missing_ok=True)
        log = (self.node_dir / "logs" / "startup.log").open("ab")
        # -d daemonizes once the node has started; -p writes the server's pid for stop/status.
        command = [str(es_home / "bin" / "elasticsearch"), "-d", "-p", str(self.pid_file)]
        logger.info("starting Elasticsearch %s on %s (java %s)", self.version, self.url, java_home)
        try:
            result = subprocess.run(
                command,
                env=env,
                cwd=self.node_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                user=user.pw_uid if user else None,
                group=user.pw_gid if user else None,
                start_new_session=True,
                timeout=300,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ESNodeError(f"cannot start Elasticsearch from {es_home}: {exc}") from exc
        finally:
            log.close()
        if result.returncode != 0:
            raise ESNodeError(
                f"Elasticsearch exited with code {result.returncode}; "
                f"last lines of its log:\n{self._log_tail()}"
            )

    def _wait_healthy(self, timeout: float) -> NodeStatus:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = self._http_json("/_cluster/health?wait_for_status=yellow&timeout=5s")
            if health and health.get("status") in {"green", "yellow"}:
                return self.status()
            if self._pid() is None and not self.pid_file.exists():
                raise ESNodeError(f"Elasticsearch stopped during start-up:\n{self._log_tail()}")
            time.sleep(1)
        raise ESNodeError(f"Elasticsearch did not become healthy within {timeout:.0f}s:\n{self._log_tail()}")

    def _log_tail(self, lines: int = 25) -> str:
        logs = sorted((self.node_dir / "logs").glob("*.log"), key=lambda p: p.stat().st_mtime)
        if not logs:
            return "(no log written)"
        return "\n".join(logs[-1].read_text(errors="replace").splitlines()[-lines:])


def _ensure_es_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(ES_USER)
    except KeyError:
        pass
    try:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ES_USER],
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or exc
        raise ESNodeError(
            f"cannot create the system user {ES_USER!r} to run Elasticsearch: {detail}"
        ) from exc
    return pwd.getpwnam(ES_USER)
