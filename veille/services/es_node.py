"""The local single-node Elasticsearch that Veille starts by itself (``veille es start``).

Bound to 127.0.0.1, ``discovery.type=single-node``, a 512 MB to 1 GB heap, with Veille's
analysis plugin (``es_plugin``) and authentication on: the ``elastic`` password and an API key
are generated and kept in ``<cache>/credentials`` (``index.local_credentials``), where
``connect()`` finds them (``elasticsearch.local.security: false`` turns authentication off).
Elasticsearch refuses to run as root, so when invoked as root the node runs as the
dedicated system user ``veille-es``. Everything lives under the cache folder (``$VEILLE_CACHE_DIR``,
else /var/cache/veille for root, ~/.cache/veille otherwise): the verified download, ES_HOME, and
one folder per port with config, data, logs and the pid file. Starting twice leaves one node.
``secure=True`` adds HTTPS with a private CA, like a production cluster (see ``es_security``).
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import logging
import os
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
from index import local_credentials
from index.local_credentials import default_cache_dir
from veille.services import es_files, es_plugin, es_process, es_security
from veille.services.es_distribution import download, unpack
from veille.services.es_java import find_jdk

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NodeStatus:
    running: bool
    url: str
    pid: int | None = None
    health: str | None = None
    version: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Membership:
    """A node's place in a multi-node cluster on this machine (tests; production runs real hosts)."""

    cluster_name: str
    node_name: str
    transport_port: int
    seed_hosts: tuple[str, ...]  # "127.0.0.1:<transport port>" of every node
    initial_masters: tuple[str, ...]  # node names that vote in the first election


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
        auth: bool = True,
        membership: Membership | None = None,
    ) -> None:
        self.version = version
        self.secure = secure  # HTTPS with a private CA, and authentication
        self.auth = auth or secure
        self.port = port
        self.heap = heap
        self.cache_dir = cache_dir or default_cache_dir()
        self.node_dir = self.cache_dir / f"node-{port}"
        self.pid_file = self.node_dir / "node.pid"
        self.membership = membership
        self._refused_status: int | None = None  # the last 401/403 the node answered
        self.cluster_name = membership.cluster_name if membership else f"veille-local-{port}"

    @classmethod
    def from_config(cls, local: LocalNodeConfig | None = None, *, port: int | None = None) -> LocalNode:
        """The node ``elasticsearch.local`` describes (the defaults when ``local`` is None)."""
        local = local or LocalNodeConfig()
        return cls(local.version, port or local.port, local.heap, auth=local.security)

    @property
    def url(self) -> str:
        return f"{'https' if self.secure else 'http'}://127.0.0.1:{self.port}"

    @property
    def credentials(self) -> local_credentials.LocalCredentials | None:
        """The ``elastic`` password and Veille's API key (None until first started with auth)."""
        return local_credentials.load(self.port, self.cache_dir) if self.auth else None

    @property
    def security(self) -> es_security.NodeSecurity | None:
        """CA file and ``elastic`` password of a secure node (None until it was first started)."""
        if not self.secure:
            return None
        return es_security.load(self.node_dir / "config", self.credentials)

    # -- public operations ---------------------------------------------------------------------
    def status(self) -> NodeStatus:
        pid = self._pid()
        # This distribution has no root "GET /" endpoint: cluster health names the cluster.
        health = self._http_json("/_cluster/health")
        if health is None:
            detail = "not running" if pid is None else f"process {pid} is up but not answering yet"
            if self._refused_status in (401, 403):
                where = local_credentials.credentials_file(self.port, self.cache_dir)
                detail = (
                    f"a node answers on port {self.port} but refuses Veille's credentials "
                    f"(HTTP {self._refused_status}; they are kept in {where})"
                )
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
            if not current.running:
                self._refuse_busy_port(current)
            es_home = unpack(
                download(self.version, self.cache_dir / "downloads"), self.version, self.cache_dir
            )
            jdk = find_jdk(self.cache_dir)
            plugin = es_plugin.build(es_home, self.version, jdk.home, self.cache_dir / "plugins")
            es_plugin.install(plugin, es_home)
            record = f"{plugin.stem} auth={self.auth} tls={self.secure}"
            if current.running:
                if self._plugin_record() == record:
                    return self._with_api_key(current)
                # Started before this plugin build, or with other security settings.
                logger.warning("restarting the node at %s (%s)", self.url, record)
                self.stop()
                self._refuse_busy_port(self.status())
            self._prepare_node_dir(es_home, jdk.home)
            self._launch(es_home, jdk.home)
            self._plugin_record_path.write_text(record + "\n")
            return self._with_api_key(self._wait_healthy(timeout))

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the node; True if one was running.

        The pid file is written by the Elasticsearch user: its pid is signalled only if that
        process is this node's Elasticsearch run by that user, checked again before SIGKILL.
        """
        pid = self._pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.is_node_process(pid):
            time.sleep(0.3)
        if self.is_node_process(pid):
            logger.warning("Elasticsearch (pid %s) did not stop in %ss; killing it", pid, timeout)
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def is_node_process(self, pid: int) -> bool:
        """Whether ``pid`` is this node's Elasticsearch server, run by the user Veille runs it as."""
        if not process_alive(pid):
            return False
        owner = es_process.owner_and_args(pid)
        if owner is None:
            return False
        uid, args = owner
        if uid != es_process.node_uid():
            return False
        return "org.elasticsearch.bootstrap.Elasticsearch" in " ".join(args) and (
            f"-Djava.io.tmpdir={self.node_dir / 'tmp'}" in args
        )

    # -- internals -----------------------------------------------------------------------------
    def _refuse_busy_port(self, current: NodeStatus) -> None:
        if "refuses Veille's credentials" in current.detail:
            raise ESNodeError(current.detail)
        if "another" in current.detail or self._port_busy():
            raise ESNodeError(
                f"port {self.port} is in use by another program; choose another with "
                "elasticsearch.local.port in config.yaml or --port"
            )

    def _with_api_key(self, status: NodeStatus) -> NodeStatus:
        """Make sure the stored API key authenticates; mint and store a new one if not."""
        credentials = self.credentials
        if credentials is None:
            return status
        if credentials.api_key and self._request("GET", "/_security/_authenticate", api_key=True):
            return status
        created = None
        for _ in range(20):
            # A fresh node may still be creating its .security index: that answers 503 for a moment.
            created = self._request("POST", "/_security/api_key", es_security.api_key_request())
            if created and "encoded" in created:
                break
            time.sleep(2)
        if not created or "encoded" not in created:
            raise ESNodeError(f"the node at {self.url} did not create Veille's API key (see -vv)")
        local_credentials.save(
            self.port,
            dataclasses.replace(credentials, api_key=created["encoded"], api_key_id=created["id"]),
            self.cache_dir,
        )
        logger.info(
            "stored a new API key for %s in %s",
            self.url,
            local_credentials.credentials_file(self.port, self.cache_dir),
        )
        return status

    @property
    def _plugin_record_path(self) -> Path:
        # In the cache folder (root's), not the node folder the ES user can write.
        return self.cache_dir / f".node-{self.port}.plugin"

    def _plugin_record(self) -> str | None:
        try:
            return self._plugin_record_path.read_text().strip()
        except OSError:
            return None

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
        """The node's server pid, if the pid file names a live process that is this node."""
        raw = es_files.read_file(self.node_dir, self.pid_file.name) if self.node_dir.is_dir() else None
        try:
            pid = int((raw or b"").strip())
        except ValueError:
            return None
        if pid <= 1 or not process_alive(pid):
            return None
        if not self.is_node_process(pid):
            logger.warning(
                "%s names process %s, which is not this Elasticsearch node: ignoring it", self.pid_file, pid
            )
            return None
        return pid

    def _port_busy(self) -> bool:
        import socket

        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def _http_json(self, path: str) -> dict[str, Any] | None:
        """The node's JSON answer to ``GET path``, or None when it does not answer with one."""
        return self._request("GET", path)

    def _request(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, api_key: bool = False
    ) -> dict[str, Any] | None:
        """JSON answer of the node, authenticated as ``elastic`` (or with the API key); None on failure."""
        self._refused_status = None  # describes this request only (a restarting node refuses briefly)
        headers: dict[str, str] = {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        credentials = self.credentials
        if credentials is not None:
            if api_key:
                headers["Authorization"] = f"ApiKey {credentials.api_key}"
            else:
                headers["Authorization"] = es_security.basic_auth_header(credentials.password)
        # No credentials yet: ask anonymously (a node started earlier without security answers).
        ca_certs = None
        if self.secure:
            security = self.security
            if security is None:
                return None  # never prepared: nothing can be answering with our certificate yet
            ca_certs = str(security.ca_cert)  # our private CA; the host name is checked as usual
        data = json.dumps(body).encode() if body is not None else None
        try:
            with urllib3.PoolManager(ca_certs=ca_certs, retries=False, timeout=5.0) as http:
                response = http.request(method, self.url + path, headers=headers, body=data)
        except urllib3.exceptions.HTTPError:
            return None
        if response.status >= 400:
            logger.debug("%s %s: HTTP %s %s", method, path, response.status, response.data[:500])
            self._refused_status = response.status if response.status in (401, 403) else None
            return None
        try:
            answer = json.loads(response.data)
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None

    def _prepare_node_dir(self, es_home: Path, java_home: Path) -> None:
        # The ES user owns this folder and may have planted links: es_files never follows them.
        config = self.node_dir / "config"
        base = self.node_dir
        if es_files.read_file(base, "config/jvm.options") is None:
            es_files.copy_tree(es_home / "config", base, "config")
        for sub in ("data", "logs", "tmp", "config/jvm.options.d"):
            es_files.make_dirs(base, sub)
        es_files.write_file(
            base,
            "config/elasticsearch.yml",
            "\n".join(
                [
                    "# Written by `veille es start`; edits are overwritten.",
                    f"cluster.name: {self.cluster_name}",
                    f"path.data: {self.node_dir / 'data'}",
                    f"path.logs: {self.node_dir / 'logs'}",
                    "network.host: 127.0.0.1",
                    f"http.port: {self.port}",
                    *self._discovery_settings(),
                    *es_security.settings(config, auth=self.auth, tls=self.secure),
                    # A nearly full disk must not turn the only node read-only in the middle of a demo.
                    "cluster.routing.allocation.disk.threshold_enabled: false",
                    "action.destructive_requires_name: false",
                    "",
                ]
            ),
            mode=0o664,
        )
        es_files.write_file(
            base, "config/jvm.options.d/veille-heap.options", f"-Xms512m\n-Xmx{self.heap}\n", mode=0o664
        )
        user = es_process.ensure_es_user() if os.geteuid() == 0 else None
        if user is not None:
            es_files.chown_tree(self.node_dir, user.pw_uid, user.pw_gid)
        # The indices hold people's posts and names: only the node's user (and root) may read them.
        if not self.node_dir.is_symlink():
            self.node_dir.chmod(0o700)
        if self.auth:
            credentials = self.credentials or local_credentials.LocalCredentials(es_security.new_password())
            local_credentials.save(self.port, credentials, self.cache_dir)
            es_security.prepare(
                self.node_dir, config, es_home, java_home, credentials.password, tls=self.secure, user=user
            )

    def _discovery_settings(self) -> list[str]:
        member = self.membership
        if member is None:
            return ["node.name: veille-local", "transport.port: 0", "discovery.type: single-node"]
        return [
            f"node.name: {member.node_name}",
            f"transport.port: {member.transport_port}",
            f"discovery.seed_hosts: [{', '.join(member.seed_hosts)}]",
            f"cluster.initial_master_nodes: [{', '.join(member.initial_masters)}]",
        ]

    def _launch(self, es_home: Path, java_home: Path) -> None:
        env = {
            "PATH": "/usr/bin:/bin",
            "ES_JAVA_HOME": str(java_home),
            "ES_PATH_CONF": str(self.node_dir / "config"),
            "ES_TMPDIR": str(self.node_dir / "tmp"),
            "LANG": "C.UTF-8",
        }
        user = es_process.ensure_es_user() if os.geteuid() == 0 else None
        self.pid_file.unlink(missing_ok=True)
        log = os.fdopen(es_files.open_file(self.node_dir, "logs/startup.log", append=True), "ab")
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
        logs = sorted(
            (p for p in (self.node_dir / "logs").glob("*.log") if not p.is_symlink()),
            key=lambda p: p.stat(follow_symlinks=False).st_mtime,
        )
        raw = es_files.read_file(self.node_dir, Path("logs") / logs[-1].name) if logs else None
        if raw is None:
            return "(no log written)"
        return "\n".join(raw.decode(errors="replace").splitlines()[-lines:])
