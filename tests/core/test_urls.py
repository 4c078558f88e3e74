"""Canonical URLs and mention ids: re-crawls and replays must land on the same id."""

import pytest

from core.urls import canonical_url, domain_of, mention_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://Forum.Example.COM:443/t/1", "https://forum.example.com/t/1"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com/a?utm_source=x&b=2&a=1&fbclid=zz", "https://example.com/a?a=1&b=2"),
        ("https://example.com/viewtopic.php?t=2&sid=abcdef", "https://example.com/viewtopic.php?t=2"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a#p1234", "https://example.com/a#p1234"),
        ("https://example.com/a#comment-45", "https://example.com/a#comment-45"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/caf%C3%A9", "https://example.com/caf%C3%A9"),
        ("https://example.com/café", "https://example.com/caf%C3%A9"),
    ],
)
def test_canonical_url(raw, expected):
    assert canonical_url(raw) == expected


def test_relative_or_non_http_urls_are_refused():
    for bad in ("/viewtopic.php?t=1", "ftp://example.com/x", "mailto:a@b.c"):
        with pytest.raises(ValueError, match="absolute"):
            canonical_url(bad)


def test_id_ignores_tracking_and_case_but_not_the_post():
    base = mention_id("https://forum.example.fr/viewtopic.php?t=42#p100")
    assert mention_id("HTTPS://FORUM.example.fr/viewtopic.php?utm_medium=rss&t=42#p100") == base
    assert mention_id("https://forum.example.fr/viewtopic.php?t=42#p101") != base
    assert mention_id("https://forum.example.fr/viewtopic.php?t=42", anchor="p100") == base
    assert len(base) == 32


def test_explicit_anchor_wins_over_a_non_post_fragment():
    assert mention_id("https://blog.example.fr/article#respond", anchor="comment-7") == mention_id(
        "https://blog.example.fr/article#comment-7"
    )


def test_domain_of_drops_www():
    assert domain_of("https://www.Example.fr/x") == "example.fr"
