"""Dates as French and English sites print them, to aware UTC in the site's timezone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawlers.dates import parse_date

NOW = datetime(2026, 11, 21, 19, 0, tzinfo=UTC)  # 20:00 in Paris


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21 nov. 2026 à 14:32", datetime(2026, 11, 21, 13, 32, tzinfo=UTC)),
        ("par Bob » 21 novembre 2026, 14h32", datetime(2026, 11, 21, 13, 32, tzinfo=UTC)),
        ("21 novembre 2026 à 14 h 32 min", datetime(2026, 11, 21, 13, 32, tzinfo=UTC)),
        ("lun. 3 août 2026 09:05", datetime(2026, 8, 3, 7, 5, tzinfo=UTC)),  # summer time: UTC+2
        ("1er décembre 2026", datetime(2026, 11, 30, 23, 0, tzinfo=UTC)),
        ("21/11/2026 à 14h32", datetime(2026, 11, 21, 13, 32, tzinfo=UTC)),
        ("il y a 3 heures", datetime(2026, 11, 21, 16, 0, tzinfo=UTC)),
        ("il y a une heure", datetime(2026, 11, 21, 18, 0, tzinfo=UTC)),
        ("il y a 12 minutes", datetime(2026, 11, 21, 18, 48, tzinfo=UTC)),
        ("il y a 2 jours", datetime(2026, 11, 19, 19, 0, tzinfo=UTC)),
        ("hier à 14:32", datetime(2026, 11, 20, 13, 32, tzinfo=UTC)),
        ("Aujourd’hui, 09:15", datetime(2026, 11, 21, 8, 15, tzinfo=UTC)),
        ("à l’instant", NOW),
        ("2 days ago", datetime(2026, 11, 19, 19, 0, tzinfo=UTC)),
        ("an hour ago", datetime(2026, 11, 21, 18, 0, tzinfo=UTC)),
        ("yesterday at 2:32 PM", datetime(2026, 11, 20, 13, 32, tzinfo=UTC)),
        ("Nov 21, 2026 2:32 pm", datetime(2026, 11, 21, 13, 32, tzinfo=UTC)),
        ("2026-11-21T14:32:00+01:00", datetime(2026, 11, 21, 13, 32, tzinfo=UTC)),
        ("2026-11-21T13:32:00Z", datetime(2026, 11, 21, 13, 32, tzinfo=UTC)),
        ("2026-11-21 14:32", datetime(2026, 11, 21, 13, 32, tzinfo=UTC)),  # no offset: site time
        ("Sat, 21 Nov 2026 14:32:00 +0100", datetime(2026, 11, 21, 13, 32, tzinfo=UTC)),
        ("1795300000", datetime.fromtimestamp(1795300000, UTC)),  # XenForo's data-time
    ],
)
def test_common_forms_in_paris(text, expected):
    assert parse_date(text, tz="Europe/Paris", now=NOW, slow=False) == expected


def test_site_timezone_applies_to_local_dates_only():
    local = parse_date("21/11/2026 14:32", tz="America/Montreal", now=NOW)
    assert local == datetime(2026, 11, 21, 19, 32, tzinfo=UTC)
    with_offset = parse_date("2026-11-21T14:32:00+01:00", tz="America/Montreal", now=NOW)
    assert with_offset == datetime(2026, 11, 21, 13, 32, tzinfo=UTC)


def test_english_sites_read_numeric_dates_month_first():
    assert parse_date("11/03/2026", tz="UTC", now=NOW, language="en") == datetime(2026, 11, 3, tzinfo=UTC)
    assert parse_date("11/03/2026", tz="UTC", now=NOW, language="fr") == datetime(2026, 3, 11, tzinfo=UTC)


def test_a_date_without_year_is_in_the_past():
    assert parse_date("3 déc. à 10:00", tz="UTC", now=NOW) == datetime(2025, 12, 3, 10, 0, tzinfo=UTC)
    assert parse_date("3 nov. à 10:00", tz="UTC", now=NOW) == datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


def test_slow_path_handles_what_the_regexes_do_not():
    assert parse_date("le mois dernier", tz="Europe/Paris", now=NOW, slow=False) is None
    found = parse_date("le mois dernier", tz="Europe/Paris", now=NOW)
    assert found is not None and NOW.replace(month=9) < found < NOW


@pytest.mark.parametrize("text", ["", "   ", "n'importe quoi", "31/02/2026", "Messages : 1234"])
def test_not_a_date(text):
    assert parse_date(text, tz="Europe/Paris", now=NOW) is None


def test_results_are_aware_utc():
    for text in ("il y a 3 heures", "21 nov. 2026 à 14:32", "2026-11-21"):
        value = parse_date(text, now=NOW)
        assert value is not None and value.tzinfo is UTC
