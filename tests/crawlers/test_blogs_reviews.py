"""Blog comments and review sites through the cascade with ``preset: auto``, served by a local server.

SPIP and schema.org RDFa: real pages of the development corpus (tests/crawlers/real_pages).
Trustpilot and Amazon: no saved page with a licence we could cite was found, so those two
pages are written here after the markup the sites publish (the ``data-hook`` attributes of
Amazon reviews, Trustpilot's ``__NEXT_DATA__`` state); they check the readers, not the sites.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawlers.trypage import extract_url
from tests.webserver import Reply, serve_replies

CORPUS = Path(__file__).parent / "real_pages"
EXPECTED = {p["file"]: p for p in json.loads((CORPUS / "expected.json").read_text("utf-8"))["pages"]}

_TRUSTPILOT_STATE = {
    "props": {
        "pageProps": {
            "businessUnit": {"displayName": "Velora", "numberOfReviews": 2},
            "reviews": [
                {
                    "id": "65f0c1a2b3c4d5e6f7a8b9c0",
                    "title": "SAV injoignable",
                    "text": "Trois semaines sans réponse du service client, colis jamais arrivé.",
                    "rating": 1,
                    "dates": {"publishedDate": "2026-03-02T09:15:00.000Z"},
                    "consumer": {"displayName": "Camille D.", "countryCode": "FR"},
                    "reply": {"message": "Nous sommes désolés, contactez-nous.", "publishedDate": None},
                },
                {
                    "id": "65f0c1a2b3c4d5e6f7a8b9c1",
                    "title": "Parfait",
                    "text": "Livraison rapide, produit conforme.",
                    "rating": 5,
                    "dates": {"publishedDate": "2026-02-27T18:40:00.000Z"},
                    "consumer": {"displayName": "Marc"},
                },
            ],
        }
    }
}
TRUSTPILOT = (
    '<html lang="fr"><head><title>Velora Avis</title></head><body><main><h1>Velora</h1>'
    '<article class="styles_reviewCard__x1"><p>Trois semaines sans réponse</p></article></main>'
    '<script id="__NEXT_DATA__" type="application/json">'
    + json.dumps(_TRUSTPILOT_STATE, ensure_ascii=False)
    + "</script></body></html>"
)


def _amazon_review(rid: str, name: str, stars: str, title: str, date: str, body: str) -> str:
    return (
        f'<div id="{rid}" data-hook="review" class="a-section review aok-relative">'
        f'<div class="a-profile-content"><span class="a-profile-name">{name}</span></div>'
        f'<a data-hook="review-title" class="review-title" href="/gp/customer-reviews/{rid}/">'
        f'<i data-hook="review-star-rating" class="a-icon a-icon-star"><span class="a-icon-alt">{stars}'
        f'</span></i><span class="a-letter-space"></span><span>{title}</span></a>'
        f'<span data-hook="review-date" class="review-date">{date}</span>'
        f'<span data-hook="review-body" class="review-text"><span>{body}</span></span></div>'
    )


AMAZON_IT = (
    '<html lang="it-it"><head><title>Amazon.it: Recensioni clienti</title></head><body>'
    '<div id="cm_cr-review_list">'
    + _amazon_review(
        "R2KX8Q1ABCDEF",
        "Giulia",
        "4,0 su 5 stelle",
        "Buona ma rumorosa",
        "Recensito in Italia il 3 marzo 2023",
        "La bici Velora funziona bene, un po' rumorosa in salita.",
    )
    + _amazon_review(
        "R1ZZ9Y2GHIJKL",
        "Paolo R.",
        "1,0 su 5 stelle",
        "Arrivata rotta",
        "Recensito in Italia il 28 febbraio 2023",
        "Il telaio era piegato alla consegna.",
    )
    + "</div></body></html>"
)


def _reply(request: str) -> Reply | None:
    path = request.strip("/")
    if path == "trustpilot":
        return Reply(TRUSTPILOT.encode())
    if path == "amazon-it":
        return Reply(AMAZON_IT.encode())
    page = CORPUS / "pages" / f"{path}.html.gz"
    return Reply(gzip.decompress(page.read_bytes())) if page.exists() else None


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with serve_replies(_reply) as base:
        yield base


def test_spip_forum_read_by_its_preset_with_anchors_authors_and_dates(site):
    expected = EXPECTED["htmldate__la-bas.org.porte.html.gz"]
    result, _ = extract_url(f"{site}/htmldate__la-bas.org.porte", kind="blog", tz="Europe/Paris")
    assert result.engine == "spip"
    comments = [m for m in result.mentions if m.anchor]
    assert len(comments) == expected["count"]
    first, last = comments[0], comments[-1]
    assert first.anchor == "forum81474" and first.author.name == "Horus"
    assert first.text.startswith(expected["first"]["text"])
    assert first.published_at.isoformat() == "2019-07-17T20:09:45+00:00"
    assert last.author.name == "dd" and last.text.startswith(expected["last"]["text"])
    # The page's teasers of other articles (dated, repeated) are not comments.
    assert not any("ACTE 45" in m.text for m in result.mentions)


def test_schema_org_rdfa_reviews_with_rating_author_date_and_product(site):
    result, _ = extract_url(f"{site}/schemaorg__eg-0010-rdfa", kind="review", tz="UTC")
    # RDFa comes out of an RDF graph: no document order, so compared by author.
    reviews = sorted(
        (m for m in result.mentions if result.layers[m.id] == "schema.org"), key=lambda m: m.author.name
    )
    assert [(m.author.name, m.rating.value, m.published_at.date().isoformat()) for m in reviews] == [
        ("Ellie", 1.0, "2011-04-01"),
        ("Lucas", 4.0, "2011-03-25"),
    ]
    assert reviews[0].text.startswith("The lamp burned out")
    assert reviews[0].title == 'Kenmore White 17" Microwave : Not a happy camper'
    assert reviews[0].anchor.startswith("review-")  # blank RDFa nodes give no id: a content id


def test_trustpilot_reviews_read_from_the_page_state(site):
    result, _ = extract_url(f"{site}/trustpilot", kind="review", tz="UTC")
    assert result.engine == "trustpilot"
    reviews = [m for m in result.mentions if result.layers[m.id] == "json:state"]
    assert [(m.author.name, m.rating.value) for m in reviews] == [("Camille D.", 1.0), ("Marc", 5.0)]
    assert reviews[0].anchor == "review-65f0c1a2b3c4d5e6f7a8b9c0"
    assert reviews[0].title == "Velora : SAV injoignable"
    assert reviews[0].published_at.isoformat() == "2026-03-02T09:15:00+00:00"
    # The company's reply is the brand's own words, not a review.
    assert not any("désolés" in m.text for m in result.mentions)


def test_amazon_it_reviews_with_italian_dates_and_ratings(site):
    result, _ = extract_url(f"{site}/amazon-it", kind="review", tz="Europe/Rome")
    assert result.engine == "amazon"
    reviews = [m for m in result.mentions if m.anchor]
    assert [(m.anchor, m.author.name, m.rating.value) for m in reviews] == [
        ("R2KX8Q1ABCDEF", "Giulia", 4.0),
        ("R1ZZ9Y2GHIJKL", "Paolo R.", 1.0),
    ]
    assert reviews[0].published_at is not None and reviews[0].published_at.date().isoformat() in (
        "2023-03-02",
        "2023-03-03",
    )
    assert reviews[0].title == "Buona ma rumorosa"
    assert reviews[0].url.endswith("/gp/customer-reviews/R2KX8Q1ABCDEF/")


def test_comment_header_line_is_not_its_text_and_its_datetime_attribute_is_its_date(site):
    # Pew: "MA Sullivan • <a class="time" datetime="2014-12-06T15:38:13+00:00">2 weeks ago</a>".
    result, _ = extract_url(f"{site}/newspaper__pewresearch.org1", kind="news", tz="UTC")
    first = next(m for m in result.mentions if m.anchor == "comment-603605")
    assert first.text.startswith("To refer to this population")
    assert first.published_at.isoformat() == "2014-12-06T15:38:13+00:00"


def test_a_search_box_is_not_a_post(site):
    result, _ = extract_url(f"{site}/newspaper__telegraph.co.uk1", kind="news", tz="UTC")
    assert not any("Search - enhanced by OpenText" in m.text for m in result.mentions)
    assert any(m.anchor is None for m in result.mentions)  # the story itself is still read


def test_story_date_from_its_byline_not_from_the_site_header(site):
    # Ultima Hora: header <time> says 09/01 (the day of the visit), the byline "... | 08/01/2014".
    result, _ = extract_url(f"{site}/newspaper__spanish_article", kind="news", tz="Europe/Madrid")
    (story,) = [m for m in result.mentions if m.anchor is None]
    assert story.published_at.isoformat() == "2014-01-07T23:00:00+00:00"


def test_reviews_in_a_real_next_js_state_marmiton(site):
    expected = EXPECTED["marmiton.org__marmiton.html.gz"]
    result, _ = extract_url(f"{site}/marmiton.org__marmiton", kind="review", tz="Europe/Paris")
    reviews = [m for m in result.mentions if result.layers[m.id] == "json:state"]
    assert len(reviews) == expected["count"]
    first = reviews[0]
    assert (first.author.name, first.rating.value, first.text) == ("jipysn", 5.0, "Top recette")
    assert first.anchor == "review-0f68d541-2129-4e3a-9d1d-57a4a0730657"
    assert first.published_at.isoformat() == "2023-08-29T12:31:01.301000+00:00"


def test_state_reviews_and_their_json_ld_copies_are_one_item_each(site):
    # Kitchen Stories puts the same reviews in __NEXT_DATA__ and in JSON-LD, without ids.
    result, _ = extract_url(f"{site}/kitchenstories.com__kitchenstories", kind="review", tz="UTC")
    reviews = [m for m in result.mentions if m.anchor]
    assert [m.author.name for m in reviews] == [
        "susanne-buttner",
        "elda-gimbernat-girgas",
        "sabine-p-6a3x",
        "social-anna",
    ]


def test_yotpo_review_widget_on_a_drupal_page(site):
    expected = EXPECTED["kingarthurbaking.com__kingarthur.html.gz"]
    result, _ = extract_url(f"{site}/kingarthurbaking.com__kingarthur", kind="review", tz="America/New_York")
    assert result.engine == "drupal"  # the engine does not matter: the widget is read on any page
    reviews = [m for m in result.mentions if result.layers[m.id] == "widget"]
    assert len(reviews) == expected["count"]  # the hidden template (data-review-id="0") left out
    first = reviews[0]
    assert (first.anchor, first.author.name, first.rating.value) == ("yotpo-323663729", "Jean H.", 5.0)
    assert first.title == "Great Grownup Cookie"
    assert first.text.startswith(expected["first"]["text"])
    assert first.published_at.astimezone(ZoneInfo("America/New_York")).date().isoformat() == "2021-12-23"


def test_blogger_comments_as_its_script_renders_them(site):
    expected = EXPECTED["goose3__lostinjit.blogspot.com.html.gz"]
    result, _ = extract_url(f"{site}/goose3__lostinjit.blogspot.com", kind="blog", tz="UTC")
    assert result.engine == "blogger"
    comments = [m for m in result.mentions if m.anchor]
    assert len(comments) == expected["count"]
    first, last = comments[0], comments[-1]
    # The cN id of div.comment-block, not the li's generated bc_0_0B.
    assert (first.anchor, first.author.name) == ("c5038916005497812552", "Dave Beazley")
    assert first.published_at.isoformat() == "2011-10-27T05:39:00+00:00"
    assert first.text.startswith(expected["first"]["text"])
    assert (last.author.name, last.published_at.date().isoformat()) == ("Raul Durand", "2012-08-06")


def test_blogger_post_without_comments_gives_the_post_not_its_sidebar(site):
    # "Popular Posts" teasers: dated, repeated, but their words are links to other pages.
    result, _ = extract_url(f"{site}/newspaper4k__linknaija.com", kind="blog", tz="UTC")
    assert [m.anchor for m in result.mentions] == [None]
    assert "Kate Henshaw" in (result.mentions[0].title or "") + result.mentions[0].text


def test_drupal_comments_named_by_an_empty_anchor_before_them(site):
    # slate.fr (Drupal 6): <a id="comment-106187"></a> then div.article_comment_item, the date
    # in the byline line "Soumis par <span>monslateamoi</span>, le lundi 29 octobre 2012 à 15h46".
    expected = EXPECTED["goose3__slate.fr.html.gz"]
    result, _ = extract_url(f"{site}/goose3__slate.fr", kind="news", tz="Europe/Paris")
    comments = [m for m in result.mentions if m.anchor]
    assert len(comments) == expected["count"]
    first = comments[0]
    assert (first.anchor, first.author.name) == ("comment-106187", "monslateamoi")
    assert first.published_at.isoformat() == "2012-10-29T14:46:00+00:00"
    assert first.text.startswith(expected["first"]["text"])
    assert comments[-1].text.startswith("@ stephane")


def test_comments_without_any_id_with_their_replies_le_figaro(site):
    # Le Figaro's own markup (li.fig-comment, no id): the wrapper classed "comment-content" holds
    # header and footer, the text is div.fig-comment-msg; replies nest the same li.
    expected = EXPECTED["goose3__lefigaro.fr.html.gz"]
    result, _ = extract_url(f"{site}/goose3__lefigaro.fr", kind="news", tz="Europe/Paris")
    comments = [m for m in result.mentions if m.anchor]
    assert len(comments) == expected["count"]
    assert [(m.author.name, m.text[:19]) for m in comments[6:7]] == [("mamiekéké", "Quel fifre ce type.")]
    reply = comments[-1]
    assert reply.author.name == "LamiDesAnimaux" and reply.text.startswith(expected["last"]["text"])
    assert reply.published_at.isoformat() == "2013-04-05T23:27:00+00:00"
    assert comments[-2].text.startswith("Et bien enfin")  # the parent keeps its own words only


def test_a_sidebar_of_dated_links_is_not_a_list_of_posts(site):
    # CNET: "August 19, 2011 5:00 AM PDT" under each related link; the story is the only item.
    result, _ = extract_url(f"{site}/goose3__cnet.com", kind="news", tz="America/Los_Angeles")
    (story,) = result.mentions
    assert story.anchor is None and story.author.name == "Marguerite Reardon"


def test_underscored_comment_ids_user_boxes_and_date_lines_huffpost(site):
    # id="comment_111734027"; div.author_name holds a badge, the name link, a motto and a fan
    # count; div.comment_body starts with "15 seconds ago (7:18 PM)".
    expected = EXPECTED["goose3__huffingtonpost.com.html.gz"]
    result, _ = extract_url(f"{site}/goose3__huffingtonpost.com", kind="news", tz="America/New_York")
    comments = [m for m in result.mentions if m.anchor]
    assert len(comments) == expected["count"]
    assert [(m.anchor, m.author.name) for m in comments[:3]] == [
        ("comment-111734027", "MochaLite"),
        ("comment-111734001", "JustaSlob"),
        ("comment-111733979", "cliffhammond"),  # under a "HUFFPOST SUPER USER" badge
    ]
    assert comments[0].text.startswith(expected["first"]["text"])
    assert comments[-1].author.name == "Texanbybirth"
