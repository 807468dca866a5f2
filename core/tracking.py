"""The tracking service: an order with its shipments, status, location, ETA and timeline.

Reads only, with a few indexed queries per order and explicit columns, because "where is my
order?" is the hot path (bench/lookup.py). Ownership is the caller's business: these
functions answer for any order they are given; `order_view_for_customer` adds the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.carrier_links import carrier_name, tracking_link
from core.models import Order, OrderItem, Shipment, TrackingEvent
from core.order_reply import order_reply, orders_reply
from core.statuses import OrderStatus, ShipmentStatus

# Order states in which nothing more will happen to the parcels.
FINISHED_ORDER_STATUSES = frozenset(
    {OrderStatus.DELIVERED, OrderStatus.CANCELLED, OrderStatus.RETURNED}
)
TIMELINE_LIMIT = 8  # per shipment; the full history is on the carrier's page


@dataclass(frozen=True)
class EventView:
    at: datetime
    status: str
    text: str
    location: str | None


@dataclass(frozen=True)
class ShipmentView:
    id: int
    carrier: str  # as shoppers know it ("DHL")
    tracking_number: str
    tracking_url: str | None
    status: str
    location: str | None
    carrier_eta: datetime | None
    last_event_at: datetime | None
    delivered_at: datetime | None
    events: tuple[EventView, ...]  # newest first, at most TIMELINE_LIMIT

    @property
    def is_delivered(self) -> bool:
        return self.status == ShipmentStatus.DELIVERED


@dataclass(frozen=True)
class ItemView:
    name: str
    qty: int
    returnable: bool


@dataclass(frozen=True)
class OrderView:
    id: int
    number: str
    customer_id: int
    status: str
    placed_at: datetime
    promised_by: datetime | None
    delivered_at: datetime | None
    timezone: str | None  # the delivery address's zone, when known
    items: tuple[ItemView, ...]
    shipments: tuple[ShipmentView, ...]

    @property
    def is_finished(self) -> bool:
        """Nothing more will move: delivered, cancelled or returned."""
        return self.status in FINISHED_ORDER_STATUSES

    @property
    def any_delivered(self) -> bool:
        return self.status == OrderStatus.DELIVERED or any(s.is_delivered for s in self.shipments)

    def eta(self, shipment: ShipmentView | None = None) -> tuple[datetime | None, bool]:
        """(expected arrival, from the carrier?) — the carrier's ETA, else the promised date."""
        if shipment is not None and shipment.carrier_eta is not None:
            return shipment.carrier_eta, True
        return self.promised_by, False


@dataclass(frozen=True)
class OrderSummary:
    id: int
    number: str
    status: str
    placed_at: datetime


_ORDER_COLUMNS = (
    col(Order.id),
    col(Order.number),
    col(Order.customer_id),
    col(Order.status),
    col(Order.placed_at),
    col(Order.promised_by),
    col(Order.delivered_at),
    col(Order.ship_timezone),
)


async def order_view(session: AsyncSession, order_id: int) -> OrderView | None:
    """The order with its items, shipments and timeline; None when there is no such order."""
    row = (await session.execute(select(*_ORDER_COLUMNS).where(col(Order.id) == order_id))).first()
    return await _complete(session, row) if row else None


async def order_view_for_customer(
    session: AsyncSession, customer_id: int, number: str
) -> OrderView | None:
    """Order `number` if it belongs to `customer_id`; None otherwise (missing or not theirs)."""
    statement = select(*_ORDER_COLUMNS).where(
        col(Order.number) == number, col(Order.customer_id) == customer_id
    )
    row = (await session.execute(statement)).first()
    return await _complete(session, row) if row else None


async def _complete(session: AsyncSession, row: Any) -> OrderView:
    order_id = row.id
    items = (
        await session.execute(
            select(col(OrderItem.name), col(OrderItem.qty), col(OrderItem.returnable))
            .where(col(OrderItem.order_id) == order_id)
            .order_by(col(OrderItem.id))
        )
    ).all()
    shipment_rows = (
        await session.execute(
            select(
                col(Shipment.id),
                col(Shipment.carrier),
                col(Shipment.tracking_number),
                col(Shipment.tracking_url),
                col(Shipment.status),
                col(Shipment.last_location),
                col(Shipment.eta),
                col(Shipment.last_event_at),
                col(Shipment.delivered_at),
            )
            .where(col(Shipment.order_id) == order_id)
            .order_by(col(Shipment.id))
        )
    ).all()
    events = await _events_by_shipment(session, [s.id for s in shipment_rows])
    shipments = tuple(
        ShipmentView(
            id=s.id,
            carrier=carrier_name(s.carrier),
            tracking_number=s.tracking_number,
            tracking_url=tracking_link(s.carrier, s.tracking_number, s.tracking_url),
            status=s.status,
            location=s.last_location,
            carrier_eta=s.eta,
            last_event_at=s.last_event_at,
            delivered_at=s.delivered_at,
            events=tuple(events.get(s.id, ())),
        )
        for s in shipment_rows
    )
    return OrderView(
        id=order_id,
        number=row.number,
        customer_id=row.customer_id,
        status=row.status,
        placed_at=row.placed_at,
        promised_by=row.promised_by,
        delivered_at=row.delivered_at,
        timezone=row.ship_timezone,
        items=tuple(ItemView(name=i.name, qty=i.qty, returnable=i.returnable) for i in items),
        shipments=shipments,
    )


async def _events_by_shipment(
    session: AsyncSession, shipment_ids: Sequence[int]
) -> dict[int, list[EventView]]:
    if not shipment_ids:
        return {}
    rows = await session.execute(
        select(
            col(TrackingEvent.shipment_id),
            col(TrackingEvent.occurred_at),
            col(TrackingEvent.status),
            col(TrackingEvent.text),
            col(TrackingEvent.location),
        )
        .where(col(TrackingEvent.shipment_id).in_(shipment_ids))
        .order_by(col(TrackingEvent.occurred_at).desc(), col(TrackingEvent.id).desc())
    )
    grouped: dict[int, list[EventView]] = {}
    for r in rows:
        bucket = grouped.setdefault(r.shipment_id, [])
        if len(bucket) < TIMELINE_LIMIT:
            bucket.append(
                EventView(at=r.occurred_at, status=r.status, text=r.text, location=r.location)
            )
    return grouped


async def find_order_owner(session: AsyncSession, number: str) -> tuple[int, int] | None:
    """(order id, customer id) of order `number`, or None when no such order exists."""
    row = (
        await session.execute(
            select(col(Order.id), col(Order.customer_id)).where(col(Order.number) == number)
        )
    ).first()
    return (row.id, row.customer_id) if row else None


async def orders_of_customer(
    session: AsyncSession, customer_id: int, *, limit: int = 10, active_only: bool = False
) -> list[OrderSummary]:
    """The customer's orders, newest first (at most `limit`); `active_only` skips finished ones."""
    statement = select(
        col(Order.id), col(Order.number), col(Order.status), col(Order.placed_at)
    ).where(col(Order.customer_id) == customer_id)
    if active_only:
        statement = statement.where(
            col(Order.status).not_in([s.value for s in FINISHED_ORDER_STATUSES])
        )
    statement = statement.order_by(col(Order.placed_at).desc(), col(Order.id).desc()).limit(limit)
    rows = (await session.execute(statement)).all()
    return [
        OrderSummary(id=r.id, number=r.number, status=r.status, placed_at=r.placed_at) for r in rows
    ]


async def count_orders_of_customer(session: AsyncSession, customer_id: int) -> int:
    """How many orders the customer has."""
    statement = select(func.count()).select_from(Order).where(col(Order.customer_id) == customer_id)
    return int((await session.execute(statement)).scalar_one())


__all__ = [
    "EventView",
    "ItemView",
    "OrderSummary",
    "OrderView",
    "ShipmentView",
    "count_orders_of_customer",
    "find_order_owner",
    "order_reply",
    "order_view",
    "order_view_for_customer",
    "orders_of_customer",
    "orders_reply",
]
