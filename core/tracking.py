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

from sqlalchemy import func
from sqlmodel import col, select
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


def _order_columns() -> Any:
    return select(  # type: ignore[call-overload]  # more columns than sqlmodel's overloads
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
    row = (await session.exec(_order_columns().where(col(Order.id) == order_id))).first()
    return await _complete(session, row) if row else None


async def order_view_for_customer(
    session: AsyncSession, customer_id: int, number: str
) -> OrderView | None:
    """Order `number` if it belongs to `customer_id`; None otherwise (missing or not theirs)."""
    statement = _order_columns().where(
        col(Order.number) == number, col(Order.customer_id) == customer_id
    )
    row = (await session.exec(statement)).first()
    return await _complete(session, row) if row else None


async def _complete(session: AsyncSession, row: Any) -> OrderView:
    order_id, number, customer_id, status, placed_at, promised_by, delivered_at, zone = row
    items = await session.exec(
        select(OrderItem.name, OrderItem.qty, OrderItem.returnable)
        .where(OrderItem.order_id == order_id)
        .order_by(col(OrderItem.id))
    )
    shipment_rows: list[Any] = list(
        await session.exec(
            select(  # type: ignore[call-overload,misc]  # more columns than sqlmodel's overloads
                Shipment.id,
                Shipment.carrier,
                Shipment.tracking_number,
                Shipment.tracking_url,
                Shipment.status,
                Shipment.last_location,
                Shipment.eta,
                Shipment.last_event_at,
                Shipment.delivered_at,
            )
            .where(Shipment.order_id == order_id)
            .order_by(col(Shipment.id))
        )
    )
    events = await _events_by_shipment(session, [s[0] for s in shipment_rows])
    shipments = tuple(
        ShipmentView(
            id=sid,
            carrier=carrier_name(carrier),
            tracking_number=tracking_number,
            tracking_url=tracking_link(carrier, tracking_number, url),
            status=shipment_status,
            location=location,
            carrier_eta=eta,
            last_event_at=last_event_at,
            delivered_at=shipment_delivered_at,
            events=tuple(events.get(sid, ())),
        )
        for (
            sid,
            carrier,
            tracking_number,
            url,
            shipment_status,
            location,
            eta,
            last_event_at,
            shipment_delivered_at,
        ) in shipment_rows
    )
    return OrderView(
        id=order_id,
        number=number,
        customer_id=customer_id,
        status=status,
        placed_at=placed_at,
        promised_by=promised_by,
        delivered_at=delivered_at,
        timezone=zone,
        items=tuple(ItemView(name=n, qty=q, returnable=r) for n, q, r in items),
        shipments=shipments,
    )


async def _events_by_shipment(
    session: AsyncSession, shipment_ids: Sequence[int]
) -> dict[int, list[EventView]]:
    if not shipment_ids:
        return {}
    rows: Any = await session.exec(
        select(  # type: ignore[call-overload]  # more columns than sqlmodel's overloads
            TrackingEvent.shipment_id,
            TrackingEvent.occurred_at,
            TrackingEvent.status,
            TrackingEvent.text,
            TrackingEvent.location,
        )
        .where(col(TrackingEvent.shipment_id).in_(shipment_ids))
        .order_by(col(TrackingEvent.occurred_at).desc(), col(TrackingEvent.id).desc())
    )
    grouped: dict[int, list[EventView]] = {}
    for shipment_id, at, status, words, location in rows:
        bucket = grouped.setdefault(shipment_id, [])
        if len(bucket) < TIMELINE_LIMIT:
            bucket.append(EventView(at=at, status=status, text=words, location=location))
    return grouped


async def find_order_owner(session: AsyncSession, number: str) -> tuple[int, int] | None:
    """(order id, customer id) of order `number`, or None when no such order exists."""
    row = (
        await session.exec(select(Order.id, Order.customer_id).where(Order.number == number))
    ).first()
    if row is None or row[0] is None:
        return None
    return row[0], row[1]


async def orders_of_customer(
    session: AsyncSession, customer_id: int, *, limit: int = 10, active_only: bool = False
) -> list[OrderSummary]:
    """The customer's orders, newest first (at most `limit`); `active_only` skips finished ones."""
    statement = select(Order.id, Order.number, Order.status, Order.placed_at).where(
        Order.customer_id == customer_id
    )
    if active_only:
        statement = statement.where(
            col(Order.status).not_in([s.value for s in FINISHED_ORDER_STATUSES])
        )
    statement = statement.order_by(col(Order.placed_at).desc(), col(Order.id).desc()).limit(limit)
    rows = await session.exec(statement)
    return [
        OrderSummary(id=oid, number=number, status=status, placed_at=placed)
        for oid, number, status, placed in rows
        if oid is not None
    ]


async def count_orders_of_customer(session: AsyncSession, customer_id: int) -> int:
    """How many orders the customer has."""
    statement = select(func.count()).select_from(Order).where(Order.customer_id == customer_id)
    return int((await session.exec(statement)).one())


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
