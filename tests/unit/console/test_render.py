"""The console renderer: plain text, numbered buttons, JSON, no terminal control codes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from adapters.console import clean, render_json, render_text
from core.replies.reply import Button, KeyValue, Reply, Section, TimelineEntry

BERLIN = ZoneInfo("Europe/Berlin")


def order_reply() -> Reply:
    return Reply(
        sections=[
            Section(
                title="Order 1001",
                text="It's on its way.",
                fields=[KeyValue("Carrier", "DHL"), KeyValue("Expected", "Fri 27 Nov")],
                timeline=[
                    TimelineEntry(
                        datetime(2026, 11, 25, 13, 30, tzinfo=UTC), "Picked up", "Leipzig, DE"
                    ),
                    TimelineEntry(datetime(2026, 11, 24, 9, 0, tzinfo=UTC), "Label created"),
                ],
            )
        ],
        buttons=[Button("Refresh", "refresh", "1001"), Button("Follow updates", "follow", "1001")],
        intent="track_order",
        order_number="1001",
    )


def test_text_shows_title_fields_timeline_in_local_time_and_numbered_buttons() -> None:
    text = render_text(order_reply(), BERLIN)
    assert text.splitlines() == [
        "Order 1001",
        "It's on its way.",
        "   Carrier: DHL",
        "   Expected: Fri 27 Nov",
        "   • Wed 25 Nov, 14:30  Picked up — Leipzig, DE",
        "   • Tue 24 Nov, 10:00  Label created",
        "[1] Refresh  [2] Follow updates",
    ]


def test_buttons_can_be_numbered_on_from_an_earlier_reply() -> None:
    assert render_text(order_reply(), BERLIN, first_button=4).endswith(
        "[4] Refresh  [5] Follow updates"
    )


def test_carrier_text_cannot_send_terminal_control_codes() -> None:
    hostile = "Depot\x1b[2J\x1b]0;pwned\x07 Berlin\r\u202eevil"
    reply = Reply.text("ok", buttons=[Button("Go\x1b[31m", "track", "1")])
    reply.sections[0].fields.append(KeyValue("Last seen", hostile))
    text = render_text(reply, BERLIN)
    assert "\x1b" not in text and "\x07" not in text and "\r" not in text
    assert "\u202e" not in text
    assert "Depot[2J]0;pwned Berlinevil" in text
    assert clean("line one\n\tline two") == "line one\n\tline two"


def test_json_has_text_buttons_intent_and_the_order_number_when_known() -> None:
    data = render_json(order_reply(), BERLIN)
    assert data["intent"] == "track_order"
    assert data["order_number"] == "1001"
    assert data["text"].startswith("Order 1001\nIt's on its way.")
    assert data["buttons"][1] == {"label": "Follow updates", "action": "follow", "payload": "1001"}
    assert "push" not in data
    plain = render_json(Reply.text("Hello!", intent="greeting"), BERLIN)
    assert plain == {"text": "Hello!", "buttons": [], "intent": "greeting"}
    assert render_json(Reply.text("x"), BERLIN, push=True)["push"] is True
