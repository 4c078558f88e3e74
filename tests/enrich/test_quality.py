"""Quality floors: French labeled sets (enrich/data/eval) and the VADER paper's English tweets.

These guard against regressions of the lexicon and rules; they are not timing tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from enrich.evaluation import EVAL_DIR, evaluate, read_labeled, vader_paper_r

# Hand-written by the team, so a regression check only (never trained or tuned on). Measured with
# the classifier of issue 10, second version (bench/sentiment_eval.py): posts dev 0.700 / test
# 0.667, reviews dev 0.925 / test 0.900. The first version had 0.61 / 0.61 / 0.89 / 0.93 (floors
# lowered to 0.58 then); the lexicon alone, written against these very sets, had 0.97 / 0.91 /
# 1.00 / 0.93 and 0.62 on public tweets it had not seen.
FLOORS = {"fr_posts_dev": 0.66, "fr_posts_test": 0.63, "fr_reviews_dev": 0.88, "fr_reviews_test": 0.86}
# The VADER paper's human-rated tweets (MIT, see data/vader/README.md).
TWEETS = Path(__file__).resolve().parent / "data" / "vader" / "tweets_GroundTruth.txt"


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_french_accuracy_floor(analyzer, name):
    examples = read_labeled(EVAL_DIR / f"{name}.tsv")
    assert len(examples) >= 80
    scores = evaluate(analyzer, examples, lang="fr")
    assert scores.accuracy >= FLOORS[name], f"{name}: accuracy {scores.accuracy:.3f} < {FLOORS[name]}"


def test_customer_service_praise_is_positive_towards_the_brand(analyze):
    # The sentence of issue 10 that the digest listed as waiting for an answer.
    result = analyze("Petit retour positif : le SAV Velora m'a rappelé en moins de 10 minutes", lang="fr")
    assert result.sentiment.label == "positive"
    assert [(b.brand, b.label) for b in result.brand_sentiments] == [("Velora", "positive")]


@pytest.mark.parametrize(
    ("praise", "complaint"),
    [
        # The demo's sentences of issue 10: problem nouns ("souci", "débit") around a stated fix.
        (
            "Petit retour positif : le SAV Velora m'a rappelé en moins de 10 minutes "
            "et a réglé mon souci de débit.",
            "Petit retour négatif : le SAV Velora ne m'a jamais rappelé et n'a pas réglé mon souci de débit.",
        ),
        (
            "Velora a baissé le prix de mon forfait sans que je demande rien, "
            "ça arrive pas souvent chez un opérateur.",
            "Velora a augmenté le prix de mon forfait sans que je demande rien, "
            "ça arrive trop souvent chez un opérateur.",
        ),
        (
            "Mon conseiller Velora a résolu mon problème de facture en 5 minutes.",
            "Mon conseiller Velora n'a pas résolu mon problème de facture.",
        ),
        ("Zéro coupure depuis que je suis chez Velora.", "Trois coupures depuis que je suis chez Velora."),
        (
            "Velora, jamais eu de panne depuis deux ans.",
            "Velora, une panne par mois depuis deux ans, c'est pénible.",
        ),
        (
            "Panne réparée en une heure par Velora, c'est réglé.",
            "Panne pas réparée depuis une semaine chez Velora.",
        ),
    ],
)
def test_customer_service_fixes_are_praise_and_failures_complaints(analyze, praise, complaint):
    good, bad = analyze(praise, lang="fr"), analyze(complaint, lang="fr")
    assert [(b.brand, b.label) for b in good.brand_sentiments] == [("Velora", "positive")]
    assert [(b.brand, b.label) for b in bad.brand_sentiments] == [("Velora", "negative")]


@pytest.mark.parametrize(
    "question",
    [
        "Quelqu'un sait si la VeloBox de Velora gère le wifi 6E ?",
        "Velora propose la fibre dans ma rue, quelqu'un a des retours ?",
        "Est-ce que le décodeur TV Velora est obligatoire avec l'offre fibre ?",
    ],
)
def test_a_question_to_the_readers_with_no_opinion_is_neutral(analyze, question):
    assert analyze(question, lang="fr").sentiment.label == "neutral"
    # The same question with an opinion word keeps its opinion.
    assert analyze(question.replace(" ?", ", elle est nulle ?"), lang="fr").sentiment.label == "negative"


def test_small_talk_does_not_outvote_the_opinion_of_a_post(analyze):
    praise = "Box Velora reçue hier, branchée en 15 minutes, tout a marché du premier coup."
    for follow_up in ("Vous en pensez quoi ?", "Je vous tiens au courant.", "Bref, à suivre."):
        assert analyze(f"{praise}\n\n{follow_up}", lang="fr").sentiment.label == "positive"
    # Without the rule the classifier reads the follow-up alone as an opinion.
    assert analyze("Vous en pensez quoi ? Je vous tiens au courant.", lang="fr").sentiment.label == "neutral"


@pytest.mark.parametrize(
    ("complaint", "praise"),
    [
        ("They kept me on hold for 40 minutes.", "They answered within a minute."),
        ("Velora let me down again.", "Velora came through again."),
        ("It took three weeks to get a technician.", "A technician came the next day, great."),
        ("Velora raised its prices again.", "Velora lowered my bill again."),
        (
            "Velora billed me twice and nobody answers the phone.",
            "Velora fixed my billing issue in ten minutes.",
        ),
        ("Velora is down again and support is unreachable.", "Zero outages with Velora since March."),
    ],
)
def test_english_customer_service_phrases(analyze, complaint, praise):
    assert analyze(complaint, lang="en").sentiment.label == "negative"
    assert analyze(praise, lang="en").sentiment.label == "positive"


def test_english_tweets_correlate_like_the_paper():
    path = TWEETS  # copied into the repository with its MIT notice (data/vader/README.md)
    assert vader_paper_r(path) >= 0.87


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        ("VADER is smart, handsome, and funny.", "VADER is not smart, handsome, nor funny."),
        ("VADER is smart, handsome, and funny!", "VADER is smart, handsome, and funny."),
        ("VADER is very smart, handsome, and funny.", "VADER is smart, handsome, and funny."),
        ("VADER is VERY SMART, handsome, and FUNNY.", "VADER is very smart, handsome, and funny."),
        ("VADER is VERY SMART, handsome, and FUNNY!!!", "VADER is VERY SMART, handsome, and FUNNY."),
        ("The book was good.", "The book was kind of good."),
        ("Today SUX!", "Today sux"),
    ],
)
def test_english_cases_of_the_paper(analyze, better, worse):
    first, second = analyze(better, lang="en").sentiment, analyze(worse, lang="en").sentiment
    if "SUX" in better:  # both negative, the shouted one more so
        assert first.score < second.score < 0
    else:
        assert first.score > second.score


def test_english_contrast_and_negation(analyze):
    assert (
        analyze(
            "The plot was good, but the characters are uncompelling and the dialog is not great.", lang="en"
        ).sentiment.label
        == "negative"
    )
    assert analyze("At least it isn't a horrible book.", lang="en").sentiment.score > 0
