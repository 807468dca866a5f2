"""A followed order keeps one live status message in the chat, edited in place as scans arrive;
only milestones arrive as new, audible messages. Through PTB and the stand-in Bot API."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from sqlmodel import select

from bot.runtime import serve
from bot.services import build_services
from core.ingest.tracking_update import TrackingUpdate
from core.ingest.updates import apply_tracking_updates
from core.pushes.dispatch import Dispatcher
from core.pushes.live_updater import LiveStatusUpdater
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import LiveStatus
from core.tracking.statuses import ShipmentStatus
from tests.integration.telegram.botapi import BotApiServer
from tests.integration.telegram.conftest import Harness, core_config
from tests.integration.telegram.shop import Shop
from tests.integration.telegram.test_conversation import shown
from tests.integration.telegram.test_push import follow_1001
from tests.integration.telegram.test_runtime import settings_for

LIVE = replace(core_config(), live_status_channels=("telegram",))


async def scan(
    db: Database,
    clock: ManualClock,
    *texts: str,
    status: ShipmentStatus = ShipmentStatus.IN_TRANSIT,
    config: CoreConfig = LIVE,
    eta_days: int | None = None,
) -> None:
    """The carrier reports `texts` as scans of parcel JD0001, a minute apart, in one batch."""
    clock.advance(hours=1)
    updates = [
        TrackingUpdate(
            source="test",
            source_event_id=f"scan-{clock.now().timestamp()}-{i}",
            tracking_number="JD0001",
            status=status,
            occurred_at=clock.now() - timedelta(minutes=len(texts) - i),
            location="Halle",
            text=text,
            eta=clock.now() + timedelta(days=eta_days) if eta_days is not None else None,
        )
        for i, text in enumerate(texts)
    ]
    async with db.transaction() as session:
        await apply_tracking_updates(session, clock, config, updates)


def updater(telegram: Harness, db: Database, clock: ManualClock) -> LiveStatusUpdater:
    return LiveStatusUpdater(db, clock, LIVE, {"telegram": telegram.channel.sender}, worker="t")


async def test_scans_edit_one_silent_message_in_place(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    await follow_1001(telegram, 321, shop)
    before = len(telegram.botapi.sent_to(321))

    await scan(db, clock, "Arrived at sort facility")
    stats = await updater(telegram, db, clock).drain()
    assert stats.sent == 1
    [live] = telegram.botapi.sent_to(321)[before:]
    assert "Order 1001" in shown(live.text)
    assert "Arrived at sort facility" in shown(live.text)
    assert "Live status · updated" in shown(live.text)
    # A scan is not news: the live message comes without a sound.
    assert telegram.botapi.calls_of("sendMessage")[-1].params.get("disable_notification") is True
    assert "Stop updates" in [b["text"] for b in live.buttons]

    # Three scans in a burst: one edit of the same message, nothing new in the chat.
    await scan(db, clock, "Departed sort facility", "Arrived at hub", "Sorted for delivery area")
    stats = await updater(telegram, db, clock).drain()
    assert (stats.edited, stats.sent) == (1, 0)
    assert telegram.botapi.sent_to(321)[before:] == [live]
    assert "Sorted for delivery area" in shown(live.text)
    assert "Arrived at sort facility" in live.edits[0]
    assert len(live.edits) == 1
    assert await Dispatcher(db, clock, {"telegram": telegram.channel.sender}).drain() == (
        await Dispatcher(db, clock, {}).drain()  # no push was written for a scan
    )


async def test_a_milestone_is_a_new_audible_message_and_the_live_card_follows(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    await follow_1001(telegram, 322, shop)
    before = len(telegram.botapi.sent_to(322))
    await scan(db, clock, "Arrived at sort facility")
    await updater(telegram, db, clock).drain()
    [live] = telegram.botapi.sent_to(322)[before:]

    await scan(db, clock, "Out for delivery", status=ShipmentStatus.OUT_FOR_DELIVERY)
    pushed = await Dispatcher(db, clock, {"telegram": telegram.channel.sender}).drain()
    assert pushed.sent == 1
    _, push = telegram.botapi.sent_to(322)[before:]
    assert shown(push.text).startswith("Order 1001 is out for delivery")
    assert not telegram.botapi.calls_of("sendMessage")[-1].params.get("disable_notification")

    stats = await updater(telegram, db, clock).drain()
    assert stats.edited == 1
    assert "Out for delivery" in shown(live.text)
    assert len(telegram.botapi.sent_to(322)[before:]) == 2


async def test_a_moved_delivery_date_edits_the_live_message_instead_of_a_push(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    await follow_1001(telegram, 323, shop)
    before = len(telegram.botapi.sent_to(323))
    await scan(db, clock, "Arrived at sort facility")
    await updater(telegram, db, clock).drain()

    await scan(db, clock, "Delayed by weather", eta_days=4)
    assert (await Dispatcher(db, clock, {"telegram": telegram.channel.sender}).drain()).sent == 0
    assert (await updater(telegram, db, clock).drain()).edited == 1
    [live] = telegram.botapi.sent_to(323)[before:]
    assert "Delayed by weather" in shown(live.text)

    # Without live messages the moved date is a push of its own, as before.
    await scan(db, clock, "Delayed again", eta_days=8, config=core_config())
    assert (await Dispatcher(db, clock, {"telegram": telegram.channel.sender}).drain()).sent == 1


async def test_a_deleted_live_message_is_sent_again(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    await follow_1001(telegram, 324, shop)
    before = len(telegram.botapi.sent_to(324))
    await scan(db, clock, "Arrived at sort facility")
    await updater(telegram, db, clock).drain()
    [gone] = telegram.botapi.sent_to(324)[before:]
    telegram.botapi.messages.remove(gone)  # the shopper deleted it

    await scan(db, clock, "Departed sort facility")
    stats = await updater(telegram, db, clock).drain()
    assert (stats.sent, stats.failed) == (1, 0)
    [again] = telegram.botapi.sent_to(324)[before:]
    assert "Departed sort facility" in shown(again.text)
    async with db.session() as session:
        [row] = (await session.exec(select(LiveStatus))).all()
    assert row.message_ref == f"324:{again.message_id}"
    assert row.state == "current"


async def test_unfollowing_stops_the_live_message(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    await follow_1001(telegram, 325, shop)
    await scan(db, clock, "Arrived at sort facility")
    await updater(telegram, db, clock).drain()
    live = telegram.botapi.sent_to(325)[-1]
    await telegram.chat(325).press(live, "Stop updates")
    after = len(telegram.botapi.sent_to(325))

    await scan(db, clock, "Departed sort facility")
    stats = await updater(telegram, db, clock).drain()
    assert stats.claimed == 0
    assert len(telegram.botapi.sent_to(325)) == after
    async with db.session() as session:
        assert (await session.exec(select(LiveStatus))).all() == []


async def test_a_chat_that_turned_pushes_off_gets_no_live_message(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    await follow_1001(telegram, 326, shop)
    await scan(db, clock, "Arrived at sort facility")
    await updater(telegram, db, clock).drain()
    await telegram.chat(326).say("/stop")
    before = len(telegram.botapi.sent_to(326))

    await scan(db, clock, "Departed sort facility")
    assert (await updater(telegram, db, clock).drain()).claimed == 0
    assert len(telegram.botapi.sent_to(326)) == before


async def test_a_rate_limited_edit_waits_and_is_made_later(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    await follow_1001(telegram, 327, shop)
    await scan(db, clock, "Arrived at sort facility")
    await updater(telegram, db, clock).drain()
    live = telegram.botapi.sent_to(327)[-1]
    # Short, because the sender's pacer also keeps the chat quiet that long in real time.
    telegram.botapi.fail("editMessageText", 429, retry_after=2)

    await scan(db, clock, "Departed sort facility")
    stats = await updater(telegram, db, clock).drain()
    assert (stats.retried, stats.edited) == (1, 0)
    telegram.botapi.faults.clear()
    assert (await updater(telegram, db, clock).drain()).claimed == 0  # still waiting
    clock.advance(seconds=3)
    assert (await updater(telegram, db, clock).drain()).edited == 1
    assert "Departed sort facility" in shown(live.text)


async def test_wismo_run_keeps_the_live_message_current(
    botapi: BotApiServer, db: Database, clock: ManualClock, shop: Shop
) -> None:
    services = build_services(settings_for(botapi, db), clock=clock)
    assert services.config.live_status_channels == ("telegram",)  # on unless turned off
    stop = asyncio.Event()
    running = asyncio.create_task(serve(services, stop))
    try:
        await botapi.wait_for(lambda: bool(botapi.calls_of("getUpdates")), within=10)
        botapi.push_update(botapi.message_update(331, "where is my order 1001?"))
        await botapi.wait_for(lambda: len(botapi.sent_to(331)) == 1, within=10)
        botapi.push_update(botapi.message_update(331, shop.ada_email))
        await botapi.wait_for(
            lambda: any("Stop updates" in str(m.buttons) for m in botapi.sent_to(331)), within=10
        )  # verified: the order card, and the chat follows the order
        before = len(botapi.sent_to(331))

        await scan(services.database, clock, "Arrived at sort facility", config=services.config)
        await botapi.wait_for(lambda: len(botapi.sent_to(331)) == before + 1, within=10)
        live = botapi.sent_to(331)[-1]
        assert "Arrived at sort facility" in shown(live.text)

        await scan(services.database, clock, "Departed sort facility", config=services.config)
        await botapi.wait_for(lambda: "Departed sort facility" in shown(live.text), within=10)
        assert len(botapi.sent_to(331)) == before + 1  # edited, not sent again
    finally:
        stop.set()
        await asyncio.wait_for(running, 15)


async def test_the_live_message_opens_the_order_page_inside_telegram(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    await follow_1001(telegram, 328, shop)
    await scan(db, clock, "Arrived at sort facility")
    config = replace(LIVE, public_url="https://shop.example/wismo")
    live = LiveStatusUpdater(db, clock, config, {"telegram": telegram.channel.sender}, worker="t")
    await live.drain()
    details = telegram.botapi.sent_to(328)[-1].button("Details")
    assert details["web_app"] == {"url": "https://shop.example/wismo/app?order=1001"}
