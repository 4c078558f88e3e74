"""Which parts of a text speak for a brand, and which way: comparisons, contrasts, switching."""

from __future__ import annotations

from enrich.parties import other_parties
from enrich.targeting import Parsed, brand_parts, sentence_units

BRANDS = {"Velora", "Orbitel", "Nexa"}


def parse(text: str) -> Parsed:
    """Words split on spaces (write ``qu' X`` as spaCy splits it); one sentence per ``.``."""
    words = text.split(" ")
    ents = [(i, i + 1, w) for i, w in enumerate(words) if w in BRANDS]
    ents += [(s, e, f"ORG:{t.lower()}") for s, e, t in other_parties(words, [(s, e) for s, e, _ in ents])]
    sents, start = [], 0
    for i, word in enumerate(words):
        if word == ".":
            sents.append((start, i + 1))
            start = i + 1
    if start < len(words):
        sents.append((start, len(words)))
    return Parsed(words=words, sents=sents, ents=ents)


def parts(text: str, brand: str) -> list[tuple[str, int]]:
    parsed = parse(text)
    return [(" ".join(parsed.words[a:b]), sign) for (a, b), sign in brand_parts(parsed, brand)]


def test_comparison_reverses_the_clause_for_the_yardstick():
    text = "Velora est bien plus fiable qu' Orbitel"
    assert parts(text, "Velora") == [(text, 1)]
    assert [sign for _, sign in parts(text, "Orbitel")] == [-1]


def test_contrairement_a_gives_the_winner_clause_reversed():
    text = "Contrairement à Orbitel , Velora répond vite"
    assert parts(text, "Velora") == [("Velora répond vite", 1)]
    assert parts(text, "Orbitel") == [("Velora répond vite", -1)]


def test_leaving_one_for_another():
    text = "J' ai quitté Orbitel pour Velora : aucun regret"
    assert all(sign == 1 for _, sign in parts(text, "Velora"))
    assert parts(text, "Orbitel") and all(sign == -1 for _, sign in parts(text, "Orbitel"))


def test_following_sentence_goes_to_the_winner_of_a_comparison():
    text = "Velora est plus fiable qu' Orbitel . Je recommande ."
    assert ("Je recommande .", 1) in parts(text, "Velora")
    assert all(sign == -1 for _, sign in parts(text, "Orbitel"))


def test_emoji_and_line_breaks_end_a_unit():
    parsed = parse("Velora au top 😍 Orbitel nul 😡")
    assert [(" ".join(parsed.words[a:b])) for a, b in sentence_units(parsed)] == [
        "Velora au top 😍",
        "Orbitel nul 😡",
    ]
    assert parts("Velora : rapide \n Orbitel : lent", "Orbitel") == [("Orbitel : lent", 1)]


def test_unknown_organisations_are_other_parties():
    words = "Velora coupe alors que mon voisin chez Bouygues Telecom va bien , pareil pour @sfr et free.fr"
    words = words.split()
    found = [text for _, _, text in other_parties(words, [(0, 1)])]
    assert found == ["Bouygues Telecom", "@sfr", "free.fr"]
    # A place or a first name where no company is expected is not a party.
    assert other_parties("Le technicien Marc est passé à Lyon".split(), []) == []


def test_a_sentence_about_someone_else_is_not_the_brand_s():
    text = "Ma box Velora marche . Mon voisin chez Bouygues est furieux ."
    assert parts(text, "Velora") == [("Ma box Velora marche .", 1)]
