"""The Mention: one post, comment, review or feed entry that names a brand.

Collection fills the raw fields; enrichment adds ``lang``, sentiment, entities, story and author
influence; the index layer stores it as one Elasticsearch document whose ``_id`` is ``id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    computed_field,
    field_validator,
    model_validator,
)

from core.sanitize import check_published, clean_text
from core.urls import canonical_url, domain_of, mention_id

SentimentLabel = Literal["positive", "neutral", "negative"]


class SourceKind(StrEnum):
    FORUM = "forum"
    BLOG = "blog"
    REVIEW = "review"
    NEWS = "news"
    FEED = "feed"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Source(_Strict):
    kind: SourceKind
    name: str = Field(min_length=1, description="the source's name in config.yaml")
    domain: str = Field(default="", description="site host without www.; derived from url if empty")


class Author(_Strict):
    name: str | None = None
    url: str | None = None
    # Transparent 0-100 score computed by enrich/ (see enrich/influence.py); None until enriched.
    influence: float | None = Field(default=None, ge=0, le=100)
    # What the page shows about the author, when it shows it (posts on the forum, followers...).
    posts: int | None = Field(default=None, ge=0)

    @field_validator("name")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return None if value is None else clean_text(value)


class Rating(_Strict):
    value: float
    best: float = 5.0
    worst: float = 1.0

    @model_validator(mode="after")
    def _in_range(self) -> Rating:
        if self.best <= self.worst:
            raise ValueError(f"rating best ({self.best}) must exceed worst ({self.worst})")
        if not self.worst <= self.value <= self.best:
            raise ValueError(f"rating {self.value} outside {self.worst}..{self.best}")
        return self

    @computed_field
    @property
    def normalized(self) -> float:
        """The rating on 0..1 whatever the site's scale."""
        return round((self.value - self.worst) / (self.best - self.worst), 4)


class Sentiment(_Strict):
    label: SentimentLabel
    score: float = Field(ge=-1, le=1)
    model: str = ""


class BrandSentiment(Sentiment):
    brand: str


class Entity(_Strict):
    text: str
    label: str
    canonical: str | None = None


class Engagement(_Strict):
    replies: int | None = Field(default=None, ge=0)
    views: int | None = Field(default=None, ge=0)
    likes: int | None = Field(default=None, ge=0)


def _aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware (localise it with the site's timezone)")
    return value.astimezone(UTC)


class Mention(_Strict):
    """One document per post / comment / review / entry, never a whole thread."""

    url: str = Field(description="URL of the post itself, its anchor included when it has one")
    anchor: str | None = Field(default=None, description="post anchor when not in url's fragment")
    thread_url: str | None = None
    source: Source
    brands: list[str] = Field(default_factory=list)
    title: str | None = None
    text: str
    snippet: str | None = None
    author: Author = Field(default_factory=Author)
    # None when the page shows no readable date: never the crawl time (see first_seen_at), so an
    # old thread crawled for the first time does not look like a burst to the alert rules.
    published_at: datetime | None = None
    first_seen_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    lang: str | None = None
    rating: Rating | None = None
    engagement: Engagement = Field(default_factory=Engagement)
    sentiment: Sentiment | None = None
    brand_sentiments: list[BrandSentiment] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    story_id: str | None = None
    status: Literal["new", "handled"] = "new"
    handled_at: datetime | None = None

    # The id is a hash of the canonical URL: computed once, recomputed if url/anchor change.
    _id_cache: str | None = PrivateAttr(default=None)

    @field_validator("url", "thread_url")
    @classmethod
    def _absolute_url(cls, value: str | None) -> str | None:
        # Stored canonical, so equal posts compare equal; raises ValueError on a bad URL.
        return None if value is None else canonical_url(value)

    @field_validator("published_at", "first_seen_at", "handled_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _aware_utc(value)

    @field_validator("published_at")
    @classmethod
    def _plausible(cls, value: datetime | None) -> datetime | None:
        # A year 9999 or 1 would create an absurd monthly index; see core/sanitize.py.
        return None if value is None else check_published(value)

    @field_validator("title", "text", "snippet")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        # Every external text passes here: lone surrogates and terminal escapes never get stored.
        return None if value is None else clean_text(value)

    @model_validator(mode="after")
    def _fill_domain(self) -> Mention:
        if not self.source.domain:
            self.source.domain = domain_of(self.url)
        # Runs on creation and on every validated assignment, so the cached id follows the url.
        self._id_cache = mention_id(self.url, self.anchor)
        return self

    @computed_field
    @property
    def id(self) -> str:
        if self._id_cache is None:
            self._id_cache = mention_id(self.url, self.anchor)
        return self._id_cache

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Mention:
        copy = super().model_copy(update=update, deep=deep)
        if update and {"url", "anchor"} & update.keys():
            copy._id_cache = mention_id(copy.url, copy.anchor)
        return copy

    @computed_field
    @property
    def brand_labels(self) -> list[str]:
        """``brand:label`` keywords, so ES can count negative-towards-brand without nesting."""
        return [f"{bs.brand}:{bs.label}" for bs in self.brand_sentiments]

    def to_document(self) -> dict[str, Any]:
        """The Elasticsearch source document (JSON-ready, datetimes as ISO 8601 UTC)."""
        return self.model_dump(mode="json")

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Mention:
        """Rebuild a Mention from a stored document (computed fields are ignored)."""
        data = {k: v for k, v in doc.items() if k not in {"id", "brand_labels"}}
        if isinstance(data.get("rating"), dict):
            data["rating"] = {k: v for k, v in data["rating"].items() if k != "normalized"}
        return cls.model_validate(data)
