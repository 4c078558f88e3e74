"""The Mention model: validation, UTC dates, ratings, the ES document round trip."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from core.mention import Mention


def test_dates_are_stored_in_utc(make_mention):
    paris_winter = timezone(timedelta(hours=1))
    mention = make_mention(published_at=datetime(2026, 11, 21, 14, 32, tzinfo=paris_winter))
    assert mention.published_at == datetime(2026, 11, 21, 13, 32, tzinfo=UTC)
    assert mention.to_document()["published_at"] == "2026-11-21T13:32:00Z"


def test_naive_dates_are_refused(make_mention):
    with pytest.raises(ValidationError, match="timezone-aware"):
        make_mention(published_at=datetime(2026, 11, 21, 14, 32))


def test_rating_is_normalised_and_checked(make_mention):
    assert make_mention(rating={"value": 4, "best": 5, "worst": 1}).rating.normalized == 0.75
    assert make_mention(rating={"value": 8, "best": 10, "worst": 0}).rating.normalized == 0.8
    with pytest.raises(ValidationError, match="outside"):
        make_mention(rating={"value": 6, "best": 5})


def test_unknown_fields_are_refused(make_mention):
    with pytest.raises(ValidationError, match="extra"):
        make_mention(colour="blue")


def test_url_is_canonical_and_domain_derived(make_mention):
    mention = make_mention(url="HTTPS://WWW.Forum.example.fr/t?utm_source=x&t=9#p5")
    assert mention.url == "https://www.forum.example.fr/t?t=9#p5"
    assert mention.source.domain == "forum.example.fr"


def test_document_round_trip_keeps_everything(make_mention):
    mention = make_mention(
        rating={"value": 2},
        sentiment={"label": "negative", "score": -0.6, "model": "test"},
        brand_sentiments=[{"brand": "Velora", "label": "negative", "score": -0.7}],
        entities=[{"text": "VeloBox", "label": "PRODUCT", "canonical": "VeloBox"}],
        story_id="s1",
    )
    document = mention.to_document()
    assert document["id"] == mention.id
    assert document["brand_labels"] == ["Velora:negative"]
    again = Mention.from_document(document)
    assert again == mention
