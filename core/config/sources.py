"""The ``sources`` and ``crawl`` sections: feeds to poll, sites to crawl, and how politely."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, HttpUrl, field_validator, model_validator

from core.config.common import Duration, PositiveDuration, StrictModel, parse_duration

# "auto": detect the engine on each page (generator meta, body classes, structured data).
Preset = Literal[
    "auto",
    # forums and Q&A
    "phpbb", "xenforo", "vbulletin", "discourse", "smf", "invision", "vanilla", "fluxbb",
    "stackexchange",
    # blogs, CMS comments and review sites
    "wordpress", "schema_org", "spip", "blogger", "drupal", "amazon", "trustpilot",
]  # fmt: skip


def _check_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {value!r}; expected an IANA name like 'Europe/Paris'") from exc
    return value


class SiteProfile(StrictModel):
    """CSS (or XPath, prefixed ``xpath:``) selectors that find posts on a site's pages.

    Every selector is relative to the page, except the per-post ones (``post_*``) which are
    relative to one ``post`` element. Unset fields fall back to the preset's selectors.
    """

    thread_list: str | None = Field(None, description="links to threads/articles/products on a listing page")
    next_page: str | None = Field(None, description="link to the next page (listing or thread)")
    thread_title: str | None = None
    post: str | None = Field(None, description="one element per post, comment or review")
    post_anchor: str | None = Field(
        None, description="attribute (@id) or selector giving the post's anchor id"
    )
    post_link: str | None = Field(None, description="the post's permalink, when the page shows one")
    post_author: str | None = None
    post_author_url: str | None = None
    post_date: str | None = None
    post_text: str | None = None
    post_rating: str | None = None
    post_title: str | None = None
    author_posts: str | None = Field(None, description="post count shown next to the author")
    replies: str | None = None
    views: str | None = None


class _SourceBase(StrictModel):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    enabled: bool = True
    timezone: str | None = Field(None, description="site's local timezone for dates without offset")
    language: Literal["fr", "en"] | None = Field(None, description="hint when the page does not say")
    timeout: PositiveDuration | None = Field(None, description="overrides crawl.timeout for this source")
    also_fetch_from: list[str] = Field(
        default_factory=list,
        description="other sites this source may download from ('https://host[:port]' or 'host'); "
        "by default only its own scheme, host and port",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        return _check_timezone(value)


class FeedSource(_SourceBase):
    url: HttpUrl
    kind: Literal["news", "blog", "forum", "review", "feed"] = "feed"
    full_text: bool = Field(False, description="fetch the linked page and extract its text (trafilatura)")


class SiteSource(_SourceBase):
    start_urls: list[HttpUrl] = Field(min_length=1)
    allowed_domains: list[str] = Field(default_factory=list, description="defaults to the start URLs' hosts")
    preset: Preset | None = "auto"
    profile: SiteProfile = Field(default_factory=SiteProfile)
    max_pages: int = Field(500, ge=1, description="stop after this many pages per crawl")

    @model_validator(mode="after")
    def _preset_or_profile(self) -> SiteSource:
        if self.preset is None and self.profile.post is None:
            raise ValueError("set 'preset' (auto by default) or at least 'profile.post' (the post selector)")
        return self


# The source groups of the config, in order; a new group is added here and in ``Sources``.
SOURCE_GROUPS = ("feeds", "forums", "blogs", "reviews")
SITE_GROUPS = SOURCE_GROUPS[1:]
# config group -> Mention.source.kind
KIND_OF_GROUP = {"feeds": "feed", "forums": "forum", "blogs": "blog", "reviews": "review"}


class Sources(StrictModel):
    feeds: list[FeedSource] = Field(default_factory=list)
    forums: list[SiteSource] = Field(default_factory=list)
    blogs: list[SiteSource] = Field(default_factory=list)
    reviews: list[SiteSource] = Field(default_factory=list)

    def grouped(self) -> list[tuple[str, FeedSource | SiteSource]]:
        """(group, source) for every configured source, enabled or not, in config order."""
        return [(group, source) for group in SOURCE_GROUPS for source in getattr(self, group)]

    def all(self) -> list[FeedSource | SiteSource]:
        """Every configured source, enabled or not."""
        return [source for _, source in self.grouped()]

    def names(self, *, enabled_only: bool = False) -> list[str]:
        return [s.name for s in self.all() if s.enabled or not enabled_only]

    @model_validator(mode="after")
    def _unique_names(self) -> Sources:
        seen: set[str] = set()
        for source in self.all():
            if source.name in seen:
                raise ValueError(f"source name {source.name!r} is used twice; names must be unique")
            seen.add(source.name)
        return self


class Crawl(StrictModel):
    """Politeness defaults for every crawl; they apply per domain."""

    user_agent: str = "VeilleBot/0.1 (+https://github.com/veille/veille; brand monitoring)"
    obey_robots_txt: bool = True
    concurrency_per_domain: int = Field(2, ge=1, le=32)
    download_delay: Duration = Field(default=parse_duration("0s"))
    autothrottle: bool = True
    timeout: PositiveDuration = Field(default=parse_duration("20s"))
    retries: int = Field(2, ge=0, le=10)
    max_page_size: int = Field(5_000_000, ge=10_000, description="bytes; larger pages are dropped")
