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
    if value is None:
        return None
    # A trailing newline (``echo``, a file edited on Windows) is never part of a secret; left in,
    # it ends up in an HTTP header and the library's error quotes the header, secret included.
    value = value.strip()
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise ConfigError(
            f"{key}: environment variable {env_name} holds a control character (line break?) inside "
            "its value; the value is not shown"
        )
    return value
