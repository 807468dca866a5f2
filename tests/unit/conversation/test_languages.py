"""German, French and Spanish in the shopper's own words: the language of each message, the
intent and the number read from it, and the numbers that are not orders."""

from __future__ import annotations

import pytest

from core.conversation.intents import IntentParser, secret_in
from core.conversation.language import LanguageDetector, chat_language, language_of_words
from core.conversation.reading import in_english

parser = IntentParser(r"\d{3,10}")
detector = LanguageDetector()


def read(text: str) -> tuple[str, str | None]:
    language = detector.detect(text) or language_of_words(text)
    parsed = parser.parse(text, language)
    return parsed.intent, parsed.order_number


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("wo ist meine bestellung 1003", "de"),
        ("où est ma commande 1003", "fr"),
        ("dónde está mi pedido 1003", "es"),
        ("where is my order 1003", "en"),
        ("Laut Sendungsverfolgung zugestellt, aber ich habe nichts bekommen", "de"),
        ("Bonjour, je voudrais parler à un conseiller", "fr"),
        ("Quiero devolver los zapatos", "es"),
    ],
)
def test_the_language_of_a_sentence_is_detected(text: str, language: str) -> None:
    assert detector.detect(text) == language


@pytest.mark.parametrize("text", ["1003", "ok", "#1003", "jane@example.com", "👍", "Nr. 1003"])
def test_short_or_ambiguous_messages_say_no_language(text: str) -> None:
    assert detector.detect(text) is None
    assert language_of_words(text) is None


def test_a_single_word_of_one_language_names_it() -> None:
    assert [language_of_words(w) for w in ("Hilfe", "Merci", "Hola", "Status")] == [
        "de",
        "fr",
        "es",
        None,  # English too
    ]


def test_the_language_falls_back_from_message_to_chat_to_app_to_default() -> None:
    assert chat_language("fr", "de", "es-ES", "en") == "fr"
    assert chat_language(None, "de", "es-ES", "en") == "de"
    assert chat_language(None, None, "es-ES", "en") == "es"
    assert chat_language(None, "it", "pt-BR", "de") == "de"  # none wismo speaks: the default
    assert chat_language(None, None, None, "xx") == "en"


@pytest.mark.parametrize(
    ("text", "intent", "number"),
    [
        ("wo ist meine bestellung 1003", "track_order", "1003"),
        ("où est ma commande 1003", "track_order", "1003"),
        ("dónde está mi pedido 1003", "track_order", "1003"),
        ("donde esta mi pedio 1003", "track_order", "1003"),  # no accents, a typo
        ("ou est ma comande 1003", "track_order", "1003"),
        ("wann komt mein packet", "track_order", None),
        ("Meine Bestellungen", "list_orders", None),
        ("Mes commandes", "list_orders", None),
        ("Mis pedidos", "list_orders", None),
        ("Ich möchte die Bestellung 1004 zurückschicken", "start_return", "1004"),
        ("Je voudrais retourner la commande 1004", "start_return", "1004"),
        ("Quiero devolver el pedido 1004", "start_return", "1004"),
        ("Bitte halten Sie mich über Bestellung 1001 auf dem Laufenden", "follow", "1001"),
        ("Prévenez-moi quand la commande 1002 est expédiée", "follow", "1002"),
        ("Avíseme cuando envíen el pedido 1002", "follow", "1002"),
        ("Keine Updates mehr bitte", "unfollow", None),
        ("Plus de mises à jour pour 1001", "unfollow", "1001"),
        ("No quiero más notificaciones", "unfollow", None),
        ("Kann ich bitte mit einem Menschen reden?", "human", None),
        ("Passez-moi le service client pour la commande 1003", "human", "1003"),
        ("¿Puedo hablar con un agente?", "human", None),
        ("Hilfe", "help", None),
        ("Vielen Dank für die Hilfe", "thanks", None),
        ("Merci pour votre aide", "thanks", None),
        ("Gracias por la ayuda", "thanks", None),
        ("Tschüss", "bye", None),
        ("Au revoir", "bye", None),
        ("abbrechen", "cancel", None),
    ],
)
def test_intents_in_the_shoppers_words(text: str, intent: str, number: str | None) -> None:
    assert read(text) == (intent, number)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Bestellnummer 1003", "1003"),
        ("Wann kommt meine Bestellung Nr. 1002 an?", "1002"),
        ("Bonjour, où en est ma commande n° 1001 ?", "1001"),
        ("Quiero el seguimiento del pedido n.º 1004", "1004"),
        ("Hice el pedido el 03/12, número de pedido 1004", "1004"),
        # A date, an amount, a duration or a phone number before the order number
        ("Ich habe am 03.12. bestellt, Bestellnummer 1004", "1004"),
        ("Ich habe am 3. Dezember 2026 bestellt, Nr. 1004", "1004"),
        ("Ich warte seit 14 Tagen auf 1001", "1001"),
        ("J'ai payé 1249,90 € pour la commande 1005", "1005"),
        ("Hice el pedido el 3 de diciembre de 2026, pedido 1005", "1005"),
        ("Pedido 1001, llevo 5 días esperando", "1001"),
    ],
)
def test_order_numbers_by_the_rules_of_each_language(text: str, number: str) -> None:
    assert read(text)[1] == number


@pytest.mark.parametrize(
    "text",
    [
        "Ich wohne in 10115 und warte auf mein Paket",  # a German postcode
        "Postleitzahl 80331 – wo ist mein Paket?",
        "Rufen Sie mich bitte an unter 030 1234 5678",
        "Appelez-moi au 06 12 34 56 78",
        "Llámenme al 612 345 678",
        "Ich habe am 3. Dezember 2026 bestellt",
    ],
)
def test_numbers_that_are_not_orders(text: str) -> None:
    assert read(text)[1] is None


@pytest.mark.parametrize(
    ("text", "language", "secret"),
    [
        ("meine PLZ ist 10115", "de", "10115"),
        ("Postleitzahl: 80331", "de", "80331"),
        ("mon code postal est 75011", "fr", "75011"),
        ("mi código postal es 28013", "es", "28013"),
        ("meine E-Mail ist jane@example.com", "de", "jane@example.com"),
    ],
)
def test_the_proof_of_an_order_in_each_language(text: str, language: str, secret: str) -> None:
    assert secret_in(text, language) == secret


def test_an_email_address_is_kept_whole_while_the_words_around_it_are_read() -> None:
    assert in_english("Meine Adresse: Bestellung.Eins@Example.de", "de") == (
        "my address: Bestellung.Eins@Example.de"
    )
