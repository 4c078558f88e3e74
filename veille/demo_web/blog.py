"""The WordPress-style blog "Le Blog Connecté": articles with threaded comments (#comment-45).

Routes under ``/blog/``: the home page and ``page/N/`` (five articles a page), ``<slug>/`` (an
article and its comments), ``wp-admin/`` (disallowed by robots.txt).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from veille.demo_web.render import PARIS, Reply, esc, fr_long, html, not_found, paragraphs
from veille.demo_web.world import Article, Comment, World

SITE = "Le Blog Connecté"
PER_PAGE = 5


def _iso(at: datetime) -> str:
    return at.astimezone(PARIS).isoformat()


def _comment(comment: Comment, article: Article, children: dict[int | None, list[Comment]], base: str) -> str:
    link = f"{base}/blog/{article.slug}/#comment-{comment.id}"
    replies = children.get(comment.id, [])
    nested = ""
    if replies:
        nested = (
            '<ul class="children">' + "".join(_comment(c, article, children, base) for c in replies) + "</ul>"
        )
    url = f"https://{comment.author.lower().replace(' ', '').replace('.', '')}.example.org/"
    return (
        f'<li id="comment-{comment.id}" class="comment"><article id="div-comment-{comment.id}" class="comment-body">'
        '<footer class="comment-meta"><div class="comment-author vcard">'
        f'<b class="fn"><a href="{url}" rel="external nofollow ugc" class="url">{esc(comment.author)}</a></b> '
        '<span class="says">dit :</span></div><div class="comment-metadata">'
        f'<a href="{link}"><time datetime="{_iso(comment.at)}">{fr_long(comment.at)}</time></a></div></footer>'
        f'<div class="comment-content">{paragraphs(comment.text)}</div>'
        f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="?replytocom={comment.id}#respond">'
        f"Répondre</a></div></article>{nested}</li>"
    )


def render_article(article: Article, base: str) -> str:
    children: dict[int | None, list[Comment]] = {}
    for comment in article.comments:
        children.setdefault(comment.parent, []).append(comment)
    comments = "".join(_comment(c, article, children, base) for c in children.get(None, []))
    return (
        f'<article id="post-{article.id}" class="post-{article.id} post type-post status-publish">'
        f'<header class="entry-header"><h1 class="entry-title">{esc(article.title)}</h1>'
        f'<div class="entry-meta"><span class="posted-on"><time class="entry-date published" '
        f'datetime="{_iso(article.at)}">{fr_long(article.at)}</time></span> <span class="byline">par '
        f'<span class="author vcard"><a class="url fn n" href="{base}/blog/author/{article.author.lower().replace(" ", "-").replace(".", "")}/">'
        f"{esc(article.author)}</a></span></span></div></header>"
        f'<div class="entry-content">{"".join(f"<p>{esc(p)}</p>" for p in article.body)}</div></article>'
        f'<div id="comments" class="comments-area"><h2 class="comments-title">{len(article.comments)} '
        f'réponses à « {esc(article.title)} »</h2><ol class="comment-list">{comments}</ol></div>'
    )


def render_home(articles: Sequence[Article], page_no: int, base: str) -> str:
    chunk = articles[(page_no - 1) * PER_PAGE : page_no * PER_PAGE]
    items = "".join(
        f'<article class="post type-post"><h2 class="entry-title"><a href="{base}/blog/{a.slug}/" rel="bookmark">'
        f'{esc(a.title)}</a></h2><time class="entry-date" datetime="{_iso(a.at)}">{fr_long(a.at)}</time>'
        f'<div class="entry-summary">{paragraphs(a.body[0])}</div></article>'
        for a in chunk
    )
    nav = ""
    if page_no * PER_PAGE < len(articles):
        nav += (
            f'<a class="next page-numbers" href="{base}/blog/page/{page_no + 1}/">Articles plus anciens</a>'
        )
    if page_no > 1:
        nav += (
            f'<a class="prev page-numbers" href="{base}/blog/page/{page_no - 1}/">Articles plus récents</a>'
        )
    return f'<h1 class="site-title">{SITE}</h1>{items}<nav class="navigation pagination">{nav}</nav>'


def handle(world: World, path: str, base: str) -> Reply:
    """Serve ``/blog/<path>``."""
    with world.lock:
        articles = sorted(world.articles, key=lambda a: a.at, reverse=True)
        parts = [p for p in path.split("/") if p]
        if not parts or (len(parts) == 2 and parts[0] == "page" and parts[1].isdigit()):
            page_no = int(parts[1]) if parts else 1
            if page_no < 1 or (page_no - 1) * PER_PAGE >= len(articles):
                return not_found(SITE)
            return html("Accueil", render_home(articles, page_no, base), site=SITE)
        if parts[0] == "wp-admin":
            return html("Administration", "<h1>Connexion requise</h1>", site=SITE)
        article = next((a for a in articles if a.slug == parts[0]), None)
        if article is None or len(parts) > 1:
            return not_found(SITE)
        return html(article.title, render_article(article, base), site=SITE)
