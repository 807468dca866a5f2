"""The demo shopper writes German, French or Spanish in the console: wismo understands the
words and numbers of each language and answers in it; "1003" or "ok" keep the language."""

from __future__ import annotations

import json

import pytest

from core.conversation.service import Conversation
from tests.unit.console.test_console_chat import CONFIG, Terminal, conversation, shop

__all__ = ["conversation", "shop"]  # the fixtures, shared with the English console tests
assert CONFIG


async def _json(terminal: Terminal, line: str) -> list[dict]:
    return [json.loads(row) for row in (await terminal.say(line)).splitlines()]


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("wo ist meine bestellung 1003", "Bestellung 1003"),
        ("où est ma commande 1003", "Commande 1003"),
        ("dónde está mi pedido 1003", "Pedido 1003"),
    ],
)
async def test_where_is_my_order_in_each_language(
    conversation: Conversation, line: str, answer: str
) -> None:
    terminal = Terminal(conversation, json_mode=True)
    [card, *_] = await _json(terminal, line)
    assert (card["intent"], card["order_number"]) == ("track_order", "1003")
    said = await Terminal(conversation).say("1003")  # a bare number keeps the language
    assert answer in said


async def test_german_status_words_dates_and_buttons(conversation: Conversation) -> None:
    said = await Terminal(conversation).say("Wann kommt meine Bestellung Nr. 1001 an?")
    assert "Bestellung 1001" in said
    assert "Unterwegs" in said  # in transit
    assert "Aktualisieren" in said and "Mit einem Mitarbeiter sprechen" in said
    assert "Order" not in said and "Refresh" not in said


async def test_french_number_words(conversation: Conversation) -> None:
    terminal = Terminal(conversation, json_mode=True)
    [card, *_] = await _json(terminal, "Bonjour, où en est ma commande n° 1002 ?")
    assert (card["intent"], card["order_number"]) == ("track_order", "1002")
    assert card["text"].startswith("Commande 1002")


async def test_spanish_number_words_and_a_date_that_is_no_order(
    conversation: Conversation,
) -> None:
    terminal = Terminal(conversation, json_mode=True)
    [card, *_] = await _json(terminal, "Hice el pedido el 3 de diciembre, número de pedido 1005")
    assert (card["intent"], card["order_number"]) == ("track_order", "1005")
    assert card["text"].startswith("Pedido 1005")


async def test_a_german_date_and_amount_are_not_order_numbers(conversation: Conversation) -> None:
    terminal = Terminal(conversation, json_mode=True)
    [card, *_] = await _json(
        terminal, "Ich habe am 03.12. für 39,90 € bestellt, Bestellnummer 1004"
    )
    assert (card["intent"], card["order_number"]) == ("track_order", "1004")


@pytest.mark.parametrize(
    ("line", "intent", "words"),
    [
        ("Meine Bestellungen", "list_orders", "Ihre Bestellungen"),
        ("Mes commandes", "list_orders", "Vos commandes"),
        ("Mis pedidos", "list_orders", "Sus pedidos"),
        ("Hilfe", "help", "Das kann ich für Sie tun"),
        ("Qu'est-ce que vous savez faire ?", "help", "Voici ce que je peux faire"),
        ("¿Qué puede hacer?", "help", "Esto es lo que puedo hacer"),
        ("Vielen Dank für die Hilfe", "thanks", "Gern geschehen"),
        ("Merci beaucoup", "thanks", "Avec plaisir"),
        ("Muchas gracias", "thanks", "De nada"),
        (
            "Bitte halten Sie mich über Bestellung 1001 auf dem Laufenden",
            "follow",
            "Bestellung 1001",
        ),
        ("Tenez-moi au courant pour la commande 1005", "follow", "commande 1005"),
        ("Manténgame informado sobre el pedido 1005", "follow", "pedido 1005"),
    ],
)
async def test_the_other_intents_in_the_shoppers_words(
    conversation: Conversation, line: str, intent: str, words: str
) -> None:
    terminal = Terminal(conversation)
    said = await terminal.say(line)
    assert words in said
    [reply, *_] = await _json(Terminal(conversation, json_mode=True), line)
    assert reply["intent"] == intent


@pytest.mark.parametrize(
    ("line", "words"),
    [
        # No Slack support channel in this shop: the shop's contact, in the shopper's words.
        ("Ich möchte mit einem Mitarbeiter sprechen", "Um mit einem Mitarbeiter zu sprechen"),
        ("Je voudrais parler à un conseiller", "Pour parler à un conseiller, contactez Acme"),
        ("Quiero hablar con una persona", "Para hablar con una persona, póngase en contacto"),
    ],
)
async def test_asking_for_a_person(conversation: Conversation, line: str, words: str) -> None:
    said = await Terminal(conversation).say(line)
    assert words in said


async def test_ok_keeps_the_language_and_english_switches_back(conversation: Conversation) -> None:
    terminal = Terminal(conversation)
    assert "Ihre Bestellungen" in await terminal.say("Zeig mir alle meine Bestellungen")
    assert "Gern geschehen" in await terminal.say("ok")
    assert "Here's what I can do" in await terminal.say("what can you do?")
