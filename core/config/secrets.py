"""Secrets come from environment variables named in the config, never from the file itself."""

from __future__ import annotations

import os

from core.errors import ConfigError


def read_secret(env_name: str | None, *, key: str, required: bool = False) -> str | None:
    """Value of ``$env_name``; ``key`` is the config key that named it, for the error message."""
    if not env_name:
        return None
    value = os.environ.get(env_name)
    if value is None and required:
        raise ConfigError(f"{key}: environment variable {env_name} is not set")
    return value
