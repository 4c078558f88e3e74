"""Which parts of a text speak for a brand, and which way: comparisons, contrasts, switching."""

from __future__ import annotations

from enrich.parties import other_parties
from enrich.targeting import Parsed, brand_parts, brand_target, sentence_units, target_scores

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


def test_compare_to_contrasts_but_weighing_two_offers_does_not():
    assert brand_target(parse("Comparé à Orbitel , Velora répond vite"), "Orbitel").lean != 0
    weighing = parse("Je compare Velora et Orbitel pour un forfait 100 Go")
    assert brand_target(weighing, "Velora").lean == 0 and brand_target(weighing, "Orbitel").lean == 0


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


def test_moins_que_reverses_the_compared_words_for_the_subject():
    text = "Orbitel est nettement moins fiable qu' Velora"
    assert ("fiable", -1) in parts(text, "Orbitel")
    assert parts(text, "Velora") == [("fiable", 1)]


def test_a_negated_comparison_says_nothing_of_the_yardstick():
    assert parts("Velora n' est pas meilleur qu' Orbitel", "Orbitel") == []
    # "les deux" / "both": a clause naming nobody goes to every party of the sentence.
    text = "Velora n' est pas meilleur qu' Orbitel , les deux coupent"
    assert parts(text, "Orbitel") == [("les deux coupent", 1)]


def test_a_switch_is_a_verdict_unless_regretted():
    parsed = parse("J' ai quitté Orbitel pour Velora")
    assert (brand_target(parsed, "Velora").verdict, brand_target(parsed, "Orbitel").verdict) == (1, -1)
    parsed = parse("Je regrette d' avoir quitté Orbitel pour Velora")
    assert (brand_target(parsed, "Velora").verdict, brand_target(parsed, "Orbitel").verdict) == (-1, 1)
    parsed = parse("Je ne regrette pas d' avoir quitté Orbitel pour Velora")
    assert brand_target(parsed, "Velora").verdict == 1
    # Across sentences: "done with X", "je passe chez Y".
    parsed = parse("Nexa , c' est fini . Je passe chez Velora , au moins ils répondent .")
    assert (brand_target(parsed, "Nexa").verdict, brand_target(parsed, "Velora").verdict) == (-1, 1)


def test_a_neutral_brand_gets_the_side_opposite_to_its_neighbour():
    parsed = parse("Velora a perdu ma commande , Orbitel me l' a livrée le lendemain .")
    lexicon = {"perdu": -2.0}

    def raw(start: int, end: int) -> float:
        return sum(lexicon.get(w, 0.0) for w in parsed.words[start:end])

    scores = target_scores(parsed, ["Velora", "Orbitel"], raw, lambda x: max(-1.0, min(1.0, x / 4)), 0.05)
    assert scores["Velora"] < 0 < scores["Orbitel"]
    parsed = same = parse("Velora a perdu ma commande , Orbitel aussi .")
    scores = target_scores(same, ["Velora", "Orbitel"], raw, lambda x: max(-1.0, min(1.0, x / 4)), 0.05)
    assert scores["Orbitel"] < 0


def test_english_sentences_naming_two_companies(analyze):
    def towards(text: str, brand: str) -> str:
        return analyze(text, brands=(brand,)).brand_sentiments[0].label

    text = "Unlike Orbitel, Velora actually answers the phone."
    assert (towards(text, "Velora"), towards(text, "Orbitel")) == ("positive", "negative")
    text = "I switched from Velora to Nexa Mobile, best decision ever."
    assert (towards(text, "Velora"), towards(text, "Nexa Mobile")) == ("negative", "positive")
    text = "Velora is less reliable than Orbitel, sadly."
    assert (towards(text, "Velora"), towards(text, "Orbitel")) == ("negative", "positive")
    # Companies nobody configured: a legal form, a clause's subject, a handle.
    assert towards(
        "Acme Telecom Inc. cut my line twice this week, Velora has been rock solid.", "Velora"
    ) == ("positive")
    assert (
        towards("Thanks @velora for fixing it so fast! @orbitel still hasn't replied.", "Velora")
        == "positive"
    )


def test_sentence_bounds_are_those_of_spacy_s_sentencizer():
    import spacy

    from enrich.analysis import sentence_bounds

    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    for text in [
        "Box en panne !!! 😡 Le SAV ? Injoignable… Bref.\n\nJe résilie. « Merci » (ou pas).",
        "Velora: 10/10. Orbitel: 2/10?! Dr. Dupont n'a rien vu...",
        "",
        "!!!",
    ]:
        doc = nlp(text)
        assert sentence_bounds([t.text for t in doc]) == [(s.start, s.end) for s in doc.sents]
