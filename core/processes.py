"""Is a process still there? (lease owners in the spool, the local Elasticsearch node)."""

from __future__ import annotations

import os


def process_alive(pid: int | None) -> bool:
    """True if ``pid`` runs (a process of another user counts: we may not signal it, but it lives)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
