"""Reading pages into Mentions, with the presets and profiles, on markup built in the test."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from core.config.sources import SiteProfile, SiteSource
from crawlers.spiders.extract import (
    PageContext,
    extract_posts,
    page_links,
    parse_count,
    parse_rating,
    stable_post_url,
)
from crawlers.spiders.middlewares import check_redirect, host_allowed
from crawlers.spiders.profiles import PRESETS, ProfileError, build_profile, check_profile, selector_error
from crawlers.spiders.structured import extract_reviews

NOW = datetime(2026, 11, 21, 19, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def ctx(kind: str = "forum", thread_url: str | None = None) -> PageContext:
    return PageContext(source="t", kind=kind, tz=PARIS, now=NOW, thread_url=thread_url)


PHPBB = """<html><body><h2 class="topic-title"><a href="./viewtopic.php?t=5">Panne Velora</a></h2>
<div id="p41" class="post"><dl class="postprofile"><dt>
<a class="username" href="./memberlist.php?u=2">Bob</a></dt>
<dd class="profile-posts"><strong>Messages :</strong> <a href="#">1 234</a></dd></dl>
<h3><a href="#p41">Panne Velora</a></h3>
<p class="author"><a href="./viewtopic.php?p=41#p41">Message</a> par <strong><a class="username"
 href="./memberlist.php?u=2">Bob</a></strong> » 21 nov. 2026 à 14:32 </p>
<div class="content"><p>Plus d'internet depuis ce matin.</p><p>La box clignote.</p></div></div>
<div id="p42" class="post"><h3><a href="#p42">Re: Panne Velora</a></h3>
<p class="author">par <strong><a class="username" href="./memberlist.php?u=3">Zoé</a>
</strong> » il y a 3 heures</p>
<div class="content">Pareil ici.</div></div>
<div id="p43" class="post"><p class="author">par <strong>X</strong> » hier</p>
<div class="content">  </div></div>
<li class="arrow next"><a rel="next" href="./viewtopic.php?t=5&amp;start=10">Suivante</a></li>
</body></html>"""


def test_phpbb_posts_each_with_its_anchor_author_and_date():
    url = "http://forum.test/viewtopic.php?t=5&start=0"
    result = extract_posts(
        Selector(text=PHPBB), url, PRESETS["phpbb"], ctx(thread_url="http://forum.test/viewtopic.php?t=5")
    )
    assert [m.anchor for m in result.mentions] == ["p41", "p42"]  # the empty shell p43 is skipped
    first, second = result.mentions
    assert first.url == "http://forum.test/viewtopic.php?t=5#p41"
    assert first.author.name == "Bob" and first.author.posts == 1234
    assert first.author.url == "http://forum.test/memberlist.php?u=2"
    assert first.published_at == datetime(2026, 11, 21, 13, 32, tzinfo=UTC)
    assert first.text == "Plus d'internet depuis ce matin.\n\nLa box clignote."
    assert first.title == "Panne Velora" and second.title == "Re: Panne Velora"
    assert second.published_at == datetime(2026, 11, 21, 16, 0, tzinfo=UTC)
    assert first.id != second.id and result.problems == []
    threads, next_pages = page_links(Selector(text=PHPBB), url, PRESETS["phpbb"])
    assert threads == [] and next_pages == ["http://forum.test/viewtopic.php?t=5&start=10"]


def test_a_post_keeps_its_id_when_it_moves_to_another_page():
    thread = "http://forum.test/viewtopic.php?t=5"
    on_page_1 = stable_post_url(None, f"{thread}&start=0", thread, "p41")
    on_page_2 = stable_post_url(None, f"{thread}&start=10", thread, "p41")
    assert on_page_1 == on_page_2 == f"{thread}#p41"
    permalink = "http://forum.test/threads/panne.5/post-41"
    assert stable_post_url(permalink, f"{thread}&start=10", thread, "post-41") == f"{permalink}#post-41"


XENFORO = """<div class="p-body"><h1 class="p-title-value">Velora et la fibre</h1>
<article class="message message--post" data-author="Alice" data-content="post-67" id="js-post-67">
<h4 class="message-name"><a href="/members/alice.9/">Alice</a></h4>
<ul class="message-attribution-main"><li><a href="/threads/velora.12/post-67"><time class="u-dt"
 datetime="2026-11-20T10:00:00+0100" data-time="1795251600">20 nov.</time></a></li></ul>
<div class="message-body"><div class="bbWrapper">La fibre Velora marche bien.</div></div></article>
<a class="pageNav-jump pageNav-jump--next" href="/threads/velora.12/page-2">Suivant</a></div>"""


def test_xenforo_preset():
    result = extract_posts(
        Selector(text=XENFORO), "https://xf.test/threads/velora.12/", PRESETS["xenforo"], ctx()
    )
    (post,) = result.mentions
    assert post.url == "https://xf.test/threads/velora.12/post-67#post-67" and post.anchor == "post-67"
    assert post.author.name == "Alice" and post.title == "Velora et la fibre"
    assert post.published_at == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert page_links(Selector(text=XENFORO), "https://xf.test/threads/velora.12/", PRESETS["xenforo"])[
        1
    ] == ["https://xf.test/threads/velora.12/page-2"]


VBULLETIN = """<span class="threadtitle"><a href="#">SAV Velora</a></span><ol id="posts">
<li class="postbitlegacy postcontainer" id="post_889"><div class="posthead"><span class="date">21/11/2026,
<span class="time">09h15</span></span>
<a class="postcounter" href="showthread.php?t=3&amp;p=889#post889">#1</a></div>
<a class="username" href="member.php?u=7"><strong>Marc</strong></a><dl class="userstats"><dt>Messages</dt>
<dd>5 012</dd></dl><div class="content">
<blockquote class="postcontent">SAV Velora injoignable.</blockquote></div></li>
</ol>"""


def test_vbulletin_preset():
    (post,) = extract_posts(
        Selector(text=VBULLETIN), "http://vb.test/showthread.php?t=3", PRESETS["vbulletin"], ctx()
    ).mentions
    assert post.url == "http://vb.test/showthread.php?t=3#post889"
    assert (post.author.name, post.author.posts, post.text) == ("Marc", 5012, "SAV Velora injoignable.")
    assert post.published_at == datetime(2026, 11, 21, 8, 15, tzinfo=UTC)


DISCOURSE = """<h1><a href="/t/velora/9">Velora box</a></h1>
<div id="post_2" class="topic-body crawler-post" itemprop="comment" itemscope itemtype="http://schema.org/Comment">
<div class="crawler-post-meta"><span class="creator" itemprop="author" itemscope itemtype="http://schema.org/Person">
<a itemprop="url" href="/u/ana"><span itemprop="name">ana</span></a></span>
<span class="crawler-post-infos">
<time itemprop="datePublished" datetime="2026-11-19T08:00:00Z">19 nov.</time></span></div>
<div class="post" itemprop="text"><p>My Velora box reboots every night.</p></div></div>
<a rel="next" href="/t/velora/9?page=2">next page</a>"""


def test_discourse_preset():
    (post,) = extract_posts(
        Selector(text=DISCOURSE), "https://d.test/t/velora/9", PRESETS["discourse"], ctx()
    ).mentions
    assert post.url == "https://d.test/t/velora/9#post-2"
    assert post.author.name == "ana" and post.text == "My Velora box reboots every night."
    assert post.published_at == datetime(2026, 11, 19, 8, 0, tzinfo=UTC)


WORDPRESS = """<article id="post-7" class="post-7 post type-post"><h1 class="entry-title">Test VeloBox</h1>
<time class="entry-date published" datetime="2026-11-10T09:00:00+01:00">10 novembre 2026</time>
<span class="author vcard"><a class="url fn n" href="/author/sophie/">Sophie</a></span>
<div class="entry-content"><p>La box de Velora, testée.</p></div></article>
<ol class="comment-list"><li id="comment-45" class="comment">
<article id="div-comment-45" class="comment-body">
<div class="comment-author vcard"><b class="fn"><a href="https://nadia.example/" class="url">Nadia</a>
</b></div>
<div class="comment-metadata"><a href="https://blog.test/test-velobox/#comment-45">
<time datetime="2026-11-11T10:00:00+01:00">11 novembre 2026 à 10 h 00 min</time></a></div>
<div class="comment-content"><p>Merci pour le test !</p></div></article>
<ul class="children"><li id="comment-46" class="comment"><article id="div-comment-46" class="comment-body">
<div class="comment-author vcard"><b class="fn">Yann</b></div><div class="comment-metadata">
<a href="https://blog.test/test-velobox/#comment-46">12 novembre 2026 à 8 h 05 min</a></div>
<div class="comment-content"><p>Je confirme.</p></div></article></li></ul></li></ol>"""


def test_wordpress_article_and_threaded_comments():
    result = extract_posts(
        Selector(text=WORDPRESS), "https://blog.test/test-velobox/", PRESETS["wordpress"], ctx("blog")
    )
    article, first, reply = result.mentions
    assert article.url == "https://blog.test/test-velobox/" and article.anchor is None
    assert (article.title, article.author.name) == ("Test VeloBox", "Sophie")
    assert first.url == "https://blog.test/test-velobox/#comment-45" and first.text == "Merci pour le test !"
    assert first.author.url == "https://nadia.example/"
    assert reply.anchor == "comment-46" and reply.text == "Je confirme."  # not mixed into its parent
    assert reply.published_at == datetime(2026, 11, 12, 7, 5, tzinfo=UTC)  # read from the French text


def test_a_custom_profile_overrides_the_preset_field_by_field():
    site = SiteSource(
        name="s", start_urls=["https://blog.test/"], preset="wordpress",
        profile=SiteProfile(post_text="div.comment-content p::text", next_page="a.older::attr(href)"),
    )  # fmt: skip
    profile = build_profile(site)
    assert profile.next_page == "a.older::attr(href)"
    assert profile.thread_list == PRESETS["wordpress"].thread_list
    assert (
        profile.rules[0].text == "div.comment-content p::text"
        and profile.rules[1] == PRESETS["wordpress"].rules[1]
    )
    scratch = build_profile(SiteSource(name="r", start_urls=["https://r.test/"], profile=SiteProfile(
        post="div.review", post_anchor="@id", post_text="p.body", post_rating="@data-rating")))  # fmt: skip
    html = '<div class="review" id="review-9" data-rating="2"><p class="body">Box Velora nulle</p></div>'
    (review,) = extract_posts(Selector(text=html), "https://r.test/p/1", scratch, ctx("review")).mentions
    assert review.url == "https://r.test/p/1#review-9" and review.rating.normalized == 0.25


def test_a_post_without_anchor_is_reported_not_invented():
    site = SiteSource(
        name="s", start_urls=["https://x.test/"], profile=SiteProfile(post="div.p", post_text="xpath:.")
    )
    result = extract_posts(
        Selector(text='<div class="p">Velora</div>'), "https://x.test/a", build_profile(site), ctx()
    )
    assert result.mentions == [] and "no anchor or permalink" in result.problems[0]


def test_invalid_selectors_are_reported_with_source_and_field():
    site = SiteSource(
        name="bad", start_urls=["https://x.test/"], preset="phpbb", profile=SiteProfile(post_text="div..x")
    )
    with pytest.raises(
        ProfileError, match=r"source 'bad': profile selector rules\[0\]\.text is invalid: 'div\.\.x'"
    ):
        check_profile(site.name, build_profile(site))
    assert selector_error("xpath://div[") is not None and selector_error("@data-rating") is None
    for preset in PRESETS.values():
        check_profile("preset", preset)


JSON_LD_PAGE = """<html><head><script type="application/ld+json">{}</script></head><body></body></html>"""


def test_schema_org_reviews_from_json_ld():
    data = {
        "@context": "https://schema.org", "@type": "Product", "name": "VeloBox Pro",
        "brand": {"@type": "Brand", "name": "Velora"},
        "aggregateRating": {"@type": "AggregateRating", "ratingValue": 3.1, "reviewCount": 2},
        "review": [
            {"@type": "Review", "url": "https://avis.test/p/velobox/?page=2#review-12",
             "author": {"@type": "Person", "name": "Fred"}, "datePublished": "2026-11-21T18:00:00+01:00",
             "name": "Panne", "reviewBody": "La box est morte.",
             "reviewRating": {"@type": "Rating", "ratingValue": "1", "bestRating": "5", "worstRating": "1"}},
            {"@type": "Review", "author": "Anne", "reviewBody": "Très bien", "datePublished": "2026-11-01",
             "reviewRating": {"ratingValue": 9, "bestRating": 10}},
        ],
    }  # fmt: skip
    html = JSON_LD_PAGE.format(json.dumps(data))
    result = extract_reviews(
        html, "https://avis.test/p/velobox/?page=2", ctx("review", "https://avis.test/p/velobox/")
    )
    first, second = result.mentions
    assert first.url == "https://avis.test/p/velobox/#review-12"  # stable across pages
    assert first.title == "VeloBox Pro (Velora) : Panne"
    assert (first.rating.value, first.rating.normalized) == (1.0, 0.0)
    assert first.published_at == datetime(2026, 11, 21, 17, 0, tzinfo=UTC)
    assert second.anchor.startswith("review-") and second.rating.normalized == pytest.approx(8 / 9, abs=1e-3)
    assert second.author.name == "Anne"
    again = extract_reviews(
        html, "https://avis.test/p/velobox/?page=2", ctx("review", "https://avis.test/p/velobox/")
    )
    assert [m.id for m in again.mentions] == [m.id for m in result.mentions]


MICRODATA = """<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Grand Cru</h1>
<p itemprop="brand" itemscope itemtype="https://schema.org/Brand">
<span itemprop="name">Cafés Lantier</span></p>
<div class="review" id="review-40" itemprop="review" itemscope itemtype="https://schema.org/Review">
<link itemprop="url" href="https://avis.test/p/gc/#review-40">
<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
<meta itemprop="ratingValue" content="4">
<meta itemprop="bestRating" content="5"></div><h3 itemprop="name">Bon café</h3>
<span itemprop="author" itemscope itemtype="https://schema.org/Person">
<span itemprop="name">Chloé</span></span>
<meta itemprop="datePublished" content="2026-11-09T15:24:00+01:00"><div itemprop="reviewBody">
<p>Notes de noisette.</p></div>
</div></div>"""


def test_schema_org_reviews_from_microdata():
    (review,) = extract_reviews(MICRODATA, "https://avis.test/p/gc/", ctx("review")).mentions
    assert review.url == "https://avis.test/p/gc/#review-40"
    assert review.title == "Grand Cru (Cafés Lantier) : Bon café" and review.author.name == "Chloé"
    assert review.rating.value == 4 and review.text == "Notes de noisette."


def test_windows_1252_page_is_decoded_from_its_headers():
    text = "Velora m’a facturé 29,99 € ; l’œil « vif »"
    body = f"<div id='p1' class='post'><div class='content'>{text}</div></div>"
    response = HtmlResponse(
        "http://old.test/t?t=1",
        body=body.encode("cp1252"),
        headers={"Content-Type": "text/html; charset=windows-1252"},
    )
    (post,) = extract_posts(response.selector, response.url, PRESETS["phpbb"], ctx()).mentions
    assert post.text == text


@pytest.mark.parametrize(
    ("text", "value", "normalized"),
    [("4", 4, 0.75), ("4,5/5", 4.5, 0.875), ("★★☆☆☆", 2, 0.25), ("8 sur 10", 8, 7 / 9), ("0/5", 0, 0.0)],
)
def test_ratings(text, value, normalized):
    rating = parse_rating(text)
    assert (
        rating is not None
        and rating.value == value
        and rating.normalized == pytest.approx(normalized, abs=1e-3)
    )


def test_counts_and_unreadable_ratings():
    assert parse_count("Messages : 1 234") == 1234 and parse_count("—") is None
    assert parse_rating("excellent") is None and parse_rating("7/5") is None


def test_redirect_checks():
    allowed = ["forum.test"]
    assert host_allowed("www.forum.test", allowed) and not host_allowed("evil-forum.test", allowed)
    assert check_redirect("http://forum.test/a", "/b", [], allowed) is None
    assert "another site" in check_redirect("http://forum.test/a", "http://other.test/", [], allowed)
    loop = check_redirect("http://forum.test/b", "/a", ["http://forum.test/a"], allowed)
    assert loop == "redirect loop: http://forum.test/a -> http://forum.test/b -> http://forum.test/a"


def test_xenforo_2_body_in_an_article_element():
    # XenForo 2.2/2.3 (as their thread_view template renders it): the body is an <article>.
    xf2 = XENFORO.replace(
        '<div class="message-body"><div class="bbWrapper">La fibre Velora marche bien.</div></div>',
        '<div class="message-content js-messageContent"><article class="message-body js-selectToQuote">'
        '<div class="bbWrapper">La fibre Velora marche bien.</div></article></div>',
    )
    assert '<article class="message-body' in xf2
    (post,) = extract_posts(
        Selector(text=xf2), "https://xf.test/threads/velora.12/", PRESETS["xenforo"], ctx()
    ).mentions
    assert post.text == "La fibre Velora marche bien." and post.author.name == "Alice"
