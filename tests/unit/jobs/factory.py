"""Rows for the jobs tests: a customer, an order with one shipment, a following chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.runtime.clock import Clock
from core.storage.models import ChannelIdentity, Customer, Order, Shipment, Subscription


@dataclass
class Shop:
    customer: Customer
    order: Order
    shipment: Shipment
    identity: ChannelIdentity


async def make_shop(
    session: AsyncSession,
    clock: Clock,
    *,
    number: str = "1001",
    tracking: str = "TRK1001",
    status: str = "pending",
    follow: bool = True,
    customer_tz: str | None = None,
    ship_tz: str | None = None,
    identity_tz: str | None = None,
    promised_in: timedelta | None = timedelta(days=5),
    chat: str | None = None,
) -> Shop:
    """One order of one customer with one shipment; a verified Telegram chat follows it."""
    now = clock.now()
    customer = Customer(
        email=f"shopper{number}@example.com", name="Ada Lovelace", timezone=customer_tz,
        created_at=now,
    )  # fmt: skip
    session.add(customer)
    await session.flush()
    order = Order(
        number=number,
        customer_id=customer.id,
        status="processing",
        placed_at=now - timedelta(days=1),
        promised_by=now + promised_in if promised_in is not None else None,
        ship_timezone=ship_tz,
        updated_at=now,
    )
    session.add(order)
    await session.flush()
    shipment = Shipment(
        order_id=order.id,
        carrier="DHL",
        tracking_number=tracking,
        tracking_url=f"https://track.example/{tracking}",
        status=status,
        created_at=now,
        updated_at=now,
    )
    session.add(shipment)
    identity = ChannelIdentity(
        channel="telegram",
        external_id=chat or f"chat-{number}",
        customer_id=customer.id,
        timezone=identity_tz,
        verified_at=now,
        created_at=now,
    )
    session.add(identity)
    await session.flush()
    if follow:
        session.add(
            Subscription(identity_id=identity.id, order_id=order.id, created_at=now, updated_at=now)
        )
        await session.flush()
    return Shop(customer, order, shipment, identity)


def at(clock: Clock, **delta: float) -> datetime:
    """A moment relative to the clock's now."""
    return clock.now() + timedelta(**delta)
