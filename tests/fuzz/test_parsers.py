"""Property tests for everything that reads outside input without a database: the intent
parser, CSV rows, carrier and shop webhook payloads, Telegram callback data. Each either
returns or refuses with its own error — never another exception — in bounded time."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.carriers import aftership, easypost, shopify
from adapters.carriers.parsing import PayloadError
from adapters.telegram.callbacks import CallbackCodec
from core.conversation.intents import IntentParser, secret_in
from core.ingest import csv_rows, importer
from core.ingest.csv_rows import EVENTS, ORDERS, SHIPMENTS, RowError
from core.ingest.intake import IntakeError
from core.ingest.storable import value_problem
from core.ingest.tracking_update import BadTrackingUpdate
from tests.fuzz.strategies import ANY_TEXT, mutated

PAYLOADS = Path(__file__).resolve().parents[1] / "integration" / "ingest" / "payloads"
REFUSALS = (PayloadError, BadTrackingUpdate, IntakeError)
# Seconds per message: a ceiling against runaway regular expressions (a Telegram message
# of 4,096 characters once took 0.6 s), with room for a shared, busy CI machine.
PER_MESSAGE = 0.25
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")), deadline=None, database=None
)


def _recorded(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / name).read_text())


SHOPPER_WORDS = st.sampled_from(
    ["where", "is", "my", "order", "#", "1001", "WS-1001", "return", "jane@example.com",
     "SW1A 1AA", "/start", "/track", "person", "stop", "12.11.2026", "№", "  ", "\x00"]
)  # fmt: skip
MESSAGES = ANY_TEXT | st.lists(SHOPPER_WORDS, max_size=12).map(" ".join) | st.text(max_size=4000)


@FUZZ
@given(text=MESSAGES, pattern=st.sampled_from([r"\d{3,10}", r"WS-\d{4}", r"[A-Z]{2}\d+"]))
def test_the_intent_parser_reads_anything_quickly(text: str, pattern: str) -> None:
    parser = IntentParser(pattern)
    started = time.perf_counter()
    parsed = parser.parse(text)
    secret_in(text)
    assert time.perf_counter() - started < PER_MESSAGE
    assert parsed.intent
    assert parsed.order_number is None or parsed.order_number in parsed.order_numbers


@pytest.mark.parametrize(
    "text",
    ["a" * 4096, "1" * 4096, "a" * 4000 + "@", "a." * 2048 + "@", "a@" * 2048, "1 " * 2048,
     "#" * 4096, "order " * 680, "x@y." * 1024, "+" + "1 " * 2000],
    ids=lambda t: f"{t[:6]!r}x{len(t)}",
)  # fmt: skip
def test_the_longest_messages_telegram_allows_are_parsed_quickly(text: str) -> None:
    parser = IntentParser(r"\d{3,10}")
    started = time.perf_counter()
    parser.parse(text)
    secret_in(text)
    assert time.perf_counter() - started < PER_MESSAGE


def _rows(fmt: csv_rows.CsvFormat) -> st.SearchStrategy[dict[str, str]]:
    columns = fmt.required + fmt.optional
    plausible = st.sampled_from(
        ["", "o-1", "1001", "2026-11-01T10:00:00Z", "0001-01-01T00:00:00+14:00", "a@b.c",
         "in_transit", "19.90", "-1", "99999999999999999999999", "yes", "EUR", "2"]
    )  # fmt: skip
    return st.fixed_dictionaries({c: plausible | ANY_TEXT for c in columns})


@FUZZ
@given(row=_rows(ORDERS))
def test_an_orders_row_is_read_or_rejected_with_a_reason(row: dict[str, str]) -> None:
    try:
        order, item = csv_rows.order_row(row)
    except RowError as exc:
        assert str(exc)
        return
    # What a row yields can always be stored.
    assert value_problem(order.placed_at) is None
    assert all(value_problem(v) is None for v in (order.number, order.customer.name))
    assert item is None or value_problem(item.price_minor) is None


@FUZZ
@given(row=_rows(SHIPMENTS))
def test_a_shipments_row_is_read_or_rejected_with_a_reason(row: dict[str, str]) -> None:
    try:
        csv_rows.shipment_row(row)
    except RowError as exc:
        assert str(exc)


@FUZZ
@given(row=_rows(EVENTS))
def test_an_events_row_is_read_or_rejected_with_a_reason(row: dict[str, str]) -> None:
    try:
        csv_rows.event_row(row)
    except RowError as exc:
        assert str(exc)


@FUZZ
@given(text=st.text(st.characters(codec=None), max_size=400))
def test_any_file_is_read_or_refused_as_a_whole(text: str) -> None:
    try:
        parsed, problems = importer.read_csv(text.splitlines(keepends=True))
    except importer.ImportFileError as exc:
        assert str(exc)
        return
    lines = [line for line, _ in parsed.rows] + [p.line for p in problems]
    assert len(lines) == len(set(lines))  # each line read once: as a row or as a problem


def _parses(parse: Any, payload: dict[str, Any]) -> None:
    try:
        delivery = parse(payload)
    except REFUSALS:
        return
    for update in delivery.updates:  # what is accepted can be stored
        assert value_problem(update.occurred_at) is None
        assert value_problem(update.text) is None


@FUZZ
@given(payload=mutated(_recorded("aftership_tracking_update.json")))
def test_aftership_payloads(payload: dict[str, Any]) -> None:
    _parses(aftership.parse_webhook, payload)


@FUZZ
@given(payload=mutated(_recorded("easypost_tracker_updated.json")))
def test_easypost_payloads(payload: dict[str, Any]) -> None:
    _parses(easypost.parse_webhook, payload)


@FUZZ
@given(
    payload=mutated(_recorded("shopify_orders_create.json"))
    | mutated(_recorded("shopify_fulfillments_update.json")),
    topic=st.sampled_from(["orders/create", "orders/updated", "fulfillments/update", "x"]),
)
def test_shopify_payloads(payload: dict[str, Any], topic: str) -> None:
    _parses(lambda p: shopify.parse_webhook(topic, "evt-1", p), payload)


@FUZZ
@given(data=st.none() | ANY_TEXT | st.binary(max_size=80).map(lambda b: b.decode("latin-1")))
def test_callback_data_of_any_shape_is_refused_or_verified(data: str | None) -> None:
    codec = CallbackCodec("secret")
    assert codec.decode("42", data) is None  # nothing forged is ever taken for a button
