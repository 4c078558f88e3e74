"""The ``web`` section: where the workspace listens and the address emails link to."""

from __future__ import annotations

from pydantic import Field, field_validator

from core.config.common import StrictModel


class Web(StrictModel):
    host: str = Field("127.0.0.1", description="address `veille web` listens on")
    port: int = Field(8080, ge=1, le=65535)
    url: str = Field("http://127.0.0.1:8080", description="the workspace's address as readers reach it")

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected an http:// or https:// address, e.g. https://veille.example.org")
        return value.rstrip("/")
