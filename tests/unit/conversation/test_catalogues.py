"""German, French and Spanish are as complete as English: every key, the same placeholders,
and dates and status words that read in the shopper's own language."""

from __future__ import annotations

import string
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.replies.messages import (
    CATALOGUES,
    EN,
    LANGUAGES,
    format_day,
    format_moment,
    language_of,
    order_status_label,
    shipment_status_label,
    text,
)

OTHERS = [code for code in LANGUAGES if code != "en"]
BERLIN = ZoneInfo("Europe/Berlin")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("language", OTHERS)
def test_every_english_key_is_translated(language: str) -> None:
    words = CATALOGUES[language]
    assert sorted(EN.keys() - words.keys()) == [], f"missing in {language}"
    assert sorted(words.keys() - EN.keys()) == [], f"unknown keys in {language}"


@pytest.mark.parametrize("language", OTHERS)
def test_placeholders_are_the_same_as_in_english(language: str) -> None:
    words = CATALOGUES[language]
    differ = {
        key: (sorted(_placeholders(EN[key])), sorted(_placeholders(words[key])))
        for key in EN
        if key in words and _placeholders(EN[key]) != _placeholders(words[key])
    }
    assert differ == {}


@pytest.mark.parametrize("language", OTHERS)
def test_a_translation_is_not_english_left_in_place(language: str) -> None:
    words = CATALOGUES[language]
    # Short labels may legitimately be the same word ("Status", "Details"); sentences may not.
    same = [
        k for k in EN if words[k] == EN[k] and len(EN[k].split()) > 2 and not k.startswith("date.")
    ]
    assert same == []


@pytest.mark.parametrize("language", OTHERS)
def test_weekday_and_month_names_are_seven_and_twelve(language: str) -> None:
    assert len(text("date.weekdays", language).split()) == 7
    assert len(text("date.months", language).split()) == 12


@pytest.mark.parametrize(
    ("locale", "day", "moment"),
    [
        ("de-DE", "Do., 5. Nov.", "Do., 5. Nov., 14:30 Uhr"),
        ("fr-FR", "jeu. 5 nov.", "jeu. 5 nov. à 14:30"),
        ("es-ES", "jue 5 de nov", "jue 5 de nov, 14:30"),
        ("en", "Thu 5 Nov", "Thu 5 Nov, 14:30"),
    ],
)
def test_timeline_dates_read_in_the_shoppers_language(locale: str, day: str, moment: str) -> None:
    when = datetime(2026, 11, 5, 13, 30, tzinfo=UTC)
    assert format_day(when, BERLIN, locale) == day
    assert format_moment(when, BERLIN, locale) == moment
    now = datetime(2026, 11, 5, 8, tzinfo=UTC)
    assert format_day(when, BERLIN, locale, now=now) == text("date.today", locale)


def test_status_words_in_each_language() -> None:
    assert shipment_status_label("in_transit", "de") == "Unterwegs"
    assert shipment_status_label("in_transit", "fr") == "En route"
    assert shipment_status_label("in_transit", "es") == "En camino"
    assert order_status_label("cancelled", "de") == "Storniert"
    assert order_status_label("delivered", "fr") == "Livrée"
    assert order_status_label("shipped", "es") == "Enviado"


def test_language_of_a_locale() -> None:
    assert language_of("de-AT") == "de"
    assert language_of("FR_ca") == "fr"
    assert language_of("es") == "es"
    assert language_of("it") is None
    assert language_of(None) is None
