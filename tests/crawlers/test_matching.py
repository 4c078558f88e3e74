"""Brand matching at ingest: boundaries, accents, case, phrases, required and excluded terms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.config.brands import Brand, BrandQuery
from core.mention import Mention, Source
from core.text import fold, fold_with_map
from crawlers.matching import BrandMatcher
from crawlers.text import html_to_text, snippet_around

VELORA = Brand(
    name="Velora",
    aliases=["Velora Telecom", "@velora_fr", "Vélora"],
    query=BrandQuery(none_of=["Velora Beach", "velora.io"], phrases=["box Velora"]),
)
LANTIER = Brand(name="Cafés Lantier", aliases=["Lantier"], query=BrandQuery(none_of=["Étienne Lantier"]))
FREE = Brand(name="Free")


def names(matcher: BrandMatcher, text: str, title: str | None = None) -> list[str]:
    return [hit.brand for hit in matcher.find(text, title)]


@pytest.fixture(scope="module")
def matcher() -> BrandMatcher:
    return BrandMatcher([VELORA, LANTIER, FREE])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ma box Free est en panne", ["Free"]),
        ("Freedom of speech matters", []),
        ("freelance, freebox, Freed", []),
        ("FREE a encore augmenté ses prix", ["Free"]),
        ("Le magasin Velorama fait des soldes", []),
        ("VELORA ne répond plus", ["Velora"]),
        ("vélora et son SAV…", ["Velora"]),
        ("Merci @velora_fr pour la réponse", ["Velora"]),
        ("l'appli de Velora's support", ["Velora"]),
        ("Hôtel Velora Beach à Biarritz", []),
        ("Velora Beach, puis ma box Velora en panne", []),  # none_of wins over any naming
        ("Je code avec velora.io", []),
        ("les cafés lantier sont bons", ["Cafés Lantier"]),
        ("CAFES LANTIER", ["Cafés Lantier"]),
        ("Étienne Lantier, héros de Germinal", []),
        ("Lantiers est un nom de famille", []),
        ("Velora et Lantier, deux marques", ["Velora", "Cafés Lantier"]),
        ("", []),
    ],
)
def test_find(matcher, text, expected):
    assert names(matcher, text) == expected


def test_multi_word_terms_tolerate_spacing_and_hyphens():
    matcher = BrandMatcher([Brand(name="Nexa Mobile")])
    assert names(matcher, "chez Nexa  Mobile") == ["Nexa Mobile"]
    assert names(matcher, "chez Nexa-Mobile") == ["Nexa Mobile"]
    assert names(matcher, "chez Nexa, mobile") == []
    assert names(matcher, "chez Nexamobile") == []


def test_all_of_and_any_of():
    brand = Brand(name="Orbitel", query=BrandQuery(all_of=["fibre"], any_of=["OrbiBox"]))
    matcher = BrandMatcher([brand])
    assert names(matcher, "Orbitel fibre en panne") == ["Orbitel"]
    assert names(matcher, "Orbitel mobile en panne") == []  # the required term is missing
    assert names(matcher, "Mon OrbiBox perd la fibre") == ["Orbitel"]  # any_of names the brand too


def test_the_title_counts_and_the_snippet_points_into_the_text(matcher):
    hits = matcher.find("Pareil chez moi depuis ce matin.", "Re: Panne Velora à Lyon")
    assert [(h.brand, h.in_title) for h in hits] == [("Velora", True)]
    text = "Bonjour à tous. " * 20 + "Le SAV Vélora est injoignable depuis deux heures. " + "Merci. " * 30
    hit = matcher.find(text)[0]
    assert text[hit.start : hit.end] == "Vélora"


def test_apply_sets_brands_and_snippet(matcher):
    text = "Intro. " * 40 + "Ma box Velora clignote rouge, le SAV ne répond pas. " + "Suite. " * 40
    mention = Mention(
        url="http://example.org/t/1#p1", source=Source(kind="forum", name="t"), text=text,
        published_at=datetime(2026, 11, 21, tzinfo=UTC),
    )  # fmt: skip
    assert matcher.apply(mention) is True
    assert mention.brands == ["Velora"]
    assert mention.snippet is not None and "box Velora clignote" in mention.snippet
    assert mention.snippet.startswith("…") and mention.snippet.endswith("…")
    assert len(mention.snippet) < 300
    other = mention.model_copy(update={"text": "Rien à voir", "brands": [], "snippet": None, "title": None})
    assert matcher.apply(other) is False and other.brands == []


def test_folding_keeps_positions():
    folded, origin = fold_with_map("Œuvre à Cafés")
    assert folded == "oeuvre a cafes"
    assert origin[0] == origin[1] == 0 and folded[origin.index(8) :][:5] == "cafes"
    assert fold("L’ÉTÉ") == "l'ete"


def test_html_to_text_and_snippet():
    html = "<p>Bonjour&nbsp;<b>Velora</b></p><script>alert(1)</script><p>Deux</p>"
    assert html_to_text(html) == "Bonjour Velora\n\nDeux"
    assert snippet_around("abc Velora def", 4, 10) == "abc Velora def"
