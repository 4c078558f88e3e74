"""Site profiles: where posts, authors, dates and links are on a site's pages.

A ``Profile`` has page-level selectors (links to follow, thread title) and one or more
``PostRule``s (a page may hold several kinds of posts: a WordPress article and its comments).
Known forum and blog engines come as presets; a ``profile:`` in config.yaml overrides a preset's
selectors field by field, or describes a site from scratch. Selectors are CSS, or XPath when
prefixed ``xpath:``; several may be given separated by `` || `` and the first that finds
something wins. ``@attr`` on a per-post selector reads an attribute of the post element itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from core.config.sources import SiteProfile, SiteSource
from core.errors import VeilleError


@dataclass(frozen=True)
class PostRule:
    post: str
    anchor: str | None = None  # gives the post's anchor id ("p123", "comment-45")
    link: str | None = None  # the post's permalink, when the page shows one
    author: str | None = None
    author_url: str | None = None
    author_posts: str | None = None
    date: str | None = None
    text: str | None = None
    title: str | None = None
    rating: str | None = None
    # An article body is one "post" without an anchor: its id is the page URL itself.
    whole_page: bool = False


@dataclass(frozen=True)
class Profile:
    thread_list: str | None = None
    next_page: str | None = None
    thread_title: str | None = None
    rules: tuple[PostRule, ...] = field(default_factory=tuple)
    structured_reviews: bool = False  # also read schema.org Review items (JSON-LD, microdata)


PRESETS: dict[str, Profile] = {
    "phpbb": Profile(
        thread_list="a.forumtitle::attr(href) || a.topictitle::attr(href)",
        next_page="li.arrow.next a::attr(href) || a[rel=next]::attr(href)",
        thread_title="h2.topic-title a::text || h2.topic-title::text || h3.first a::text",
        rules=(
            PostRule(
                post="div.post",
                # prosilver puts the id on the post; some styles (airliners.net) on an inner a.st-anchor.
                anchor="@id || a.st-anchor::attr(id) || h3 a[href^='#p']::attr(href)",
                link="p.author a[href*='#p']::attr(href)",
                author=(
                    "p.author a.username::text || p.author strong a::text || dl.postprofile a.username::text"
                ),
                author_url="p.author a.username::attr(href) || dl.postprofile a.username::attr(href)",
                author_posts="dd.profile-posts a::text || dd.profile-posts::text",
                date="p.author time::attr(datetime) || p.author span.timestamp::text || p.author::text",
                text="div.content",
                title="h3 a::text",
            ),
        ),
    ),
    "xenforo": Profile(
        thread_list="div.node-title a::attr(href) || div.structItem-title a::attr(href)",
        next_page="a.pageNav-jump--next::attr(href)",
        thread_title="h1.p-title-value::text",
        rules=(
            PostRule(
                post="article.message--post",
                anchor="@data-content || @id",
                link="ul.message-attribution-main a::attr(href) || a.u-concealed::attr(href)",
                author="@data-author || h4.message-name a::text",
                author_url="h4.message-name a::attr(href)",
                author_posts="dl.pairs--justified:contains('Messages') dd::text",
                date="time.u-dt::attr(datetime) || time::attr(data-time)",
                # XenForo 2 wraps the body in <article class="message-body">, older skins in a div.
                text="article.message-body div.bbWrapper || div.message-body div.bbWrapper || div.bbWrapper",
            ),
        ),
    ),
    "vbulletin": Profile(
        thread_list="a.title::attr(href) || h2.forumtitle a::attr(href)",
        next_page="a[rel=next]::attr(href)",
        thread_title="span.threadtitle a::text || h1::text",
        rules=(
            PostRule(
                post="li.postcontainer || li.postbitlegacy",
                anchor="@id",
                link="a.postcounter::attr(href)",
                # The name may be wrapped in <b>/<span style> (colour by user group): element text.
                author="a.username strong || a.username || span.username",  # a guest: span
                author_url="a.username::attr(href)",
                # The dd after the "Posts"/"Messages" dt: other dd's hold join dates and reputations.
                author_posts="xpath:.//dl[contains(@class,'userstats')]/dt[contains(., 'Post')"
                " or contains(., 'Messages') or contains(., 'Beitr')]/following-sibling::dd[1]/text()",
                # vBulletin 4 prints the date in span.postdate > span.date; vBulletin 5/6 in a <time>.
                date="span.postdate span.date || span.date || time::attr(datetime) || div.b-post__timestamp",
                text="div.content blockquote.postcontent || div.content",
                title="h2.title::text",
            ),
            # vBulletin 3.x (skyscraperpage.com, 2020): one <table id="postN"> per post.
            PostRule(
                post="xpath://table[starts-with(@id,'post')][.//div[starts-with(@id,'post_message_')]]",
                anchor="@id",
                author="a.bigusername || xpath:.//div[starts-with(@id,'postmenu_')]/text()",
                author_url="a.bigusername::attr(href)",
                author_posts="xpath:.//div[starts-with(normalize-space(.), 'Posts:')]/text()",
                # "Mar 21, 2020, 12:31 AM", after the status icon; some skins prefix "Posted".
                date=(
                    "xpath:normalize-space(substring-after(.//td[contains(@class,'thead')]"
                    "//div[.//a[starts-with(@name,'post')]], 'Posted'))"
                    " || xpath:.//td[contains(@class,'thead')]//div[.//a[starts-with(@name,'post')]]"
                ),
                text="div[id^=post_message_]",
            ),
        ),
    ),
    "discourse": Profile(
        thread_list="a.title.raw-link::attr(href) || a.title::attr(href)",
        next_page="a[rel=next]::attr(href)",
        thread_title="h1 a::text || h1::text",
        rules=(
            PostRule(
                post="div.topic-body.crawler-post || div[itemprop=comment]",
                # Discourse 3 gives the crawler view's post an id ("post_3"); 2.x (meta.discourse.org
                # in 2020) prints only its number, "#3", in itemprop=position.
                anchor=(
                    "@id || xpath:concat('post_',"
                    " translate(normalize-space(.//*[@itemprop='position']), '#', ''))"
                ),
                author="span[itemprop=author] span[itemprop=name]::text || span.creator a span::text",
                author_url="span.creator a::attr(href)",
                # An edited post shows its edit time in the <time> and its creation in a <meta>.
                date=(
                    "time[itemprop=datePublished]::attr(datetime)"
                    " || meta[itemprop=datePublished]::attr(content)"
                    " || span.crawler-post-infos time::attr(datetime)"
                ),
                text="div.post[itemprop=text] || div.post[itemprop=articleBody] || div.post",
            ),
        ),
    ),
    # Stack Exchange Q&A (Stack Overflow and its sister sites, checked on saved 2020 pages): the
    # question, its answers and the comments under both. The asker's signature is the "owner" one;
    # an edited post has an editor's signature first, its author's last. Dates are read from the
    # signatures' UTC titles ("2013-03-01 18:09:40Z"), not from the zone-less itemprop times.
    "stackexchange": Profile(
        thread_list="div.s-post-summary h3 a::attr(href) || div.question-summary h3 a::attr(href)",
        next_page="a[rel=next]::attr(href)",
        thread_title="h1[itemprop=name] a::text || #question-header h1 a::text",
        rules=(
            PostRule(
                post="div#question",
                anchor="xpath:concat('question-', @data-questionid)",
                author=(
                    "div.post-signature.owner div.user-details[itemprop=author] span[itemprop=name]::text"
                    " || div.post-signature.owner div.user-details a::text"
                ),
                author_url="div.post-signature.owner div.user-details a::attr(href)",
                date=(
                    "div.post-signature.owner span.relativetime::attr(title)"
                    " || time[itemprop=dateCreated]::attr(datetime)"
                ),
                text="div.js-post-body || div.post-text",
            ),
            PostRule(
                post="div.answer",
                anchor="@id",
                author=(
                    "div.user-details[itemprop=author] span[itemprop=name]::text"
                    " || xpath:(.//div[contains(@class,'post-signature')])[last()]"
                    "//div[contains(@class,'user-details')]/a/text()"
                ),
                author_url="div.user-details[itemprop=author] a::attr(href)",
                date=(
                    "xpath:(.//div[contains(@class,'post-signature')])[last()]"
                    "//span[contains(@class,'relativetime')]/@title"
                    " || time[itemprop=dateCreated]::attr(datetime)"
                ),
                text="div.js-post-body || div.post-text",
            ),
            PostRule(
                post="li.comment",
                anchor="@id",
                author="a.comment-user::text || span.comment-user::text",
                author_url="a.comment-user::attr(href)",
                # title="2013-03-01 18:37:59Z, License: CC BY-SA 3.0"
                date="xpath:substring-before(.//span[contains(@class,'relativetime')]/@title, ',')"
                " || span.relativetime-clean::attr(title)",
                text="span.comment-copy",
            ),
        ),
    ),
    # -- Forum engines checked on real saved threads (tests/crawlers/real_pages, from fhgr/harvest).
    # Simple Machines Forum. 1.x (bpdfamily.com, 2020): one td.windowbg per post, its subject in
    # div#subject_N. 2.x (div.post_wrapper, div.inner#msg_N): written from SMF 2's templates, no
    # real page checked.
    "smf": Profile(
        thread_list="span[id^=msg_] a::attr(href) || td.subject span a::attr(href)",
        next_page="a.navPages[rel=next]::attr(href) || a.nav_page[rel=next]::attr(href)",
        thread_title="#top_subject::text || h2.display_title span::text",
        rules=(
            PostRule(
                post="xpath://td[contains(@class,'windowbg')][.//div[@class='post']][.//div[starts-with(@id,'subject_')]]",
                link="div[id^=subject_] a::attr(href)",
                author="xpath:(.//td[@rowspan='2'])[1]/b//text()",
                author_url="xpath:(.//td[@rowspan='2'])[1]/b/a/@href",
                # "« on: April 04, 2020, 09:22:51 AM »" ("Reply #3 on:" further down)
                date="xpath:normalize-space(substring-before(substring-after("
                ".//div[starts-with(@id,'subject_')]/following-sibling::div[1], ':'), '»'))",
                text="div.post",
            ),
            PostRule(
                post="div.post_wrapper",
                anchor="xpath:concat('msg', substring-after(.//div[starts-with(@id,'msg_')]/@id, 'msg_'))",
                author="div.poster h4 a::text || div.poster h4::text",
                author_url="div.poster h4 a::attr(href)",
                date=(
                    "xpath:normalize-space(substring-before(substring-after("
                    ".//div[contains(@class,'keyinfo')]//div[contains(@class,'smalltext')], ':'), '»'))"
                    " || div.postinfo a.smalltext::text || div.keyinfo a.smalltext::text"
                ),
                text="div.inner[id^=msg_] || div.post",
            ),
        ),
    ),
    # Invision Community 4 (forum.utorrent.com, neowin.net, 2020).
    "invision": Profile(
        thread_list="h4.ipsDataItem_title a::attr(href) || span.ipsType_break a::attr(href)",
        next_page="li.ipsPagination_next a::attr(href) || a[rel=next]::attr(href)",
        thread_title="h1.ipsType_pageTitle span::text || h1.ipsType_pageTitle::text",
        rules=(
            PostRule(
                post="article[id^=elComment_]",  # an ad slot is an <article> too, without an id
                anchor="xpath:concat('comment-', substring-after(@id, 'elComment_'))",
                # Without the "OP" (topic starter) badge some themes put before the name, nor the
                # "+" of a subscriber group (neowin: <b>+</b>forster).
                author=(
                    "xpath:(.//aside//h3[contains(@class,'cAuthorPane_author')])[1]"
                    "/strong//text()[not(ancestor::button)][not(parent::b[normalize-space(.)='+'])]"
                    " || h3.cAuthorPane_author"
                ),
                author_url="aside.ipsComment_author h3.cAuthorPane_author a::attr(href)",
                author_posts="aside ul.cAuthorPane_info li.ipsType_light::text",
                date="div.ipsComment_meta time::attr(datetime) || time::attr(datetime)",
                text="div[data-role=commentContent]",
            ),
        ),
    ),
    # Vanilla Forums 2 (community.scope.org.uk, forums.moneysavingexpert.com, 2020): the opening
    # post, then the comments.
    "vanilla": Profile(
        thread_list="div.Title a::attr(href) || a.Title::attr(href)",
        next_page="a.Next::attr(href)",
        thread_title="h1::text",
        rules=tuple(
            PostRule(
                post=post,
                anchor="@id",
                link="span.DateCreated a.Permalink::attr(href)",
                author="span.Author a.Username::text || a.Username::text",
                author_url="span.Author a.Username::attr(href) || a.Username::attr(href)",
                date="span.DateCreated time::attr(datetime) || time::attr(datetime)",
                text="div.Message",
            )
            for post in ("div.ItemDiscussion", "li.ItemComment")
        ),
    ),
    # FluxBB / PunBB (bbs.archlinux.org, 2020).
    "fluxbb": Profile(
        thread_list="div.tclcon a::attr(href)",
        next_page="a[rel=next]::attr(href)",
        thread_title="xpath://div[contains(@class,'crumbs')]//li[last()]//a/text()",
        rules=(
            PostRule(
                post="div.blockpost",
                anchor="@id",
                author="div.postleft dt strong::text || div.postleft dt a::text || div.postleft dt::text",
                author_posts="xpath:.//div[@class='postleft']//dd[contains(., 'Posts')]//text()",
                date="h2 a::text",
                text="div.postmsg",
                title="div.postright h3::text",
            ),
        ),
    ),
    "wordpress": Profile(
        thread_list="h2.entry-title a::attr(href) || h3.entry-title a::attr(href)",
        next_page=(
            "a.next.page-numbers::attr(href) || div.nav-previous a::attr(href) || a[rel=next]::attr(href)"
        ),
        thread_title="h1.entry-title::text",
        rules=(
            PostRule(
                post="article.type-post",
                whole_page=True,
                author="span.author a::text || a[rel=author]::text",
                author_url="span.author a::attr(href) || a[rel=author]::attr(href)",
                date="time.entry-date::attr(datetime) || time::attr(datetime)",
                text="div.entry-content",
                title="h1.entry-title::text",
            ),
            PostRule(
                post="article.comment-body || div.comment-body",
                anchor="@id",
                link="div.comment-metadata a::attr(href) || div.comment-meta a::attr(href)",
                author="b.fn a::text || b.fn::text || cite.fn a::text || cite.fn::text",
                author_url="b.fn a::attr(href) || cite.fn a::attr(href)",
                date=(
                    "div.comment-metadata time::attr(datetime) || div.comment-metadata a::text"
                    " || div.comment-meta a::text"
                ),
                text="div.comment-content || div.comment-text",
            ),
        ),
    ),
    # Review sites: the reviews come from schema.org data; list and pagination selectors are site
    # specific, so a profile usually adds them (see config.yaml).
    "schema_org": Profile(
        thread_list="a[itemprop=url]::attr(href)",
        next_page="a[rel=next]::attr(href) || link[rel=next]::attr(href)",
        structured_reviews=True,
    ),
}

# --- Blogs, CMS comments and review sites (issue 9, i9b). Forum presets live above. ---
PRESETS.update(
    {
        # SPIP's forums under articles: the anchor sits on an empty <a id="forumN"> before the block
        # (SPIP 3 "dist" templates and themes derived from them: li.comment-item > div.comment).
        "spip": Profile(
            thread_title="h1.h1::text || h1::text",
            next_page="a.lien_pagination[rel=next]::attr(href) || a[rel=next]::attr(href)",
            rules=(
                PostRule(
                    post="li.comment-item || li.forum-fil",
                    anchor=(
                        "xpath:./a[starts-with(@id,'forum')]/@id"
                        " || xpath:.//a[starts-with(@id,'forum')][1]/@id"
                    ),
                    link="xpath:./div/p[contains(@class,'comment-meta')]/a[contains(@rel,'bookmark')]/@href",
                    author=(
                        "xpath:./div//span[contains(@class,'reviewer')]//*[contains(@class,'fn')]/text()"
                        " || xpath:substring-after(normalize-space("
                        "./div//span[contains(@class,'reviewer')]), 'par ')"
                        " || xpath:substring-after(normalize-space("
                        "./div//span[contains(@class,'reviewer')]), 'by ')"
                    ),
                    date=(
                        "xpath:./div/p[contains(@class,'comment-meta')]//time/@datetime"
                        " || xpath:./div/p[contains(@class,'comment-meta')]"
                        "//abbr[contains(@class,'dtreviewed')]/@title"
                    ),
                    text="xpath:./div/div[contains(@class,'comment-content')]",
                ),
            ),
        ),
        # Blogger (blogspot): threaded layouts (li.comment, replies in div.comment-replies) and
        # the classic one (dl#comments-block: dt.comment-author#cN, then dd.comment-body, dd.comment-footer).
        "blogger": Profile(
            thread_title="h3.post-title::text || h1.post-title::text",
            next_page="a.blog-pager-older-link::attr(href)",
            rules=(
                PostRule(
                    post="li.comment || dl#comments-block dt.comment-author",
                    # The cN id sits on div.comment-block once Blogger's script has run (the
                    # li then gets a generated bc_0_0B id), on the li or the dt before.
                    anchor=(
                        "xpath:./div[contains(@class,'comment-block')]/@id || @id || xpath:./a[@name]/@name"
                    ),
                    link="xpath:./div[contains(@class,'comment-block')]//span[contains(@class,'datetime')]/a/@href",
                    author=(
                        "xpath:./div[contains(@class,'comment-block')]//cite[contains(@class,'user')]"
                        " || xpath:./a[not(@name)][1]"
                    ),
                    author_url="xpath:./div[contains(@class,'comment-block')]//cite[contains(@class,'user')]/a/@href",
                    date=(
                        "xpath:./div[contains(@class,'comment-block')]//span[contains(@class,'datetime')]/a"
                        " || xpath:following-sibling::dd[contains(@class,'comment-footer')][1]"
                        "//span[contains(@class,'comment-timestamp')]"
                    ),
                    text=(
                        "xpath:./div[contains(@class,'comment-block')]/*[contains(@class,'comment-content')]"
                        " || xpath:following-sibling::dd[contains(@class,'comment-body')][1]"
                    ),
                ),
            ),
        ),
        # Drupal 7 (div.comment with RDFa about="/comment/N#comment-N", anchor on a preceding
        # <a id="comment-N">) and Drupal 8-10 (article.comment#comment-N, footer.comment__meta).
        "drupal": Profile(
            thread_title="h1.page-title::text || h1.title::text || h1::text",
            next_page="li.pager-next a::attr(href) || li.pager__item--next a::attr(href)",
            rules=(
                PostRule(
                    post="article.comment || div.comment[typeof] || div.comment",
                    anchor="@id || xpath:preceding-sibling::a[starts-with(@id,'comment-')][1]/@id",
                    link="@about || xpath:.//h3/a[contains(@href,'/comment/')]/@href",
                    author=(
                        "span.username::text || a.username::text || .comment__author a::text"
                        " || .comment__author::text"
                    ),
                    date=(
                        "xpath:.//*[contains(@property,'dc:created')]/@content || time::attr(datetime)"
                        " || .comment__time::text || span.submitted || div.submitted"
                    ),
                    text=(
                        "div.field-name-comment-body || div.field--name-comment-body"
                        " || div.comment__content || div.content"
                    ),
                    title="h3 a::text",
                ),
            ),
        ),
        # Amazon product and review pages (.com, .fr, .it, .de...): every review carries data-hook
        # attributes; its id (R2ABC...) is the review's id on every Amazon site.
        "amazon": Profile(
            thread_title="a[data-hook=product-link]::text || span#productTitle::text",
            next_page="li.a-last a::attr(href)",
            rules=(
                PostRule(
                    post="div[data-hook=review] || li[data-hook=review]",
                    anchor="@id",
                    link="a[data-hook=review-title]::attr(href)",
                    author="span.a-profile-name::text",
                    author_url="a.a-profile::attr(href)",
                    date="span[data-hook=review-date]::text",
                    text="span[data-hook=review-body] || div[data-hook=review-collapsed]",
                    title=(
                        "xpath:.//*[@data-hook='review-title']/span[not(contains(@class,'a-icon-alt'))]"
                        "[normalize-space()][last()]/text()"
                    ),
                    rating=(
                        "i[data-hook=review-star-rating] span.a-icon-alt::text"
                        " || i[data-hook=cmps-review-star-rating] span.a-icon-alt::text"
                    ),
                ),
            ),
        ),
        # Trustpilot: the reviews are in the page's Next.js state (script#__NEXT_DATA__), read by
        # crawlers/spiders/nextdata.py; only the pagination comes from the markup.
        "trustpilot": Profile(
            next_page="a[name=pagination-button-next]::attr(href) || a[rel=next]::attr(href)"
        ),
    }
)

# Review widgets embedded in pages of any engine (a Drupal or Shopify shop, a recipe blog): read
# on every page by the cascade's "widget" layer, whatever the engine detected.
WIDGETS = Profile(
    rules=(
        # Yotpo: div.yotpo-review[data-review-id] (id 0 is the hidden template the script clones).
        PostRule(
            post=(
                "xpath://div[contains(concat(' ', normalize-space(@class), ' '), ' yotpo-review ')]"
                "[@data-review-id and @data-review-id != '0']"
            ),
            anchor="xpath:concat('yotpo-', @data-review-id)",
            author="span.yotpo-user-name::text",
            date="span.yotpo-review-date::text",
            text="div.content-review",
            title="div.content-title::text",
            rating="div.yotpo-review-stars span.sr-only::text",
        ),
    ),
)

_PAGE_FIELDS = ("thread_list", "next_page", "thread_title")
# SiteProfile field -> PostRule field
_POST_FIELDS = {
    "post": "post",
    "post_anchor": "anchor",
    "post_link": "link",
    "post_author": "author",
    "post_author_url": "author_url",
    "author_posts": "author_posts",
    "post_date": "date",
    "post_text": "text",
    "post_title": "title",
    "post_rating": "rating",
}


def build_profile(site: SiteSource) -> Profile:
    """The preset (if any) with the site's ``profile`` fields laid over it.

    Post-level fields of ``profile`` apply to the preset's first rule (its main kind of post);
    with no preset, they make the only rule.
    """
    base = PRESETS[site.preset] if site.preset and site.preset != "auto" else Profile()
    custom: SiteProfile = site.profile
    page = {name: getattr(custom, name) or getattr(base, name) for name in _PAGE_FIELDS}
    overrides = {
        rule_field: getattr(custom, profile_field)
        for profile_field, rule_field in _POST_FIELDS.items()
        if profile_field in SiteProfile.model_fields and getattr(custom, profile_field)
    }
    rules = list(base.rules)
    if overrides:
        if rules:
            rules[0] = replace(rules[0], **overrides)
        elif "post" in overrides:
            rules = [PostRule(**overrides)]
    return Profile(**page, rules=tuple(rules), structured_reviews=base.structured_reviews)


class ProfileError(VeilleError):
    """A selector of a site profile is not valid CSS / XPath; names the source and the field."""

    exit_code = 2


def selector_error(spec: str) -> str | None:
    """Why ``spec`` (``a || b``, ``xpath:...``, ``@attr``) cannot be used, or None."""
    from cssselect import SelectorError
    from lxml.etree import XPath, XPathSyntaxError
    from parsel.csstranslator import HTMLTranslator

    for alternative in spec.split(" || "):
        query = alternative.strip()
        try:
            if query.startswith("xpath:"):
                XPath(query[6:])
            elif query.startswith("@"):
                if not query[1:].replace("-", "").replace("_", "").isalnum():
                    return f"{query!r} is not an attribute name"
            else:
                HTMLTranslator().css_to_xpath(query)
        except (SelectorError, XPathSyntaxError) as exc:
            return f"{query!r}: {exc}"
    return None


def check_profile(name: str, profile: Profile) -> None:
    """Raise ``ProfileError`` on the first invalid selector of ``profile``."""
    specs = {name_: getattr(profile, name_) for name_ in _PAGE_FIELDS}
    for index, rule in enumerate(profile.rules):
        specs.update(
            {f"rules[{index}].{f.name}": getattr(rule, f.name) for f in fields(PostRule) if f.type != "bool"}
        )
    for where, spec in specs.items():
        if isinstance(spec, str) and (problem := selector_error(spec)) is not None:
            raise ProfileError(f"source {name!r}: profile selector {where} is invalid: {problem}")
