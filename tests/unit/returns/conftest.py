"""Builders for the returns tests: a delivered order with items, its shopper's chat."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlmodel import select

from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import (
    AuditEntry,
    ChannelIdentity,
    Customer,
    Notification,
    Order,
    OrderItem,
    Shipment,
)


@dataclass
class Shop:
    """A small shop: customers, orders and chats created on demand."""

    db: Database
    clock: ManualClock
    config: CoreConfig
    counter: list[int] = field(default_factory=lambda: [1000])

    async def customer(self, name: str = "Ada Lovelace") -> Customer:
        async with self.db.transaction() as session:
            self.counter[0] += 1
            customer = Customer(
                email=f"c{self.counter[0]}@example.com", name=name, created_at=self.clock.now()
            )
            session.add(customer)
        return customer

    async def chat(
        self, customer: Customer | None, sender_id: str | None = None, channel: str = "telegram"
    ) -> ChannelIdentity:
        async with self.db.transaction() as session:
            self.counter[0] += 1
            identity = ChannelIdentity(
                channel=channel,
                external_id=sender_id or str(self.counter[0]),
                customer_id=customer.id if customer else None,
                display_name=customer.first_name if customer else "",
                verified_at=self.clock.now() if customer else None,
                created_at=self.clock.now(),
            )
            session.add(identity)
        return identity

    async def order(
        self,
        customer: Customer,
        items: list[tuple[str, int, bool]] | None = None,
        *,
        delivered_days_ago: float | None = 2,
        number: str | None = None,
    ) -> tuple[Order, list[OrderItem]]:
        """An order whose items are (name, qty, returnable); delivered unless told otherwise."""
        items = items or [("Blue shirt", 1, True), ("Socks", 3, True), ("Sale hat", 1, False)]
        now = self.clock.now()
        delivered = None if delivered_days_ago is None else now - timedelta(days=delivered_days_ago)
        async with self.db.transaction() as session:
            self.counter[0] += 1
            order = Order(
                number=number or str(self.counter[0]),
                customer_id=customer.id,
                status="delivered" if delivered else "shipped",
                placed_at=now - timedelta(days=10),
                shipped_at=now - timedelta(days=8),
                delivered_at=delivered,
                updated_at=now,
            )
            session.add(order)
            await session.flush()
            rows = [
                OrderItem(
                    order_id=order.id, sku=f"SKU-{i}", name=name, qty=qty, returnable=returnable
                )
                for i, (name, qty, returnable) in enumerate(items)
            ]
            session.add_all(rows)
            session.add(
                Shipment(
                    order_id=order.id,
                    carrier="dhl",
                    tracking_number=f"TRK{order.number}",
                    status="delivered" if delivered else "in_transit",
                    delivered_at=delivered,
                    created_at=now,
                    updated_at=now,
                )
            )
        return order, rows

    async def outbox(self) -> list[Notification]:
        async with self.db.session() as session:
            return list((await session.exec(select(Notification).order_by(Notification.id))).all())

    async def audit(self, subject_type: str = "return") -> list[AuditEntry]:
        async with self.db.session() as session:
            result = await session.exec(
                select(AuditEntry)
                .where(AuditEntry.subject_type == subject_type)
                .order_by(AuditEntry.id)
            )
            return list(result.all())


@pytest.fixture
def config() -> CoreConfig:
    return CoreConfig(
        shop_name="Acme",
        slack_alerts_channel="C_ALERTS",
        slack_support_channel="C_SUPPORT",
        return_label_url_template="https://acme.example/labels/{rma}",
    )


@pytest.fixture
def shop(db: Database, clock: ManualClock, config: CoreConfig) -> Shop:
    return Shop(db, clock, config)
