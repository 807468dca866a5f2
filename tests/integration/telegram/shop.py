"""A small shop for the Telegram tests: two customers, their orders, one hostile product name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.runtime.clock import Clock
from core.storage.db import Database
from core.storage.models import Customer, Order, OrderItem, Shipment, TrackingEvent

HOSTILE_NAME = 'Mug <b>bold</b> & <a href="https://evil.example">win</a>'


@dataclass(frozen=True)
class Shop:
    ada_order: str = "1001"  # in transit, two items (one with a hostile name)
    ada_delivered: str = "1002"
    bob_order: str = "2001"
    ada_email: str = "ada@example.com"
    ada_postcode: str = "10115"
    bob_email: str = "bob@example.com"


async def seed_shop(database: Database, clock: Clock) -> Shop:
    """Customers Ada (orders 1001 in transit, 1002 delivered) and Bob (order 2001)."""
    now = clock.now()
    async with database.transaction() as session:
        ada = Customer(email="ada@example.com", name="Ada Lovelace", created_at=now)
        bob = Customer(email="bob@example.com", name="Bob Builder", created_at=now)
        session.add_all([ada, bob])
        await session.flush()
        orders = {
            "1001": Order(
                number="1001",
                customer_id=ada.id,
                status="shipped",
                placed_at=now - timedelta(days=3),
                shipped_at=now - timedelta(days=2),
                promised_by=now + timedelta(days=2),
                ship_postcode="10115",
                ship_city="Berlin",
                ship_country="DE",
                updated_at=now,
            ),
            "1002": Order(
                number="1002",
                customer_id=ada.id,
                status="delivered",
                placed_at=now - timedelta(days=20),
                shipped_at=now - timedelta(days=18),
                delivered_at=now - timedelta(days=15),
                ship_postcode="10115",
                updated_at=now,
            ),
            "2001": Order(
                number="2001",
                customer_id=bob.id,
                status="shipped",
                placed_at=now - timedelta(days=1),
                ship_postcode="80331",
                updated_at=now,
            ),
        }
        session.add_all(orders.values())
        await session.flush()
        session.add_all(
            [
                OrderItem(
                    order_id=orders["1001"].id,
                    sku="MUG-1",
                    name=HOSTILE_NAME,
                    qty=1,
                    price_minor=1200,
                ),
                OrderItem(
                    order_id=orders["1001"].id,
                    sku="TEA-2",
                    name="Green tea",
                    qty=2,
                    price_minor=600,
                ),
                OrderItem(
                    order_id=orders["1002"].id,
                    sku="SOCK-3",
                    name="Wool socks",
                    qty=1,
                    price_minor=900,
                ),
                OrderItem(
                    order_id=orders["2001"].id, sku="HAM-4", name="Hammer", qty=1, price_minor=2500
                ),
            ]
        )
        shipments = [
            Shipment(
                order_id=orders["1001"].id,
                carrier="dhl",
                tracking_number="JD0001",
                tracking_url="https://track.example/JD0001",
                status="in_transit",
                last_location="Leipzig",
                eta=now + timedelta(days=1),
                last_event_at=now - timedelta(hours=5),
                shipped_at=now - timedelta(days=2),
                created_at=now,
                updated_at=now,
            ),
            Shipment(
                order_id=orders["1002"].id,
                carrier="ups",
                tracking_number="1Z0002",
                status="delivered",
                last_event_at=now - timedelta(days=15),
                delivered_at=now - timedelta(days=15),
                created_at=now,
                updated_at=now,
            ),
            Shipment(
                order_id=orders["2001"].id,
                carrier="dhl",
                tracking_number="JD2001",
                status="info_received",
                created_at=now,
                updated_at=now,
            ),
        ]
        session.add_all(shipments)
        await session.flush()
        session.add_all(
            [
                TrackingEvent(
                    shipment_id=shipments[0].id,
                    status="info_received",
                    text="Label created",
                    occurred_at=now - timedelta(days=2),
                    source="test",
                    source_event_id="e1",
                    created_at=now,
                ),
                TrackingEvent(
                    shipment_id=shipments[0].id,
                    status="in_transit",
                    text="Arrived at <hub> & sorted",
                    location="Leipzig",
                    occurred_at=now - timedelta(hours=5),
                    source="test",
                    source_event_id="e2",
                    created_at=now,
                ),
            ]
        )
    return Shop()
