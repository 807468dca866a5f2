"""A small shop for the staff-side tests: customers, orders, shipments, events, returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.runtime.clock import Clock
from core.storage.models import (
    ChannelIdentity,
    Customer,
    Order,
    OrderItem,
    ReturnItem,
    ReturnRequest,
    Shipment,
    Subscription,
    TrackingEvent,
)

HOSTILE = "<!channel> & <http://evil.example|click here> <@U0ADMIN>"


@dataclass
class Shop:
    customer: Customer
    order: Order
    item: OrderItem
    shipment: Shipment
    shopper: ChannelIdentity
    other_order: Order

    @property
    def order_id(self) -> int:
        assert self.order.id is not None
        return self.order.id


async def build_shop(
    session: AsyncSession, clock: Clock, *, note: str = "", product: str = "Blue mug"
) -> Shop:
    """Order 1001 (shipped, DHL, two scans) and 1002 of Jane Doe, with a Telegram follower."""
    now = clock.now()
    customer = Customer(
        email="jane.doe@example.com",
        name="Jane Doe",
        phone="+49 30 1234567",
        created_at=now - timedelta(days=30),
    )
    session.add(customer)
    await session.flush()
    assert customer.id is not None
    order = Order(
        number="1001",
        customer_id=customer.id,
        status="shipped",
        placed_at=now - timedelta(days=5),
        promised_by=now + timedelta(days=1),
        total_minor=4990,
        ship_name="Jane Doe",
        ship_street="12 Secret Lane",
        ship_city="Berlin",
        ship_postcode="10115",
        ship_country="DE",
        note=note,
        updated_at=now,
    )
    other = Order(
        number="1002",
        customer_id=customer.id,
        status="placed",
        placed_at=now - timedelta(days=1),
        ship_street="12 Secret Lane",
        ship_city="Berlin",
        updated_at=now,
    )
    session.add_all([order, other])
    await session.flush()
    assert order.id is not None
    item = OrderItem(order_id=order.id, sku="MUG-1", name=product, qty=2, price_minor=1995)
    shipment = Shipment(
        order_id=order.id,
        carrier="DHL",
        tracking_number="00340434161094042557",
        status="in_transit",
        last_location="Leipzig hub",
        eta=now + timedelta(days=1),
        last_event_at=now - timedelta(hours=3),
        created_at=now - timedelta(days=4),
        updated_at=now,
    )
    session.add_all([item, shipment])
    await session.flush()
    assert shipment.id is not None
    session.add_all(
        [
            TrackingEvent(
                shipment_id=shipment.id,
                status="info_received",
                text="Label created",
                occurred_at=now - timedelta(days=4),
                source="test",
                source_event_id="e1",
                created_at=now,
            ),
            TrackingEvent(
                shipment_id=shipment.id,
                status="in_transit",
                text="Arrived at hub",
                location="Leipzig hub",
                occurred_at=now - timedelta(hours=3),
                source="test",
                source_event_id="e2",
                created_at=now,
            ),
        ]
    )
    shopper = ChannelIdentity(
        channel="telegram",
        external_id="555",
        customer_id=customer.id,
        verified_at=now - timedelta(days=2),
        created_at=now - timedelta(days=2),
    )
    session.add(shopper)
    await session.flush()
    assert shopper.id is not None
    session.add(
        Subscription(
            identity_id=shopper.id, order_id=order.id, active=True, created_at=now, updated_at=now
        )
    )
    await session.flush()
    return Shop(customer, order, item, shipment, shopper, other)


async def add_return(session: AsyncSession, clock: Clock, shop: Shop) -> ReturnRequest:
    """A requested return of one item of order 1001 by the Telegram shopper."""
    now = clock.now()
    request = ReturnRequest(
        order_id=shop.order_id,
        identity_id=shop.shopper.id,
        state="requested",
        reason="size_too_small",
        comment="Too small",
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    await session.flush()
    assert request.id is not None and shop.item.id is not None
    session.add(ReturnItem(return_id=request.id, order_item_id=shop.item.id, qty=1))
    await session.flush()
    return request
