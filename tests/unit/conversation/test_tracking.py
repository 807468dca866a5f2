"""The tracking service and how an order reads to a shopper."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.replies.messages import (
    EN,
    order_status_label,
    shipment_status_label,
    shipment_status_text,
)
from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.tracking.carrier_links import carrier_name, tracking_link
from core.tracking.estimate import delivery_estimate
from core.tracking.lookup import (
    count_orders_of_customer,
    find_order_owner,
    order_view,
    order_view_for_customer,
    orders_of_customer,
)
from core.tracking.order_reply import order_reply
from core.tracking.statuses import OrderStatus, ShipmentStatus
from tests.unit.conversation.shop import render

UTC_ZONE = ZoneInfo("UTC")


async def test_an_order_with_its_shipment_and_timeline(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    async with db.session() as session:
        view = await order_view(session, shop["1001"])
    assert view is not None
    assert (view.number, view.status, view.customer_id) == ("1001", "shipped", shop["jane"])
    assert [(i.name, i.qty) for i in view.items] == [("Blue mug", 2)]
    (parcel,) = view.shipments
    assert parcel.carrier == "DHL"
    assert parcel.tracking_number == "JD0001"
    assert (
        parcel.tracking_url == "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD0001"
    )
    assert parcel.location == "Leipzig hub"
    assert [e.location for e in parcel.events] == [
        "Leipzig hub",
        "Berlin hub",
        "Berlin",
    ]  # newest first
    estimate = delivery_estimate(view, parcel, now=clock.now(), tz=UTC_ZONE)
    assert (estimate.expected, estimate.source) == (clock.now() + timedelta(days=1), "carrier")


async def test_eta_falls_back_to_the_promised_date(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    async with db.session() as session:
        placed = await order_view(session, shop["1004"])
        two_parcels = await order_view(session, shop["1002"])
    assert placed is not None and two_parcels is not None
    assert placed.shipments == ()
    estimate = delivery_estimate(placed, None, now=clock.now(), tz=UTC_ZONE)
    assert (estimate.expected, estimate.source) == (clock.now() + timedelta(days=6), "promise")
    text = render([order_reply(placed, tz=UTC_ZONE, now=clock.now())])
    assert "Expected by: Sun 8 Nov" in text
    assert "Nothing has been shipped yet" in text
    delivered = two_parcels.shipments[0]
    delivered_estimate = delivery_estimate(two_parcels, delivered, now=clock.now(), tz=UTC_ZONE)
    assert delivered_estimate.expected is None


async def test_ownership_is_checked(db: Database, shop: dict[str, int]) -> None:
    async with db.session() as session:
        assert await order_view_for_customer(session, shop["jane"], "1001") is not None
        assert await order_view_for_customer(session, shop["jane"], "2001") is None
        assert await order_view_for_customer(session, shop["jane"], "9999") is None
        assert await find_order_owner(session, "2001") == (shop["2001"], shop["bob"])
        assert await find_order_owner(session, "9999") is None
        assert await order_view(session, 424242) is None


async def test_orders_of_a_customer_newest_first(db: Database, shop: dict[str, int]) -> None:
    async with db.session() as session:
        every = await orders_of_customer(session, shop["jane"])
        active = await orders_of_customer(session, shop["jane"], active_only=True)
        two = await orders_of_customer(session, shop["jane"], limit=2)
        assert await count_orders_of_customer(session, shop["jane"]) == 4
    assert [o.number for o in every] == ["1004", "1001", "1002", "1003"]
    assert [o.number for o in active] == ["1004", "1001", "1002"]
    assert [o.number for o in two] == ["1004", "1001"]


async def test_several_parcels_answer_one_by_one(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    async with db.session() as session:
        view = await order_view(session, shop["1002"])
    assert view is not None
    reply = order_reply(view, tz=UTC_ZONE, now=clock.now(), following=True)
    assert (reply.intent, reply.order_number) == ("track_order", "1002")
    head, first, second = reply.sections
    assert head.text == "2 parcels: 1 out for delivery, 1 delivered."
    assert first.title == "Parcel 1 of 2 · UPS"
    assert ("Delivered", "Sun 1 Nov, 12:00") in [(f.label, f.value) for f in first.fields]
    assert second.title == "Parcel 2 of 2 · DPD"
    assert ("Status", "Out for delivery") in [(f.label, f.value) for f in second.fields]
    assert ("Last seen", "Berlin depot") in [(f.label, f.value) for f in second.fields]
    assert [e.text for e in second.timeline] == ["Out for delivery – Out for delivery"]
    assert [(b.action, b.payload) for b in reply.buttons] == [
        ("refresh", "1002"),
        ("unfollow", "1002"),
        ("return", "1002"),
        ("human", "1002"),
    ]


async def test_an_exception_reads_as_a_delay_never_as_bad_news(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    async with db.session() as session:
        view = await order_view(session, shop["2001"])
    assert view is not None
    text = render([order_reply(view, tz=UTC_ZONE, now=clock.now(), following=False)])
    assert "Status: Delayed" in text
    assert "We're looking into it" in text
    assert "lost" not in text.lower()  # the carrier's own words stay out of it
    assert "Follow updates" in text


async def test_a_delivered_order_offers_a_return_and_no_follow(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    async with db.session() as session:
        view = await order_view(session, shop["1003"])
    assert view is not None
    reply = order_reply(view, tz=UTC_ZONE, now=clock.now(), following=False)
    assert [b.action for b in reply.buttons] == ["refresh", "return", "human"]
    assert "Expected" not in render([reply])


async def test_dates_are_shown_in_the_shoppers_zone(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    clock.set(datetime(2026, 11, 2, 23, 30, tzinfo=UTC))
    async with db.session() as session:
        view = await order_view(session, shop["1001"])
    assert view is not None
    # ETA 2026-11-03 12:00 UTC, now 2026-11-02 23:30 UTC: tomorrow in London, today in Tokyo.
    london = render([order_reply(view, tz=ZoneInfo("Europe/London"), now=clock.now())])
    tokyo = render([order_reply(view, tz=ZoneInfo("Asia/Tokyo"), now=clock.now())])
    assert "Expected: tomorrow" in london
    assert "Expected: today" in tokyo


ALARMING = (
    "lost",
    "stolen",
    "damaged",
    "destroyed",
    "error",
    "fail",
    "problem",
    "return to sender",
    "gone",
)


@pytest.mark.parametrize("status", list(ShipmentStatus))
def test_every_shipment_status_has_calm_wording(status: ShipmentStatus) -> None:
    label, sentence = shipment_status_label(status), shipment_status_text(status)
    assert label and sentence and label != status.value
    assert not any(word in f"{label} {sentence}".lower() for word in ALARMING), (label, sentence)


@pytest.mark.parametrize("status", list(OrderStatus))
def test_every_order_status_has_wording(status: OrderStatus) -> None:
    assert order_status_label(status) != status.value
    assert f"order.{status.value}.text" in EN


def test_tracking_links() -> None:
    assert tracking_link("UPS", "1Z 999") == "https://www.ups.com/track?tracknum=1Z%20999"
    assert tracking_link("Royal-Mail", "RM1").startswith("https://www.royalmail.com/")  # type: ignore[union-attr]
    assert tracking_link("dhl", "X", "https://shop.example/t/X") == "https://shop.example/t/X"
    assert tracking_link("Tiny Local Courier", "T1") is None
    assert carrier_name("postnl") == "PostNL"
    assert carrier_name("Tiny Local Courier") == "Tiny Local Courier"


async def test_a_parcel_waiting_at_a_pickup_point_says_where(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    from sqlmodel import select

    from core.storage.models import Shipment

    async with db.transaction() as session:
        parcel = (
            await session.exec(select(Shipment).where(Shipment.tracking_number == "JD0001"))
        ).one()
        parcel.status, parcel.last_location = "available_for_pickup", "Kiosk Rosenthaler Str. 1"
    async with db.session() as session:
        view = await order_view(session, shop["1001"])
    assert view is not None
    text = render([order_reply(view, tz=UTC_ZONE, now=clock.now())])
    assert "Status: Ready for pickup" in text
    assert "Pick it up at: Kiosk Rosenthaler Str. 1" in text
