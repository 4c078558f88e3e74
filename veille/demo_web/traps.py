"""What goes wrong on the real web, on demand: each trap is one function returning one ``Reply``.

Served under ``/traps/...`` for the feed poller and behind the forum's "Archives" threads for the
spiders: a malformed feed, a windows-1252 page and feed, a very large page, a slow answer, a
redirect loop, a redirect to another host, a 404 and a 500.
"""

from __future__ import annotations

from veille.demo_web.render import Reply, esc, html, not_found, page

SITE = "Pièges"


def slow(delay: float, body: Reply | None = None) -> Reply:
    """Answers only after ``delay`` seconds (longer than a crawler's timeout in the tests)."""
    reply = body or html("Réponse lente", "<h1>Enfin !</h1><p>Cette page a mis longtemps.</p>", site=SITE)
    reply.delay = delay
    return reply


def loop(there: str) -> Reply:
    """One half of a redirect loop: this URL sends to ``there``, which sends back."""
    return Reply(b"", status=302, headers={"Location": there}, content_type="text/plain")


def offsite(target: str) -> Reply:
    """A permanent redirect to another host (the thread 'moved to the new forum')."""
    return Reply(b"", status=301, headers={"Location": target}, content_type="text/plain")


def gone() -> Reply:
    return not_found(SITE, "Le sujet demandé n’existe pas ou a été supprimé.")


def error() -> Reply:
    body = "<h1>General Error</h1><p>SQL ERROR [ mysqli ] Too many connections [1040]</p>"
    return html("Erreur générale", body, site=SITE, status=500)


def large(size: int) -> Reply:
    """A page of about ``size`` bytes: a forum thread that dumps endless sync logs."""
    line = "<p>2019-03-02 04:12:55 VeloBox sync: DSL line retrain, SNR margin 6.1 dB, CRC errors 12</p>\n"
    body = "<h1>Logs de synchro</h1>" + line * (size // len(line) + 1)
    return Reply(page("Logs", body, site=SITE))


def cp1252_page(title: str, body: str) -> Reply:
    """An old page in windows-1252, declared in the header and the meta tag (’, €, œ, «»)."""
    markup = page(title, body, site="Ancien forum", charset="windows-1252")
    return Reply(
        markup.encode("cp1252", errors="xmlcharrefreplace"), content_type="text/html; charset=windows-1252"
    )


def cp1252_feed(base: str) -> Reply:
    items = "".join(
        f"<item><title>{esc(title)}</title><link>{base}/news/archive/{n}.html</link><guid>{base}/news/archive/{n}"
        f"</guid><pubDate>Mon, 02 Nov 2026 10:0{n}:00 +0100</pubDate><description>{esc(text)}</description></item>"
        for n, (title, text) in enumerate(
            [
                (
                    "Velora : la facture passe à 29,99 €",
                    "L’opérateur Velora relève ses prix ; les abonnés « râlent ».",
                ),
                ("Cafés Lantier : un cœur de métier", "Cafés Lantier fête ses 70 ans, œuvre d’une famille."),
            ]
        )
    )
    xml = (
        '<?xml version="1.0" encoding="windows-1252"?>\n<rss version="2.0"><channel><title>Archives</title>'
        f"<link>{base}/news/</link><description>Ancien fil</description>{items}</channel></rss>"
    )
    return Reply(xml.encode("cp1252"), content_type="application/rss+xml; charset=windows-1252")


def malformed_feed(entries: list[tuple[str, str, str, str, str]]) -> Reply:
    """phpBB's feed.php after a bad mod: a raw ``&`` in the feed title and a truncated end (bozo).

    ``entries`` are (id url, title, author, ISO date, html content); the last one is cut off.
    """
    parts = []
    for url, title, author, date, content in entries:
        parts.append(
            f"<entry><author><name><![CDATA[{author}]]></name></author><updated>{date}</updated>"
            f'<published>{date}</published><id>{url}</id><link href="{url}"/>'
            f'<title type="html">{title}</title>'
            f'<content type="html" xml:base="{url}"><![CDATA[{content}]]></content></entry>'
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">'
        '<title type="text">Forum Conso Malin & Co</title><updated>2026-01-01T00:00:00+01:00</updated>'
        + "".join(parts)
        + "<entry><title>Message tronqu"  # the connection "dropped" here
    )
    return Reply(xml, content_type="application/atom+xml; charset=utf-8")
