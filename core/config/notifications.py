"""The ``notifications`` and ``digest`` sections: where emails go and when the digest is sent."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from core.config.common import (
    ClockTime,
    Duration,
    EmailAddresses,
    EnvVarName,
    PositiveDuration,
    StrictModel,
    parse_clock,
    parse_duration,
)


class Smtp(StrictModel):
    host: str
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: EnvVarName | None = Field(None, description="environment variable holding the password")
    timeout: PositiveDuration = Field(default=parse_duration("20s"))
    retries: int = Field(3, ge=0, le=10, description="extra attempts per run before the message waits")
    backoff: Duration = Field(
        default=parse_duration("2s"), description="pause before the first retry, doubled each time"
    )
    ca_file: str | None = Field(None, description="PEM CA bundle for a server with a private certificate")

    @model_validator(mode="after")
    def _login_pair(self) -> Smtp:
        if self.password_env and not self.username:
            raise ValueError("password_env is set but username is missing (both are needed to log in)")
        return self


class Email(StrictModel):
    sender: str = Field("veille@localhost", alias="from")
    to: EmailAddresses = Field(default_factory=list)
    smtp: Smtp | None = Field(None, description="no smtp = messages are written to the outbox folder")
    outbox_dir: str = Field("outbox", description="relative to data_dir")

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        if "@" not in value:
            raise ValueError("expected an email address such as veille@example.org")
        return value


class Notifications(StrictModel):
    email: Email = Field(default_factory=Email)


class Digest(StrictModel):
    enabled: bool = True
    time: ClockTime = Field(default=parse_clock("08:00"), description="local time (see timezone)")
    recipients: EmailAddresses = Field(default_factory=list, description="empty = notifications.email.to")
    response_target: PositiveDuration = Field(
        default=parse_duration("4h"), description="answer negative mentions within this"
    )


class Schedule(StrictModel):
    """How often each job of ``veille run`` runs."""

    poll: PositiveDuration = Field(default=parse_duration("5m"))
    crawl: PositiveDuration = Field(default=parse_duration("1h"))
    process: PositiveDuration = Field(default=parse_duration("1m"))
    alerts: PositiveDuration = Field(default=parse_duration("1m"))
    housekeeping: ClockTime = Field(default=parse_clock("03:30"))
    misfire_grace: Duration = Field(default=parse_duration("5m"))
