"""What shoppers type, and what the parser understands from it."""

from __future__ import annotations

import pytest

from core.conversation import intents as i
from core.conversation.intents import IntentParser, secret_in

parser = IntentParser(r"\d{3,10}")


@pytest.mark.parametrize(
    "text",
    [
        "#1001",
        "order 1001",
        "1001",
        "my order number is 1001",
        "Where's my order #1001??",
        "wher is my ordr 1001",
        "where is order no. 1001",
        "order:1001",
        "status of 1001.",
        "any news on order nr 1001 please",
        "WHERE IS 1001!!!",
        "hi, where is #1001",
    ],
)
def test_order_numbers_in_all_their_spellings_are_tracked(text: str) -> None:
    parsed = parser.parse(text)
    assert (parsed.intent, parsed.order_number) == (i.TRACK, "1001")


@pytest.mark.parametrize(
    "text",
    [
        "where is my order",
        "wheres my package",
        "wher is my packge??",
        "when will it arrive",
        "track my parcel",
        "any update?",
    ],
)
def test_where_is_my_order_without_a_number(text: str) -> None:
    parsed = parser.parse(text)
    assert (parsed.intent, parsed.order_number) == (i.TRACK, None)


@pytest.mark.parametrize(
    "text",
    [
        "call me on +49 170 1234567",
        "my phone number is 555-123-4567",
        "my mobile is (555) 123 4567",
        "phone 5551234",
        "my number is 030 1234 5678",
        "I ordered on 12.11.2026",
        "ordered 2026-11-02, where is it",
        "I ordered it on November 12, 2026",
        "I ordered on 12 Nov 2026",
        "since 12/11 nothing happened",
        "I ordered in 2025",
        "it should come at 14:30",
        "I paid $1001 for it",
        "it was 1500 EUR",
        "I bought 300 items",
        "my postcode is 10115",
        "waiting for 10 days now",
    ],
)
def test_phone_numbers_dates_and_amounts_are_not_order_numbers(text: str) -> None:
    assert parser.parse(text).order_number is None


def test_an_order_number_next_to_a_phone_number_is_still_found() -> None:
    parsed = parser.parse("my phone is +49 170 1234567 and my order is 1001")
    assert parsed.order_number == "1001"
    assert parsed.explicit_number


def test_an_explicit_order_number_wins_over_a_bare_one() -> None:
    assert parser.parse("I have 2 parcels, 555 and order #1001").order_number == "1001"


def test_the_shop_pattern_decides_what_an_order_number_is() -> None:
    shop = IntentParser(r"WS-\d{5}")
    assert shop.parse("where is ws-10001?").order_number == "WS-10001"
    assert shop.parse("where is 1001?").order_number is None
    assert shop.parse("where is 1001?").intent == i.TRACK


@pytest.mark.parametrize(
    ("text", "intent", "number"),
    [
        ("hi", i.GREETING, None),
        ("Hello there!", i.GREETING, None),
        ("good morning", i.GREETING, None),
        ("help", i.HELP, None),
        ("?", i.HELP, None),
        ("what can you do", i.HELP, None),
        ("my orders", i.LIST, None),
        ("show me all my orders", i.LIST, None),
        ("order history", i.LIST, None),
        ("follow 1001", i.FOLLOW, "1001"),
        ("notify me when 1001 moves", i.FOLLOW, "1001"),
        ("keep me posted about order 1001", i.FOLLOW, "1001"),
        ("stop updates", i.UNFOLLOW, None),
        ("stop", i.UNFOLLOW, None),
        ("unsubscribe from 1001", i.UNFOLLOW, "1001"),
        ("no more updates for order 1001 please", i.UNFOLLOW, "1001"),
        ("I want to return 1001", i.RETURN, "1001"),
        ("refund please", i.RETURN, None),
        ("how do I send it back", i.RETURN, None),
        ("hi, can I return #1001?", i.RETURN, "1001"),
        ("can I talk to a human", i.HUMAN, None),
        ("speak to someone about 1001", i.HUMAN, "1001"),
        ("I want a real person", i.HUMAN, None),
        ("cancel my order 1001", "cancel_order", "1001"),
        ("thanks!", i.THANKS, None),
        ("thank you so much", i.THANKS, None),
        ("thx", i.THANKS, None),
        ("ok great", i.THANKS, None),
        ("bye", i.BYE, None),
        ("cancel", i.CANCEL, None),
        ("never mind", i.CANCEL, None),
        ("I want to cancel", "cancel_order", None),
        ("can I change my address", "change_address", None),
        ("the item is broken", "damaged", None),
        ("wrong item in order 1001", "wrong_item", "1001"),
        ("I want to return a damaged item", i.RETURN, None),
        ("start", i.START, None),
        ("good night", i.BYE, None),
        ("👍", i.THANKS, None),
        ("asdfgh qwerty", i.UNKNOWN, None),
        ("", i.UNKNOWN, None),
    ],
)
def test_intents(text: str, intent: str, number: str | None) -> None:
    parsed = parser.parse(text)
    assert (parsed.intent, parsed.order_number) == (intent, number)


def test_commands() -> None:
    assert parser.parse("/start abc_DEF-123") == i.Parsed(i.START, argument="abc_DEF-123")
    assert parser.parse("/start").intent == i.START
    assert parser.parse("/start@wismo_bot").intent == i.START
    assert parser.parse("/stop").intent == i.STOP_PUSHES
    assert parser.parse("/help").intent == i.HELP
    assert parser.parse("/orders").intent == i.LIST


def test_an_email_address_is_picked_out_and_never_read_as_an_order_number() -> None:
    parsed = parser.parse("1001 Jane.Doe+shop@example.co.uk")
    assert parsed.email == "Jane.Doe+shop@example.co.uk"
    assert parsed.order_number == "1001"
    assert parser.parse("jane1001@example.com").order_number is None


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("jane@example.com", "jane@example.com"),
        ("it's jane@example.com", "jane@example.com"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("10115", "10115"),
        ("k1a-0b1.", "k1a-0b1"),
        ("my zip is 90210", "90210"),
        ("postcode: SW1A 1AA", "SW1A 1AA"),
        ("my email is jane@example.com", "jane@example.com"),
        ("hello", None),
        ("where is my parcel 1001", None),
    ],
)
def test_secret_in(text: str, secret: str | None) -> None:
    assert secret_in(text) == secret


def test_every_order_number_in_a_message_explicit_ones_first() -> None:
    parsed = parser.parse("I have 1002 and also #1001 coming, call 555-123-4567")
    assert parsed.order_numbers == ("1001", "1002")
    assert parsed.order_number == "1001" and parsed.explicit_number
    assert parser.parse("1001 1001").order_numbers == ("1001",)
