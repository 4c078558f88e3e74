"""The French analyzer's rules, each against its counterpart without the rule."""

from __future__ import annotations

import pytest

from enrich.analysis import Analyzer
from enrich.models import Catalog
from enrich.sentiment_fr import FrenchSentiment


@pytest.fixture(scope="module")
def score(analyzer: Analyzer):
    french: FrenchSentiment = analyzer.french
    tokenizer = analyzer.pipelines.fr.make_doc

    def run(text: str) -> float:
        return french.polarity([t.text for t in tokenizer(text)])

    return run


@pytest.mark.parametrize(
    ("positive", "negative"),
    [
        ("Le service est bon.", "Le service n'est pas bon."),
        ("Je recommande cet opérateur.", "Je ne recommande pas cet opérateur."),
        ("J'aime la nouvelle box.", "J'aime pas la nouvelle box."),  # "pas" alone, as people speak
        ("Le café est top.", "Le café n'est plus top."),
        ("Le conseiller était efficace.", "Le conseiller n'était jamais efficace."),
        ("Ils m'ont aidé.", "Ils ne m'ont pas aidé."),
    ],
)
def test_negation_flips_the_valence(score, positive, negative):
    assert score(positive) > 0.05
    assert score(negative) < -0.05


@pytest.mark.parametrize(
    "text",
    [
        "Aucun problème depuis trois mois.",
        "Installation faite sans souci.",
        "Je ne suis jamais déçu.",
        "Je ne regrette pas du tout.",
        "Pas de coupure cette semaine.",
    ],
)
def test_negated_complaints_are_positive(score, text):
    assert score(text) > 0.05


@pytest.mark.parametrize(
    "text",
    [
        "Le wifi ne marche plus.",
        "Le service client ne répond jamais.",
        "Toujours pas de réseau.",
        "Colis livré sans aucune explication.",
        "Rien ne fonctionne.",
    ],
)
def test_absence_of_service_is_negative(score, text):
    # These words are neutral alone; negated they are the complaint (negated_fr.tsv).
    assert score(text) < -0.05


def test_restrictive_ne_que_is_not_a_negation(score):
    assert score("Je n'ai que des problèmes avec cette box.") < -0.05


def test_elision_is_understood(score):
    # "n'" negates like "ne", "l'", "d'", "qu'", "j'" are split off and do not hide the word.
    assert score("C'est nul.") < -0.05
    assert score("Ce n'est pas nul.") > 0.05
    assert score("L'appli qu'on m'a conseillée est géniale.") > 0.05
    assert score("J’adore l’accueil") > 0.05  # typographic apostrophes too


def test_contrast_weights_the_clause_after_mais(score):
    assert score("Le prix est correct mais le service est nul.") < -0.05
    assert score("Le service est nul mais le prix est correct.") > score("Le service est nul.")
    assert score("Le service est nul, par contre les conseillers sont adorables.") > 0.05


def test_boosters_dampeners_caps_and_punctuation(score):
    base = score("Le service est nul.")
    assert score("Le service est vraiment nul.") < base
    assert score("Le service est un peu nul.") > base
    assert score("Le service est NUL.") < base
    assert score("Le service est nul !!!") < base
    assert score("C'est nul grave") < score("C'est nul")


def test_emoji_and_idioms(score):
    assert score("Box reçue 😍") > 0.05
    assert score("Encore une panne 😡") < score("Encore une panne")
    assert score("Service au top") > 0.05
    assert score("Pas terrible ce forfait") < -0.05
    assert score("Pas mal du tout ce forfait") > 0.05
    assert score("Merci pour rien") < -0.05
    assert score("Rien à redire") > 0.05


def test_dual_words_boost_or_stand_alone(score):
    assert score("Super !") > 0.05
    assert score("Super lent") < -0.05
    assert score("Bien reçu, merci") > 0


def test_domain_vocabulary(score):
    for text in [
        "SAV injoignable",
        "C'est une arnaque",
        "Box en panne",
        "Quelle galère",
        "Je suis déçu",
        "Je vais résilier",
    ]:
        assert score(text) < -0.05, text
    for text in ["Nickel", "Au top", "Installation impeccable", "Conseiller très réactif"]:
        assert score(text) > 0.05, text


def test_accents_and_case_do_not_matter(score):
    assert score("tres decu") == pytest.approx(score("très déçu"))


def test_catalog_patterns_are_case_and_accent_insensitive(config):
    catalog = Catalog.from_brands(config.brands)
    lantier = [p["pattern"] for p in catalog.patterns() if p["id"] == "Cafés Lantier"]
    assert {"cafes lantier", "cafés lantier", "lantier", "#lantier"} <= set(lantier)


# The lexicon defects issue 10 measured on public text, each against its counterpart.
def test_topic_nouns_carry_no_opinion(score):
    for text in ("Le film parle d'amour et de vacances.", "Un meurtre a eu lieu en ville.", "Entrée libre."):
        assert abs(score(text)) < 0.25, text


def test_the_accent_decides_between_task_and_stain(score):
    assert score("Une tâche simple.") > score("Une tache sur le canapé.")
    assert abs(score("La tâche est longue à faire.")) < abs(score("Une tache sur le canapé."))


def test_place_names_inside_a_sentence_have_no_valence(score):
    assert score("Je suis allé à Privas hier.") == 0.0


@pytest.mark.parametrize(
    ("form", "base"),
    [("Une appli nulle.", "Un site nul."), ("Des vendeuses pas terribles.", "Un vendeur pas terrible.")],
)
def test_feminine_and_plural_forms_score_like_the_base_form(score, form, base):
    assert score(form) < -0.25
    assert score(form) == pytest.approx(score(base), abs=0.15)


def test_negation_reaches_past_du_tout(score):
    assert score("Ce n'est pas du tout la meilleure série.") < -0.05
    assert score("C'est la meilleure série.") > 0.05


def test_malgre_concedes_what_follows_it(score):
    assert score("Malgré un SAV réactif, je suis déçu.") < -0.05
    assert score("Le film est bon malgré des longueurs.") > 0.05


def test_glued_sentences_stop_the_negation(score):
    glued = score("Pas marrants.je suis déçue.")
    assert glued < score("Pas marrants.")  # "déçue" is not negated by the other sentence's "pas"
    assert glued < -0.25
    assert score("Voir velora.fr pour les détails.") == 0.0  # a domain is not two sentences


@pytest.mark.parametrize(
    ("fixed", "unfixed"),
    [
        ("Le SAV a réglé mon souci de débit.", "Le SAV n'a pas réglé mon souci de débit."),
        ("Le technicien a réparé la panne en une heure.", "Le technicien n'a jamais réparé la panne."),
        ("Problème résolu par le conseiller.", "Problème toujours pas résolu par le conseiller."),
        ("Le bug de l'appli a été corrigé.", "Le bug de l'appli n'a pas été corrigé."),
    ],
)
def test_a_fixed_problem_is_good_news_and_an_unfixed_one_a_complaint(score, fixed, unfixed):
    assert score(fixed) > 0.25
    assert score(unfixed) < -0.25


def test_a_fix_needs_a_problem_noun_in_its_clause(score):
    # "régler" alone is paying; a complaint word outside the fix's clause stays a complaint.
    assert score("J'ai réglé la facture hier.") == pytest.approx(0.0, abs=0.05)
    assert score("Souci réglé, mais la box reste lente.") < score("Souci réglé.")
    assert score("Il cherche à corriger des idées fausses.") <= 0.0  # no problem noun: nothing fixed


def test_zero_before_a_complaint_word_is_its_absence(score):
    assert score("Zéro coupure depuis six mois.") > 0.25
    assert score("Une coupure depuis six mois.") < -0.25
    assert score("Zéro réponse du service client.") < -0.25  # "réponse" only hurts when absent


def test_cues_sum_only_the_stated_verdicts(analyzer):
    words = [
        t.text for t in analyzer.pipelines.fr.make_doc("Petit retour positif : le SAV a réglé mon souci.")
    ]
    cues = analyzer.french.scorer(words, cues_only=True)(0, len(words))
    topic = [t.text for t in analyzer.pipelines.fr.make_doc("Le SAV a un souci de débit.")]
    assert cues > 3.0  # "retour positif" and the fix
    assert analyzer.french.scorer(topic, cues_only=True)(0, len(topic)) == 0.0  # a topic word is no cue
    assert analyzer.french.raw(topic) < 0


@pytest.mark.parametrize(
    ("lowered", "raised"),
    [
        ("Velora a baissé le prix de mon forfait.", "Velora a augmenté le prix de mon forfait."),
        ("Bonne nouvelle : la fibre arrive.", "Mauvaise nouvelle : la fibre n'arrive pas."),
    ],
)
def test_service_idioms_take_their_side(score, lowered, raised):
    assert score(lowered) > 0.25
    assert score(raised) < -0.25


def test_an_emoji_is_not_negated_by_the_words_before_it(score):
    assert score("Jamais eu de souci 👍") > score("Jamais eu de souci") > 0.2
    assert score("Pas content 😡") < score("Pas content") < -0.25
