"""The phpBB-style forum "Forum Conso Malin" (prosilver markup, French, relative dates).

Routes under ``/forum/``: ``index.php``, ``viewforum.php?f=&start=``, ``viewtopic.php?t=&start=``
(or ``?p=`` for the page holding a post), ``feed.php`` (a malformed Atom feed),
``memberlist.php`` (disallowed by robots.txt). Threads of the "Archives" forum are traps.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import datetime

from veille.demo_web import catalog, traps
from veille.demo_web.render import Reply, esc, fr_absolute, fr_forum_date, html, not_found, paragraphs
from veille.demo_web.world import Forum, Post, Thread, World

SITE = "Forum Conso Malin"
TOPICS_PER_PAGE = 10
POSTS_PER_PAGE = 10


def user_id(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) % 90000 + 2


def _pagination(base: str, start: int, total: int, per_page: int) -> str:
    pages = max(1, -(-total // per_page))
    current = start // per_page + 1
    items = []
    if start > 0:
        items.append(
            f'<li class="arrow previous"><a class="button" href="{base}&amp;start={start - per_page}" '
            'rel="prev" role="button">Précédente</a></li>'
        )
    items.append(f"<li>Page <strong>{current}</strong> sur <strong>{pages}</strong></li>")
    if start + per_page < total:
        items.append(
            f'<li class="arrow next"><a class="button" href="{base}&amp;start={start + per_page}" '
            'rel="next" role="button">Suivante</a></li>'
        )
    return f'<div class="pagination">{total} éléments • <ul>{"".join(items)}</ul></div>'


def render_index(forums: Sequence[Forum], prefix: str = ".") -> str:
    rows = "".join(
        f'<li class="row"><dl class="row-item forum_read"><dt><div class="list-inner">'
        f'<a href="{prefix}/viewforum.php?f={f.id}" class="forumtitle">{esc(f.title)}</a><br>{esc(f.description)}'
        f'</div></dt><dd class="topics">{len(f.threads)} <dfn>Sujets</dfn></dd></dl></li>'
        for f in forums
    )
    body = (
        f'<div class="headerbar"><h1>{SITE}</h1><p>Le forum des consommateurs malins</p></div>'
        '<ul class="linklist"><li><a href="./search.php?search_id=active_topics">Sujets actifs</a></li>'
        '<li><a href="./memberlist.php">Membres</a></li></ul>'
        f'<div class="forabg"><ul class="topiclist forums">{rows}</ul></div>'
    )
    return body


def render_topic_list(forum: Forum, threads: Sequence[Thread], start: int, now: datetime) -> str:
    page_threads = threads[start : start + TOPICS_PER_PAGE]
    rows = []
    for thread in page_threads:
        first, last = thread.posts[0], thread.posts[-1]
        rows.append(
            f'<li class="row"><dl class="row-item topic_read"><dt><div class="list-inner">'
            f'<a href="./viewtopic.php?t={thread.id}" class="topictitle">{esc(thread.title)}</a><br>'
            f'par <a href="./memberlist.php?mode=viewprofile&amp;u={user_id(first.author)}" class="username">'
            f"{esc(first.author)}</a> » {fr_forum_date(first.at, now)}</div></dt>"
            f'<dd class="posts">{len(thread.posts) - 1} <dfn>Réponses</dfn></dd>'
            f'<dd class="views">{thread.views} <dfn>Vues</dfn></dd>'
            f'<dd class="lastpost"><span>par {esc(last.author)} » {fr_forum_date(last.at, now)}</span></dd>'
            "</dl></li>"
        )
    return (
        f'<h2 class="forum-title"><a href="./viewforum.php?f={forum.id}">{esc(forum.title)}</a></h2>'
        f'<div class="action-bar">{_pagination(f"./viewforum.php?f={forum.id}", start, len(threads), TOPICS_PER_PAGE)}'
        f'</div><div class="forumbg"><ul class="topiclist topics">{"".join(rows)}</ul></div>'
    )


def render_post(post: Post, now: datetime, alt: int) -> str:
    uid = user_id(post.author)
    edited = ""
    if post.edited_at is not None:
        edited = (
            f'<div class="notice">Dernière édition par {esc(post.author)} le {fr_absolute(post.edited_at)}, '
            "édité 1 fois.</div>"
        )
    return (
        f'<div id="p{post.id}" class="post has-profile bg{alt}"><div class="inner">'
        f'<dl class="postprofile" id="profile{post.id}"><dt><a href="./memberlist.php?mode=viewprofile&amp;u={uid}" '
        f'class="username">{esc(post.author)}</a></dt><dd class="profile-rank">Membre</dd>'
        f'<dd class="profile-posts"><strong>Messages :</strong> <a href="./search.php?author_id={uid}&amp;sr=posts">'
        f"{post.author_posts}</a></dd></dl>"
        f'<div class="postbody"><div id="post_content{post.id}"><h3><a href="#p{post.id}">{esc(post.subject)}</a></h3>'
        f'<p class="author"><a href="./viewtopic.php?p={post.id}#p{post.id}"><span title="Message">Message</span>'
        f'</a> par <strong><a href="./memberlist.php?mode=viewprofile&amp;u={uid}" class="username">'
        f"{esc(post.author)}</a></strong> » {fr_forum_date(post.at, now)} </p>"
        f'<div class="content">{paragraphs(post.text)}</div>{edited}</div></div></div></div>'
    )


def render_thread_page(thread: Thread, start: int, now: datetime) -> str:
    posts = thread.posts[start : start + POSTS_PER_PAGE]
    return (
        f'<h2 class="topic-title"><a href="./viewtopic.php?t={thread.id}">{esc(thread.title)}</a></h2>'
        f'<div class="action-bar">{_pagination(f"./viewtopic.php?t={thread.id}", start, len(thread.posts), POSTS_PER_PAGE)}'
        "</div>" + "".join(render_post(p, now, 1 + i % 2) for i, p in enumerate(posts))
    )


def _int(query: dict[str, str], key: str, default: int = 0) -> int:
    try:
        return max(0, int(query.get(key, default)))
    except ValueError:
        return default


def handle(world: World, path: str, query: dict[str, str], base: str, now: datetime, options: dict) -> Reply:
    """Serve ``/forum/<path>``; ``base`` is ``http://host:port`` as the client sees it."""
    with world.lock:
        if path in ("", "index.php"):
            return html("Index du forum", render_index(world.forums), site=SITE)
        if path == "viewforum.php":
            forum = next((f for f in world.forums if f.id == _int(query, "f")), None)
            if forum is None:
                return not_found(SITE, "Le forum demandé n’existe pas.")
            threads = sorted(forum.threads, key=lambda t: t.posts[-1].at, reverse=True)
            return html(forum.title, render_topic_list(forum, threads, _int(query, "start"), now), site=SITE)
        if path == "viewtopic.php":
            return _topic(world, query, base, now, options)
        if path == "feed.php":
            return _feed(world, base)
        if path == "memberlist.php":
            return html("Membres", "<h1>Liste des membres</h1>", site=SITE)
    return not_found(SITE)


def _topic(world: World, query: dict[str, str], base: str, now: datetime, options: dict) -> Reply:
    start = _int(query, "start")
    thread: Thread | None
    if "p" in query:
        found = world.posts.get(_int(query, "p"))
        if found is None:
            return not_found(SITE, "Le message demandé n’existe pas.")
        thread = found[0]
        start = thread.posts.index(found[1]) // POSTS_PER_PAGE * POSTS_PER_PAGE
    else:
        thread = world.threads.get(_int(query, "t"))
        if thread is None:
            return not_found(SITE, "Le sujet demandé n’existe pas.")
    trap = thread.trap
    body = render_thread_page(thread, start, now)
    if trap == "cp1252":
        return traps.cp1252_page(thread.title, body)
    if trap == "large":
        return traps.large(options.get("large_size", 6_000_000))
    if trap == "slow":
        return traps.slow(options.get("slow_delay", 6.0), html(thread.title, body, site=SITE))
    if trap == "loop":
        hop = query.get("view")
        target = f"./viewtopic.php?t={thread.id}" if hop else f"./viewtopic.php?t={thread.id}&view=next"
        return traps.loop(target)
    if trap == "offsite":
        other = (
            base.replace("127.0.0.1", "localhost")
            if "127.0.0.1" in base
            else base.replace("localhost", "127.0.0.1")
        )
        return traps.offsite(f"{other}/forum/viewtopic.php?t=101")
    if trap == "gone":
        return traps.gone()
    if trap == "error":
        return traps.error()
    return html(thread.title, body, site=SITE)


def _feed(world: World, base: str) -> Reply:
    posts = sorted(
        (
            p
            for f in world.visible_forums()
            if f.id != catalog.ARCHIVE_FORUM
            for t in f.threads
            for p in t.posts
        ),
        key=lambda p: p.at,
        reverse=True,
    )[:15]
    entries = [
        (f"{base}/forum/viewtopic.php?p={p.id}#p{p.id}", esc(p.subject), p.author, p.at.isoformat(),
         paragraphs(p.text))
        for p in posts
    ]  # fmt: skip
    return traps.malformed_feed(entries)
