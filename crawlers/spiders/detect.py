"""``preset: auto``: which forum or blog engine made a page, from what the page itself says.

Looked at, most telling first: the ``generator`` meta tag, the ids and classes engines put
on ``<html>``/``<body>`` (phpBB's ``body#phpbb``, XenForo's ``html#XF``...), and marks of
their post markup. None when nothing is recognised: the cascade then relies on schema.org,
comment ids and the generic finder.
"""

from __future__ import annotations

from parsel import Selector

# (engine, XPath that is true on its pages), most specific first.
_SIGNS: tuple[tuple[str, str], ...] = (
    ("phpbb", "boolean(//body[@id='phpbb'] | //meta[@name='generator'][contains(@content,'phpBB')])"),
    ("xenforo", "boolean(//html[@id='XF'] | //article[contains(@class,'message--post')])"),
    (
        "vbulletin",
        "boolean(//meta[@name='generator'][contains(@content,'vBulletin')]"
        " | //li[contains(@class,'postbitlegacy') or contains(@class,'postcontainer')])",
    ),
    (
        "discourse",
        "boolean(//meta[@name='generator'][contains(@content,'Discourse')]"
        " | //div[contains(@class,'crawler-post')])",
    ),
    # SMF: its "Powered by SMF" footer link (a mere link to simplemachines.org is not enough).
    (
        "smf",
        "boolean(//a[contains(@href,'simplemachines.org')][contains(., 'SMF')]"
        " | //script[contains(.,'var smf_')])",
    ),
    ("invision", "boolean(//body[contains(@class,'ipsApp')] | //article[starts-with(@id,'elComment_')])"),
    (
        "vanilla",
        "boolean(//body[contains(@class,'Vanilla')] | //div[contains(@class,'ItemDiscussion')])",
    ),
    ("fluxbb", "boolean(//div[contains(@class,'pun')]//div[contains(@class,'blockpost')])"),
    # MediaWiki (Wikipedia talk pages): its generator, or the parser's output block.
    (
        "mediawiki",
        "boolean(//meta[@name='generator'][starts-with(@content,'MediaWiki')]"
        " | //div[contains(@class,'mw-parser-output')])",
    ),
    # Q&A (Stack Exchange): the QAPage page schema and the question block's id.
    (
        "stackexchange",
        "boolean(//html[contains(@itemtype,'schema.org/QAPage')]//div[@id='question'][@data-questionid]"
        " | //body[contains(@class,'question-page')]//div[@id='question'])",
    ),
    (
        "wordpress",
        "boolean(//meta[@name='generator'][starts-with(@content,'WordPress')]"
        " | //link[contains(@href,'/wp-content/')] | //*[contains(@class,'wpdiscuz')]"
        " | //*[starts-with(@id,'wpd-comm-')] | //body[contains(@class,'wp-')]"
        " | //img[contains(@src,'/wp-content/')])",
    ),
)


# --- Blogs, CMS comments and review sites (issue 9, i9b). Forum signs live above. ---
_SIGNS += (
    ("spip", "boolean(//meta[@name='generator'][starts-with(@content,'SPIP')])"),
    (
        "blogger",
        "boolean(//meta[@name='generator'][@content='blogger'] | //dl[@id='comments-block']"
        " | //div[contains(@class,'comment-thread')]//li[contains(@class,'comment')][starts-with(@id,'c')])",
    ),
    (
        "drupal",
        "boolean(//meta[translate(@name,'G','g')='generator'][starts-with(@content,'Drupal')]"
        " | //article[@data-comment-user-id] | //*[contains(@typeof,'sioct:Comment')])",
    ),
    ("amazon", "boolean(//*[@data-hook='review'][starts-with(@id,'R')] | //*[@id='cm_cr-review_list'])"),
    (
        "trustpilot",
        "boolean(//script[@id='__NEXT_DATA__']"
        "[contains(.,'\"businessUnit\"') and contains(.,'\"consumer\"')])",
    ),
)


def detect_engine(page: Selector) -> str | None:
    """The preset name of the engine that made ``page``, or None."""
    for engine, test in _SIGNS:
        if page.xpath(test).get() == "1":
            return engine
    return None
