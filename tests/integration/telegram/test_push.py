"""Pushes for a followed order reach the shopper's Telegram chat through the dispatcher."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from core.ingest.tracking_update import TrackingUpdate
from core.ingest.updates import apply_tracking_update
from core.pushes.dispatch import Dispatcher
from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.models import ChannelIdentity, Notification
from core.tracking.statuses import ShipmentStatus
from tests.integration.telegram.conftest import Harness, core_config
from tests.integration.telegram.shop import Shop
from tests.integration.telegram.test_conversation import shown, verified


async def follow_1001(telegram: Harness, chat_id: int, shop: Shop) -> None:
    ada, card = await verified(telegram, chat_id, shop)
    if any(b["text"].startswith("Follow") for b in card.buttons):
        await ada.press(card, "Follow")
    [card] = await ada.say("/track 1001")
    assert "Stop updates" in [b["text"] for b in card.buttons]  # following now


async def out_for_delivery(db: Database, clock: ManualClock) -> None:
    clock.advance(hours=1)
    async with db.transaction() as session:
        await apply_tracking_update(
            session,
            clock,
            core_config(),
            TrackingUpdate(
                source="test",
                source_event_id="ofd-1",
                tracking_number="JD0001",
                status=ShipmentStatus.OUT_FOR_DELIVERY,
                occurred_at=clock.now(),
                location="Berlin",
                text="Out for delivery",
            ),
        )


async def test_push_for_a_followed_order_arrives(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    await follow_1001(telegram, 301, shop)
    before = len(telegram.botapi.sent_to(301))
    await out_for_delivery(db, clock)
    stats = await Dispatcher(db, clock, {"telegram": telegram.channel.sender}).drain()
    assert stats.sent == 1
    pushes = telegram.botapi.sent_to(301)[before:]
    assert len(pushes) == 1
    [push] = pushes
    assert "1001" in shown(push.text)
    assert push.parse_mode == "HTML"
    assert push.text.startswith("<b>Order 1001 is out for delivery</b>")
    assert '<a href="https://track.example/JD0001">' in push.text
    async with db.session() as session:
        [note] = (await session.exec(select(Notification))).all()
    assert note.state == "sent"
    assert note.external_ref == f"301:{push.message_id}"


async def test_push_to_a_shopper_who_blocked_the_bot(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    await follow_1001(telegram, 302, shop)
    telegram.botapi.fail("sendMessage", 403, chat_id=302)
    await out_for_delivery(db, clock)
    stats = await Dispatcher(db, clock, {"telegram": telegram.channel.sender}).drain()
    assert stats.blocked == 1
    async with db.session() as session:
        identity = (
            await session.exec(select(ChannelIdentity).where(ChannelIdentity.external_id == "302"))
        ).one()
    assert identity.blocked_at is not None


async def test_push_rate_limited_then_delivered(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    await follow_1001(telegram, 303, shop)
    before = len(telegram.botapi.sent_to(303))
    telegram.botapi.fail("sendMessage", 429, retry_after=1, chat_id=303)
    await out_for_delivery(db, clock)
    dispatcher = Dispatcher(db, clock, {"telegram": telegram.channel.sender})
    first = await dispatcher.drain()
    assert first.rate_limited == 1
    assert telegram.botapi.sent_to(303)[before:] == []
    clock.advance(timedelta(seconds=60))  # the channel pause is over (the sender waits 1 s)
    second = await dispatcher.drain()
    assert second.sent == 1
    assert len(telegram.botapi.sent_to(303)[before:]) == 1
