"""The saved searches marketing opens in Discover, as Lucene queries on the mentions mapping.

Lucene syntax (Kibana's ``query_string``) rather than KQL, so Elasticsearch itself can run every
query and the tests check them against a real node. Brand names and crisis keywords come from
config.yaml; every field named here must exist in the mention mapping (``index.templates``).
Words are searched on the analysed sub-fields: ``.fr``/``.en`` (stems, elisions, accents) and
``.folded`` (accent-free prefixes).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from core.config.alerts import CrisisKeywordsRule
from core.config.schema import Config

# Used when no crisis_keywords rule is configured: the words of a French bad buzz.
DEFAULT_CRISIS_KEYWORDS = (
    "arnaque",
    "escroquerie",
    "boycott",
    "scandale",
    "plainte",
    "rappel produit",
    "action collective",
    "mise en demeure",
    "intoxication",
)
NEWEST_FIRST = (("published_at", "desc"),)


@dataclass(frozen=True)
class SavedSearch:
    """One Discover search: ``query`` in Lucene syntax, the columns shown, the sort order."""

    key: str
    title: str
    description: str
    query: str
    columns: tuple[str, ...]
    sort: tuple[tuple[str, str], ...] = NEWEST_FIRST


def quoted(value: str) -> str:
    """``value`` as a Lucene phrase: an exact match on keyword fields."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def slug(value: str) -> str:
    """ASCII, lower case, dashes: ``Cafés Lantier`` -> ``cafes-lantier`` (for saved object ids)."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "brand"


def keyword_clause(keyword: str, *, prefix: bool = True) -> str:
    """A single word matches as a prefix (derived forms; ``prefix``) or as itself (stemmed fields);
    a phrase allows two words between."""
    words = keyword.split()
    if len(words) == 1 and words[0].isalnum():
        return words[0].lower() + ("*" if prefix else "")
    return quoted(" ".join(words).lower()) + "~2"


def analysed_text_query(keywords: list[str]) -> str:
    """Title or text holding one of ``keywords``: stemmed in French and English, prefix when folded."""
    stemmed = " OR ".join(keyword_clause(k, prefix=False) for k in keywords)
    folded = " OR ".join(keyword_clause(k) for k in keywords)
    return " OR ".join(
        [
            *(f"{field}.fr:({stemmed})" for field in ("title", "text")),
            f"text.en:({stemmed})",
            *(f"{field}.folded:({folded})" for field in ("title", "text")),
        ]
    )


def crisis_keywords(config: Config) -> list[str]:
    """The keywords of every enabled crisis_keywords rule, in order, else the default list."""
    found: list[str] = []
    for rule in config.alerts.rules:
        if isinstance(rule, CrisisKeywordsRule) and rule.enabled:
            found.extend(k for k in rule.keywords if k not in found)
    return found or list(DEFAULT_CRISIS_KEYWORDS)


def negative_last_24h(brands: list[str]) -> SavedSearch:
    return SavedSearch(
        key="negative-24h",
        title="Veille — mentions négatives (24 h)",
        description=(
            "Mentions négatives envers une marque publiées ces dernières 24 heures "
            "(ou négatives dans l'ensemble quand la tonalité par marque manque), les plus récentes d'abord."
        ),
        query=f"published_at:[now-24h TO *] AND {negative_clause(brands)}",
        columns=("brands", "brand_labels", "source.domain", "author.name", "title", "snippet", "url"),
    )


def low_reviews() -> SavedSearch:
    # 1-2 stars on a five-star scale; other scales through the normalised 0..1 rating
    # (2 on 1..5 is 0.25), so a 2/10 counts and a 4/10 does not.
    return SavedSearch(
        key="reviews-1-2-stars",
        title="Veille — avis 1 à 2 étoiles",
        description="Avis clients notés 1 ou 2 sur 5 (ou l'équivalent sur une autre échelle).",
        query=("source.kind:review AND ((rating.best:5 AND rating.value:<=2) OR rating.normalized:<=0.25)"),
        columns=(
            "brands",
            "rating.value",
            "rating.best",
            "source.domain",
            "author.name",
            "title",
            "text",
            "url",
        ),
    )


def brand_mentions(brand: str) -> SavedSearch:
    return SavedSearch(
        key=f"brand-{slug(brand)}",
        title=f"Veille — mentions de {brand}",
        description=f"Toutes les mentions de {brand}, avec la tonalité envers la marque.",
        query=f"brands:{quoted(brand)}",
        columns=("brand_labels", "source.kind", "source.domain", "author.name", "title", "snippet", "url"),
    )


def negative_clause(brands: list[str]) -> str:
    labels = " OR ".join(quoted(f"{brand}:negative") for brand in brands)
    return f"(brand_labels:({labels}) OR (sentiment.label:negative AND NOT _exists_:brand_labels))"


def waiting_for_an_answer(brands: list[str]) -> SavedSearch:
    return SavedSearch(
        key="waiting-answer",
        title="Veille — négatifs en attente de réponse",
        description=(
            "Mentions négatives envers une marque que personne n'a encore traitées "
            "(`veille handled ID` les retire), les plus anciennes d'abord : l'objectif est 4 heures."
        ),
        query=f"status:new AND {negative_clause(brands)}",
        columns=("brands", "brand_labels", "source.domain", "author.name", "title", "snippet", "url"),
        sort=(("published_at", "asc"),),
    )


def crisis(keywords: list[str]) -> SavedSearch:
    return SavedSearch(
        key="crisis-keywords",
        title="Veille — mots de crise",
        description="Mentions contenant un mot de crise : " + ", ".join(keywords) + ".",
        query=analysed_text_query(keywords),
        columns=(
            "brands",
            "brand_labels",
            "source.domain",
            "author.name",
            "author.influence",
            "title",
            "snippet",
            "url",
        ),
    )


def saved_searches(config: Config) -> list[SavedSearch]:
    """Every saved search, in a fixed order: the shared ones, then one per configured brand."""
    brands = [brand.name for brand in config.brands]
    return [
        negative_last_24h(brands),
        waiting_for_an_answer(brands),
        low_reviews(),
        crisis(crisis_keywords(config)),
        *(brand_mentions(brand) for brand in brands),
    ]
