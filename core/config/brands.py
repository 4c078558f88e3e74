"""The ``brands`` section: who we watch, and the query that decides what is about them."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from core.config.common import StrictModel

LANGUAGES = ("fr", "en")


class BrandQuery(StrictModel):
    """Boolean query on words and phrases, matched accent- and case-insensitively.

    A text is about the brand when it contains the name or an alias or one of ``any_of``,
    and every term of ``all_of``, and none of ``none_of``.
    """

    all_of: list[str] = Field(default_factory=list, description="required terms")
    any_of: list[str] = Field(default_factory=list, description="optional terms, one suffices")
    none_of: list[str] = Field(default_factory=list, description="excluded terms")
    phrases: list[str] = Field(default_factory=list, description="exact phrases that also match")


class Brand(StrictModel):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    query: BrandQuery = Field(default_factory=BrandQuery)
    languages: list[str] = Field(default_factory=lambda: ["fr", "en"])
    competitors: list[str] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list)

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [lang for lang in value if lang not in LANGUAGES]
        if unknown:
            raise ValueError(f"unsupported language(s) {unknown}; expected some of {list(LANGUAGES)}")
        return value

    @model_validator(mode="after")
    def _no_blank_terms(self) -> Brand:
        terms = [*self.aliases, *self.query.all_of, *self.query.any_of, *self.query.none_of]
        if any(not t.strip() for t in [*terms, *self.query.phrases]):
            raise ValueError("brand terms must not be empty strings")
        return self

    @property
    def names(self) -> list[str]:
        """The name and every alias: what counts as naming the brand."""
        return [self.name, *self.aliases]
