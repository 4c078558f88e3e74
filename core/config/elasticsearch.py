"""The ``elasticsearch`` section: which cluster, which indices, and the local node's settings."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, field_validator

from core.config.common import EnvVarName, PositiveDuration, StrictModel, parse_duration


class LocalNode(StrictModel):
    """The single-node server Veille starts itself when no ``url`` is given."""

    version: str = "8.19.21"
    port: int = Field(9200, ge=1024, le=65535)
    heap: str = Field("768m", pattern=r"^\d+[mg]$")
    # Authentication on the local node; Veille generates and uses its credentials itself.
    security: bool = True


class ElasticsearchConfig(StrictModel):
    url: str | None = Field(None, description="existing cluster; empty = the local node (ES_URL wins)")
    api_key_env: EnvVarName = "ES_API_KEY"
    username_env: EnvVarName = "ES_USERNAME"
    password_env: EnvVarName = "ES_PASSWORD"
    ca_certs_env: EnvVarName = "ES_CA_CERTS"
    index_prefix: str = Field("veille", pattern=r"^[a-z0-9][a-z0-9_\-]*$")
    request_timeout: PositiveDuration = Field(default=parse_duration("30s"))
    bulk_chunk: int = Field(500, ge=1, le=10_000)
    local: LocalNode = Field(default_factory=LocalNode)

    @field_validator("url")
    @classmethod
    def _no_credentials(cls, value: str | None) -> str | None:
        if value and (urlsplit(value).password is not None or urlsplit(value).username is not None):
            raise ValueError(
                "credentials in the URL are secrets in clear; give the URL without them and set "
                "ES_USERNAME and ES_PASSWORD (or ES_API_KEY) in the environment"
            )
        return value
