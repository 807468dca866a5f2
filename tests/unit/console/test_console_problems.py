"""The demo shopper reports problems in the console (`wismo chat --json` / `wismo demo --json`)."""

from __future__ import annotations

import json

from sqlmodel import col, select

from core.conversation.service import Conversation
from core.storage.db import Database
from core.storage.models import Flag, Order, Shipment
from tests.unit.console.test_console_chat import Terminal, conversation, shop

__all__ = ["conversation", "shop"]  # the demo shop and its verified console shopper


async def said_json(terminal: Terminal, line: str) -> list[dict[str, object]]:
    return [json.loads(row) for row in (await terminal.say(line)).splitlines()]


async def test_each_kind_is_the_intent_of_the_json_reply(
    conversation: Conversation, db: Database
) -> None:
    terminal = Terminal(conversation, json_mode=True)
    for line, intent, number in [
        ("it says 1003 was delivered but i dont have it", "delivered_not_received", "1003"),
        ("1003 arrived damaged", "damaged", "1003"),
        ("got the wrong item in 1003", "wrong_item", "1003"),
        ("the beanie is missing from 1003", "missing_item", "1003"),
        ("1001 is late", "delayed", "1001"),
        ("1006 is stuck", "stuck", "1006"),
        ("they tried to deliver 1002 but nobody was home", "delivery_attempted", "1002"),
        ("tracking says 1001 is returned to sender", "returned_to_sender", "1001"),
        ("where is my refund for 1003", "refund_status", "1003"),
        ("please cancel 1005", "cancel_order", "1005"),
        ("can I change the address for 1005", "change_address", "1005"),
    ]:
        [reply] = await said_json(terminal, line)
        assert (reply["intent"], reply["order_number"]) == (intent, number), line
    async with db.session() as session:
        kinds = (await session.exec(select(Flag.kind).order_by(col(Flag.id)))).all()
    # Every report staff can act on is one flag; the missing beanie and the damaged box are
    # separate kinds on 1003, and 1003 has no open return to chase.
    assert "delivered_not_received" in kinds and "cancel_order" in kinds
    assert "change_address" in kinds and "refund_status" not in kinds
    assert len(kinds) == len(set(kinds))


async def test_a_tracking_number_in_the_console_answers_with_its_order_number(
    conversation: Conversation, db: Database
) -> None:
    async with db.session() as session:
        tracking = (
            await session.exec(
                select(Shipment.tracking_number)
                .join(Order, col(Order.id) == col(Shipment.order_id))
                .where(Order.number == "1001")
            )
        ).one()
    terminal = Terminal(conversation, json_mode=True)
    [reply] = await said_json(terminal, f"where is {tracking}")
    assert (reply["intent"], reply["order_number"]) == ("track_order", "1001")


async def test_cancelling_a_prepared_order_says_it_can_still_be_cancelled(
    conversation: Conversation,
) -> None:
    said = await Terminal(conversation).say("i want to cancel order 1005")
    assert "hasn't shipped yet" in said and "can still be cancelled" in said
