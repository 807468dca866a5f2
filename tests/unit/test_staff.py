from __future__ import annotations

import time
from zoneinfo import ZoneInfo

import pytest

from core.replies.reply import Reply
from core.returns import requests as returns
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.staff.flags import raise_flag
from core.staff.lookup import extract_query, find_orders, lookup_reply, mask_email, staff_order_card
from core.storage.db import Database
from core.storage.models import OrderItem
from tests.unit.staff_data import add_return, build_shop


def _text(reply: Reply) -> str:
    parts: list[str] = []
    for section in reply.sections:
        parts += [section.title or "", section.text or ""]
        parts += [f"{kv.label}: {kv.value}" for kv in section.fields]
        parts += [f"{t.text} {t.location or ''}" for t in section.timeline]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("query", "kind", "numbers"),
    [
        ("1001", "number", ["1001"]),
        ("#1001", "number", ["1001"]),
        ("  Jane.Doe@Example.com ", "email", ["1002", "1001"]),
        ("00340434161094042557", "tracking", ["1001"]),
        ("nobody@example.com", "email", []),
        ("99999", "none", []),
        ("", "none", []),
    ],
)
async def test_find_orders_by_number_email_or_tracking_number(
    db: Database, clock: ManualClock, query: str, kind: str, numbers: list[str]
) -> None:
    async with db.transaction() as session:
        await build_shop(session, clock)
        result = await find_orders(session, query)
    assert result.kind == kind
    assert [o.number for o in result.orders] == numbers


async def test_the_order_card_shows_what_an_agent_needs_and_no_more(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock, note="Leave at the door")
        await raise_flag(
            session,
            clock,
            CoreConfig(),
            shop.order_id,
            "delayed",
            source="staff",
            actor="slack:U1",
            note="Carrier backlog",
        )
        request = await add_return(session, clock, shop)
        card = await staff_order_card(session, shop.order_id, names={"slack:U1": "jane.agent"})
    text = _text(card)
    fields = {kv.label: kv.value for kv in card.sections[0].fields}
    assert card.sections[0].title == "Order 1001"
    assert fields["Status"] == "shipped"
    assert fields["Customer"] == "Jane Doe"
    assert fields["E-mail"] == "j***@example.com"
    assert fields["City"] == "Berlin, DE"
    assert fields["ETA"] == "2026-11-03 12:00 UTC"
    assert "2 × Blue mug" in text
    assert "Leave at the door" in text
    assert "Tracking number: 00340434161094042557" in text
    assert "Arrived at hub Leipzig hub" in text
    assert "Delayed — raised 2026-11-02 12:00 UTC by @jane.agent" in text
    assert (
        f"#{request.id} Requested — waiting for a decision — size too small: 1 × Blue mug" in text
    )
    # Personal data an agent does not need never reaches Slack.
    for secret in ("12 Secret Lane", "10115", "+49 30 1234567", "jane.doe@example.com"):
        assert secret not in text
    assert [(b.label, b.action) for b in card.buttons] == [
        ("Flag issue", "flag_open"),
        ("Resolve flag #1", "flag_resolve"),
        (f"Approve return #{request.id}", "return_approve"),
        (f"Decline return #{request.id}", "return_decline"),
        ("Refresh", "staff_order"),
    ]


async def test_a_final_sale_item_is_called_so_once(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        session.add_all(
            [
                OrderItem(order_id=shop.order_id, sku="S1", name="Sunglasses (final sale)",
                          qty=1, price_minor=900, returnable=False),
                OrderItem(order_id=shop.order_id, sku="E1", name="Ear tips",
                          qty=1, price_minor=300, returnable=False),
            ]
        )  # fmt: skip
        await session.flush()
        text = _text(await staff_order_card(session, shop.order_id))
    assert "1 × Sunglasses (final sale)\n" in text + "\n"
    assert "(final sale) (final sale)" not in text
    assert "1 × Ear tips (final sale)" in text


async def test_card_times_are_in_the_shops_time_zone(db: Database, clock: ManualClock) -> None:
    berlin = ZoneInfo("Europe/Berlin")  # CET in November: UTC+1
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        await raise_flag(
            session, clock, CoreConfig(), shop.order_id, "delayed", source="staff", actor="slack:U1"
        )
        request = await add_return(session, clock, shop)
        await returns.approve(session, clock, CoreConfig(), request.id, actor="slack:U1")
        card = await staff_order_card(session, shop.order_id, tz=berlin)
    text = _text(card)
    fields = {kv.label: kv.value for kv in card.sections[0].fields}
    assert fields["ETA"] == "2026-11-03 13:00 CET"
    assert "Delayed — raised 2026-11-02 13:00 CET by @U1" in text
    assert "Approved by @U1 at 13:00 CET" in text
    [timeline] = [s for s in card.sections if s.title == "Timeline"]
    assert [f"{e.at:%H:%M %Z}" for e in timeline.timeline] == ["10:00 CET", "13:00 CET"]


async def test_a_lookup_by_email_with_several_orders_offers_a_pick_list(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        await build_shop(session, clock)
        reply = await lookup_reply(session, "jane.doe@example.com")
    assert reply.sections[0].title == "2 orders match “jane.doe@example.com”"
    assert [(b.label, b.action, b.payload) for b in reply.buttons] == [
        ("Order 1002", "staff_order", "1002"),
        ("Order 1001", "staff_order", "1001"),
    ]


async def test_a_lookup_that_finds_nothing_says_how_to_search(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        reply = await lookup_reply(session, "4242")
    assert reply.sections[0].text == (
        "No order matches “4242”. Try an order number, the customer's e-mail address "
        "or a tracking number."
    )


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("where is order 1001?", "1001"),
        ("<@U0BOT> status of #1002 please", "1002"),
        ("anything for jane.doe@example.com", "jane.doe@example.com"),
        ("parcel 1Z999AA10123456784 is late", "1Z999AA10123456784"),
        ("hello there", None),
    ],
)
def test_extract_query_from_a_staff_message(text: str, query: str | None) -> None:
    assert extract_query(text, CoreConfig()) == query


def test_a_huge_message_is_read_in_bounded_time() -> None:
    # Slack messages reach 40,000 characters; the e-mail pattern once took 6 s for 16,000.
    text = "a" * 20_000 + "@" + "b" * 20_000 + " order 1001"
    started = time.perf_counter()
    assert extract_query(text, CoreConfig()) == "1001"
    assert extract_query("x" * 39_000 + " jane@example.com", CoreConfig()) == "jane@example.com"
    assert time.perf_counter() - started < 2  # a guard against quadratic patterns, not a target


def test_mask_email() -> None:
    assert mask_email("jane.doe@example.com") == "j***@example.com"
    assert mask_email("not-an-email") == "***"


@pytest.mark.postgres
async def test_lookups_and_the_card_work_on_postgresql(pg_db: Database, clock: ManualClock) -> None:
    async with pg_db.transaction() as session:
        shop = await build_shop(session, clock)
        assert [o.number for o in (await find_orders(session, "00340434161094042557")).orders] == [
            "1001"
        ]
        assert (await find_orders(session, "JANE.DOE@example.com")).kind == "email"
        card = await staff_order_card(session, shop.order_id)
    assert card.sections[0].title == "Order 1001"
