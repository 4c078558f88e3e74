"""Start the workspace: build it from the config, serve it with uvicorn (foreground or a thread)."""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from core.config import LoadedConfig
from veille.web.accounts import Accounts
from veille.web.app import Workspace, create_app, session_secret
from veille.web.audit import AuditLog
from veille.wiring import open_index

logger = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def accounts_for(loaded: LoadedConfig) -> Accounts:
    return Accounts(loaded.data_dir / "web" / "accounts.sqlite")


def demo_login(loaded: LoadedConfig, name: str = "demo") -> tuple[str, str]:
    """An admin account for the demo with a fresh random password (shown once, never stored)."""
    import secrets

    password = secrets.token_urlsafe(12)
    with accounts_for(loaded) as accounts:
        accounts.add(name, password, "admin", replace=True)
    return name, password


def build_workspace(
    loaded: LoadedConfig, *, host: str = "127.0.0.1", clock: Callable[[], datetime] | None = None
) -> Workspace:
    """Open ES (templates installed), the accounts file and the audit log under ``data_dir/web``."""
    handle = open_index(loaded)
    web_dir = loaded.data_dir / "web"
    ws = Workspace(
        loaded=loaded,
        es=handle.es,
        names=handle.names,
        accounts=accounts_for(loaded),
        audit=AuditLog(web_dir / "audit.log"),
        secret=session_secret(web_dir),
        # Plain HTTP is only acceptable on the loopback; anywhere else a TLS proxy must front it
        # and cookies are sent over HTTPS only.
        secure_cookies=not is_loopback(host),
    )
    if clock is not None:
        ws.clock = clock
    return ws


class WebServer:
    """uvicorn in a background thread (``veille demo``, browser tests); ``stop()`` ends it."""

    def __init__(self, ws: Workspace, host: str = "127.0.0.1", port: int = 8080) -> None:
        import uvicorn

        config = uvicorn.Config(create_app(ws), host=host, port=port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self.server.run, name="veille-web", daemon=True)

    def start(self, timeout: float = 15.0) -> WebServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise OSError(f"the web workspace did not start on {self.url}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> WebServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def serve(loaded: LoadedConfig, host: str, port: int) -> None:
    """Serve in the foreground until interrupted."""
    import uvicorn

    ws = build_workspace(loaded, host=host)
    logger.info("web workspace on http://%s:%d", host, port)
    uvicorn.run(
        create_app(ws), host=host, port=port, log_level="warning", proxy_headers=not is_loopback(host)
    )
