"""The analyzer: sentiment towards a brand, star ratings, language and entities."""

from __future__ import annotations

from core.mention import Rating
from enrich.analysis import TextItem


def test_brand_targeted_sentiment_splits_clauses(analyze):
    text = "Le SAV de Velora est nul mais Orbitel est top."
    towards_velora = analyze(text, brands=("Velora",)).brand_sentiments[0]
    towards_orbitel = analyze(text, brands=("Orbitel",)).brand_sentiments[0]
    assert (towards_velora.brand, towards_velora.label) == ("Velora", "negative")
    assert (towards_orbitel.brand, towards_orbitel.label) == ("Orbitel", "positive")


def test_brand_sentiment_uses_only_sentences_about_the_brand(analyze):
    text = "Mon voisin est chez Free et il est ravi, tout est parfait. Ma box Velora est en panne. C'est nul."
    result = analyze(text, brands=("Velora", "Free"))
    by_brand = {bs.brand: bs for bs in result.brand_sentiments}
    assert by_brand["Velora"].label == "negative"  # "C'est nul." carries over from the Velora sentence
    assert by_brand["Free"].label == "positive"


def test_brands_named_in_the_text_are_scored_by_default(analyze):
    result = analyze("Les cafés lantier sont délicieux, VELORA par contre est lamentable")
    by_brand = {bs.brand: bs.label for bs in result.brand_sentiments}
    assert by_brand == {"Cafés Lantier": "positive", "Velora": "negative"}


def test_product_speaks_for_its_brand(analyze):
    result = analyze("La VeloBox Pro plante tous les jours")
    assert [(bs.brand, bs.label) for bs in result.brand_sentiments] == [("Velora", "negative")]


def test_rating_decides_the_label_and_keeps_the_text_score(analyze):
    text = "Livraison très lente, emballage abîmé, produit cassé : je suis très déçu, c'est nul."
    plain = analyze(text, brands=("Velora",))
    rated = analyze(text, brands=("Velora",), rating=Rating(value=5, best=5, worst=1))
    assert plain.sentiment.label == "negative"
    assert rated.sentiment.label == "positive"
    assert rated.sentiment.score == plain.sentiment.score < 0
    assert rated.sentiment.model.endswith("+rating")
    assert rated.brand_sentiments[0].label == "positive"
    assert analyze("Super produit !", rating=Rating(value=2)).sentiment.label == "negative"
    assert analyze("Super produit !", rating=Rating(value=6, best=10, worst=0)).sentiment.label == "neutral"


def test_language_detection(analyze):
    assert analyze("Le service client est injoignable depuis trois jours.").lang == "fr"
    assert analyze("The customer service has been unreachable for three days.").lang == "en"
    assert analyze("El servicio al cliente no contesta desde hace tres días.").lang == "other"
    assert analyze("Super service, merci").lang == "fr"  # short: fr/en priors
    assert analyze("👍👍", lang_hint="en").lang == "en"


def test_english_uses_vader_and_other_languages_get_no_text_score(analyze):
    english = analyze("I love Velora, great service!")
    assert english.sentiment.model.startswith("vader/") and english.sentiment.label == "positive"
    spanish = analyze("El servicio al cliente de Velora no contesta desde hace tres días.")
    assert spanish.sentiment is None
    assert analyze("El servicio es muy malo.", rating=Rating(value=1)).sentiment.label == "negative"


def test_entities_have_canonical_names(analyze):
    result = analyze("J'ai pris une Velobox pro chez @velora_fr à Lyon, Marie Dupont m'a conseillé Orbitel.")
    found = {(e.label, e.canonical) for e in result.entities}
    assert ("PRODUCT", "VeloBox Pro") in found
    assert ("BRAND", "Velora") in found
    assert ("COMPETITOR", "Orbitel") in found
    assert any(e.label == "LOC" and e.text == "Lyon" for e in result.entities)
    assert any(e.label == "PER" for e in result.entities)


def test_english_texts_get_the_configured_entities(analyze):
    result = analyze("My Velora Fibre line keeps dropping, switching to Nexa Mobile.")
    assert {(e.label, e.canonical) for e in result.entities} == {
        ("PRODUCT", "Velora Fibre"),
        ("COMPETITOR", "Nexa Mobile"),
    }


def test_long_text_is_scored_sentence_by_sentence(analyzer):
    sentence = "The support was great and the installer was friendly. "
    result = analyzer.analyze([TextItem(text=sentence * 200, lang="en")])[0]
    assert result.sentiment.label == "positive"
    assert result.sentiment.score > 0.99


def test_clear_cut_language_skips_the_identifier_but_not_for_neighbours():
    from enrich.language import _clear_case

    french = "Je suis chez Velora depuis deux ans et tout est très bien, merci pour votre aide avec la box."
    assert _clear_case(french) == "fr"
    assert (
        _clear_case("I have been with Velora for two years and they are great, it's what my family uses.")
        == "en"
    )
    # Italian and Catalan share a few of the French words: never enough to skip the identifier.
    italian = "Il servizio clienti non risponde da tre giorni, è una vergogna per una azienda che dice"
    catalan = "El servei al client no contesta des de fa tres dies, és una vergonya per una empresa que diu"
    assert _clear_case(italian) is None and _clear_case(catalan) is None
    assert _clear_case("Velora c'est top, the best provider ever, je recommande avec plaisir à tous") is None
