"""The root of config.yaml: one model per section, every key documented in config.yaml itself."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from core.config.alerts import Alerts
from core.config.brands import Brand
from core.config.common import StrictModel
from core.config.elasticsearch import ElasticsearchConfig
from core.config.nlp import Nlp
from core.config.notifications import Digest, Notifications, Schedule
from core.config.privacy import Privacy
from core.config.sources import Crawl, Sources


class Config(StrictModel):
    timezone: str = Field("Europe/Paris", description="IANA zone for digest times and local dates")
    data_dir: str = Field("var", description="spool, feed state, outbox; relative to the config file")
    brands: list[Brand] = Field(min_length=1)
    sources: Sources = Field(default_factory=Sources)
    crawl: Crawl = Field(default_factory=Crawl)
    nlp: Nlp = Field(default_factory=Nlp)
    elasticsearch: ElasticsearchConfig = Field(default_factory=ElasticsearchConfig)
    alerts: Alerts = Field(default_factory=Alerts)
    notifications: Notifications = Field(default_factory=Notifications)
    digest: Digest = Field(default_factory=Digest)
    schedule: Schedule = Field(default_factory=Schedule)
    privacy: Privacy = Field(default_factory=Privacy)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown timezone {value!r}; expected an IANA name like 'Europe/Paris'"
            ) from exc
        return value

    @model_validator(mode="after")
    def _unique_brands(self) -> Config:
        names = [brand.name for brand in self.brands]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"brand names must be unique; repeated: {repeated}")
        # Brands and sources named by rules are checked by the loader, at the rule's own line.
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def brand(self, name: str) -> Brand:
        for brand in self.brands:
            if brand.name == name:
                return brand
        raise KeyError(name)
