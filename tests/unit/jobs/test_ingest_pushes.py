"""A status change creates exactly the pushes a shopper should get, once, at a sane hour."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from core.ingest.tracking_update import BadTrackingUpdate, TrackingUpdate
from core.ingest.updates import (
    ApplyOutcome,
    apply_tracking_update,
    apply_tracking_updates,
)
from core.pushes.notifications import set_pushes, unfollow
from core.replies.reply import Reply
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import Notification, Order, Shipment, TrackingEvent
from core.tracking.statuses import ShipmentStatus as S
from tests.unit.jobs.factory import make_shop

CONFIG = CoreConfig(shop_name="Shop", timezone="Europe/Berlin")
_seq = iter(range(1, 10_000))


def event(status: S | None, clock: ManualClock, tracking: str = "TRK1001", **kw: object):
    """The next carrier event for `tracking`, dated at the clock's now unless told."""
    kw.setdefault("occurred_at", clock.now())
    return TrackingUpdate(
        source="aftership",
        source_event_id=kw.pop("event_id", f"ev-{next(_seq)}"),  # type: ignore[arg-type]
        tracking_number=tracking,
        status=status,
        **kw,  # type: ignore[arg-type]
    )


async def pushes(db: Database) -> list[Notification]:
    async with db.session() as session:
        rows = await session.exec(select(Notification).order_by(Notification.id))
        return list(rows)


async def apply(db: Database, clock: ManualClock, update: TrackingUpdate):
    async with db.transaction() as session:
        return await apply_tracking_update(session, clock, CONFIG, update)


async def test_a_journey_pushes_once_per_change_that_matters(
    database: Database, clock: ManualClock
):
    async with database.transaction() as session:
        shop = await make_shop(session, clock)
    journey = [
        S.INFO_RECEIVED,  # label created: nothing to tell
        S.IN_TRANSIT,  # shipped
        S.IN_TRANSIT,  # another scan: never one push per scan
        S.IN_TRANSIT,
        S.OUT_FOR_DELIVERY,
        S.DELIVERED,
    ]
    for status in journey:
        clock.advance(hours=3)
        await apply(database, clock, event(status, clock, location="Hub Leipzig"))
    sent = await pushes(database)
    assert [p.kind for p in sent] == ["shipped", "out_for_delivery", "delivered"]
    assert {p.recipient for p in sent} == {shop.identity.external_id}
    shipped = Reply.from_dict(sent[0].reply)
    assert shipped.sections[0].title == "Order 1001 is on its way"
    fields = {f.label: f.value for f in shipped.sections[0].fields}
    assert fields["Tracking link"] == "https://track.example/TRK1001"
    assert [b.action for b in shipped.buttons] == ["track", "unfollow"]
    assert [p.urgent for p in sent] == [False, True, False]
    async with database.session() as session:
        order = await session.get(Order, shop.order.id)
        shipment = await session.get(Shipment, shop.shipment.id)
    assert order is not None and shipment is not None
    assert (order.status, shipment.status) == ("delivered", "delivered")
    assert shipment.delivered_at == clock.now()
    assert shipment.next_poll_at is None


@pytest.mark.parametrize(
    "codes",
    [
        {"substatus": "Exception_010"},  # AfterShip: returning to sender
        {"substatus": "Exception_011"},  # AfterShip: returned to sender
        {"raw_status": "return_to_sender"},  # EasyPost
    ],
)
async def test_a_parcel_going_back_to_the_shop_is_its_own_push_not_a_hold_up(
    db: Database, clock: ManualClock, codes: dict
):
    async with db.transaction() as session:
        await make_shop(session, clock, status="in_transit")
    clock.advance(hours=1)
    await apply(db, clock, event(S.EXCEPTION, clock, text="Returning to sender", **codes))
    clock.advance(hours=5)
    await apply(db, clock, event(S.EXCEPTION, clock, text="Returned", **codes))  # once only
    [push] = await pushes(db)
    assert push.kind == "returned_to_sender"
    reply = Reply.from_dict(push.reply)
    assert reply.sections[0].title == "Order 1001 is going back to Shop"
    assert reply.sections[0].text.startswith("DHL is sending your parcel back to Shop.")
    assert "human" in [b.action for b in reply.buttons]


async def test_a_hold_up_that_then_goes_back_to_the_shop_says_so(db: Database, clock: ManualClock):
    async with db.transaction() as session:
        await make_shop(session, clock, status="in_transit")
    clock.advance(hours=1)
    await apply(db, clock, event(S.EXCEPTION, clock, text="Address incomplete"))
    clock.advance(hours=30)
    await apply(db, clock, event(S.EXCEPTION, clock, substatus="Exception_010"))
    assert [p.kind for p in await pushes(db)] == ["exception", "returned_to_sender"]


async def test_a_redelivered_event_is_stored_and_pushed_once(
    database: Database, clock: ManualClock
):
    async with database.transaction() as session:
        await make_shop(session, clock)
    first = await apply(database, clock, event(S.OUT_FOR_DELIVERY, clock, event_id="same"))
    again = await apply(database, clock, event(S.OUT_FOR_DELIVERY, clock, event_id="same"))
    assert (first.outcome, again.outcome) == (ApplyOutcome.APPLIED, ApplyOutcome.DUPLICATE)
    assert len(await pushes(database)) == 1
    async with database.session() as session:
        events = (await session.exec(select(TrackingEvent))).all()
    assert len(events) == 1


async def test_a_late_out_of_order_scan_never_steps_the_shopper_back(
    db: Database, clock: ManualClock
):
    async with db.transaction() as session:
        shop = await make_shop(session, clock)
    await apply(db, clock, event(S.OUT_FOR_DELIVERY, clock))
    result = await apply(db, clock, event(S.IN_TRANSIT, clock, occurred_at=clock.now()))
    assert result.outcome == ApplyOutcome.APPLIED and not result.status_changed
    older = await apply(
        db, clock, event(S.EXCEPTION, clock, occurred_at=clock.now() - timedelta(hours=5))
    )
    assert not older.status_changed
    async with db.session() as session:
        shipment = await session.get(Shipment, shop.shipment.id)
    assert shipment is not None and shipment.status == "out_for_delivery"
    assert [p.kind for p in await pushes(db)] == ["out_for_delivery"]


async def test_an_unknown_carrier_code_keeps_the_last_status_and_says_nothing(
    db: Database, clock: ManualClock, caplog: pytest.LogCaptureFixture
):
    async with db.transaction() as session:
        shop = await make_shop(session, clock, status="in_transit")
    result = await apply(db, clock, event(None, clock, raw_status="ZX_ODD", location="Depot"))
    assert result.outcome == ApplyOutcome.APPLIED and not result.status_changed
    assert "unknown status 'ZX_ODD'" in caplog.text
    async with db.session() as session:
        shipment = await session.get(Shipment, shop.shipment.id)
        stored = (await session.exec(select(TrackingEvent))).one()
    assert shipment is not None and shipment.status == "in_transit"
    assert shipment.last_location == "Depot" and shipment.last_event_at == clock.now()
    assert (stored.status, stored.raw_status) == ("in_transit", "ZX_ODD")
    assert await pushes(db) == []


async def test_an_unknown_tracking_number_writes_nothing(db: Database, clock: ManualClock):
    result = await apply(db, clock, event(S.DELIVERED, clock, tracking="NOPE"))
    assert result.outcome == ApplyOutcome.UNKNOWN_TRACKING
    async with db.session() as session:
        assert (await session.exec(select(TrackingEvent))).first() is None


async def test_a_new_delivery_day_is_pushed_a_new_hour_is_not(db: Database, clock: ManualClock):
    async with db.transaction() as session:
        await make_shop(session, clock, status="in_transit")
    day = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)
    await apply(db, clock, event(S.IN_TRANSIT, clock, eta=day))  # first ETA: nothing moved
    await apply(db, clock, event(S.IN_TRANSIT, clock, eta=day + timedelta(hours=4)))  # same day
    await apply(db, clock, event(S.IN_TRANSIT, clock, eta=day + timedelta(days=2)))
    await apply(db, clock, event(S.IN_TRANSIT, clock, eta=day + timedelta(days=2, hours=1)))
    sent = await pushes(db)
    assert [p.kind for p in sent] == ["eta_changed"]
    text = Reply.from_dict(sent[0].reply).sections[0].text
    assert text == "Your delivery date moved: now expected Sat 7 Nov (was Thu 5 Nov)."


async def test_nobody_hears_after_stop_or_unfollow(db: Database, clock: ManualClock):
    async with db.transaction() as session:
        stopped = await make_shop(session, clock, number="1001", tracking="A1")
        unfollowed = await make_shop(session, clock, number="1002", tracking="B2")
        await set_pushes(session, clock, stopped.identity, False)
        assert await unfollow(session, clock, unfollowed.identity.id, unfollowed.order.id)
    await apply(db, clock, event(S.OUT_FOR_DELIVERY, clock, tracking="A1"))
    await apply(db, clock, event(S.OUT_FOR_DELIVERY, clock, tracking="B2"))
    assert await pushes(db) == []


async def test_quiet_hours_hold_news_until_morning_but_not_urgent_news(
    db: Database, clock: ManualClock
):
    # 22:30 in Berlin (UTC+1 in November)
    clock.set(datetime(2026, 11, 2, 21, 30, tzinfo=UTC))
    async with db.transaction() as session:
        await make_shop(session, clock, number="1001", tracking="A1", ship_tz="Europe/Berlin")
        await make_shop(session, clock, number="1002", tracking="B2", customer_tz="Asia/Tokyo")
    await apply(db, clock, event(S.IN_TRANSIT, clock, tracking="A1"))
    await apply(db, clock, event(S.FAILED_ATTEMPT, clock, tracking="A1"))
    await apply(db, clock, event(S.IN_TRANSIT, clock, tracking="B2"))  # 06:30 in Tokyo
    held, urgent, tokyo = await pushes(db)
    assert held.not_before == datetime(2026, 11, 3, 7, 0, tzinfo=UTC)  # 08:00 Berlin
    assert urgent.not_before == clock.now()
    assert tokyo.not_before == datetime(2026, 11, 2, 23, 0, tzinfo=UTC)  # 08:00 Tokyo


async def test_in_silent_mode_quiet_hours_news_goes_now_without_a_sound(
    db: Database, clock: ManualClock
):
    silent = replace(CONFIG, quiet_hours_mode="silent")
    clock.set(datetime(2026, 11, 2, 21, 30, tzinfo=UTC))  # 22:30 in Berlin
    async with db.transaction() as session:
        await make_shop(session, clock, number="1001", tracking="A1", ship_tz="Europe/Berlin")
    async with db.transaction() as session:
        await apply_tracking_update(session, clock, silent, event(S.IN_TRANSIT, clock, "A1"))
    clock.set(datetime(2026, 11, 3, 9, 0, tzinfo=UTC))  # 10:00 in Berlin: awake
    async with db.transaction() as session:
        await apply_tracking_update(session, clock, silent, event(S.DELIVERED, clock, "A1"))
    night, day = await pushes(db)
    assert night.not_before == datetime(2026, 11, 2, 21, 30, tzinfo=UTC)
    assert Reply.from_dict(night.reply).silent is True
    assert Reply.from_dict(day.reply).silent is False


async def test_bulk_applies_oldest_first_and_reports_in_input_order(
    database: Database, clock: ManualClock
):
    async with database.transaction() as session:
        await make_shop(session, clock)
    later = event(S.DELIVERED, clock, occurred_at=clock.now())
    earlier = event(S.OUT_FOR_DELIVERY, clock, occurred_at=clock.now() - timedelta(hours=2))
    async with database.transaction() as session:
        results = await apply_tracking_updates(session, clock, CONFIG, [later, earlier])
    assert [r.status for r in results] == [S.DELIVERED, S.OUT_FOR_DELIVERY]
    assert [p.kind for p in await pushes(database)] == ["out_for_delivery", "delivered"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tracking_number": " "}, "tracking_number is required"),
        ({"source_event_id": ""}, "source_event_id is required"),
        ({"location": "x" * 201}, "location is longer than 200 characters"),
        ({"occurred_at": datetime(2026, 11, 2, 12, 0)}, "occurred_at must carry a time zone"),
        ({"status": "shipped"}, "status 'shipped' is not one of the nine tags"),
    ],
)
def test_bad_updates_are_refused_with_the_field_named(changes: dict, message: str):
    fields = {
        "source": "api",
        "source_event_id": "e1",
        "tracking_number": "T1",
        "status": S.IN_TRANSIT,
        "occurred_at": datetime(2026, 11, 2, 12, 0, tzinfo=UTC),
    } | changes
    with pytest.raises(BadTrackingUpdate, match=message):
        TrackingUpdate(**fields)


def test_a_push_names_the_carrier_as_shoppers_know_it_and_links_its_tracking_page():
    from core.pushes.changes import PushKind, push_reply

    now = datetime(2026, 11, 26, 9, tzinfo=UTC)
    order = Order(id=1, number="1001", customer_id=1, placed_at=now)
    shipment = Shipment(
        id=1,
        order_id=1,
        carrier="dhl",
        tracking_number="00340434630429788277",
        created_at=now,
        updated_at=now,
    )
    push = push_reply(PushKind.OUT_FOR_DELIVERY, order, shipment, tz_name="", config=CONFIG)
    section = push.sections[0]
    assert section.text == "DHL is bringing your order today."
    fields = {f.label: f.value for f in section.fields}
    assert fields["Tracking link"].endswith("tracking-id=00340434630429788277")
