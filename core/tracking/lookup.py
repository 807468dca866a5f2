"""The tracking service: an order with its shipments, status, location, ETA and timeline.

Reads only, with a few indexed queries per order and explicit columns, because "where is my
order?" is the hot path (bench/lookup.py). Ownership is the caller's business: these
functions answer for any order they are given; `order_view_for_customer` adds the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Integer, bindparam, exists, func, literal
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.storage import hot_sql
from core.storage.models import Order, OrderItem, Shipment, Subscription, TrackingEvent
from core.tracking.carrier_links import carrier_name, tracking_link
from core.tracking.order_reply import order_reply, orders_reply
from core.tracking.views import (
    FINISHED_ORDER_STATUSES,
    TIMELINE_LIMIT,
    EventView,
    ItemView,
    OrderSummary,
    OrderView,
    ShipmentView,
)


def _order_query(with_following: bool) -> Any:
    following: Any = (
        exists()
        .where(
            col(Subscription.order_id) == col(Order.id),
            col(Subscription.identity_id) == bindparam("identity_id"),
            col(Subscription.active).is_(True),
        )
        .label("following")
        if with_following
        else literal(None).label("following")
    )
    return select(  # type: ignore[call-overload]  # more columns than sqlmodel's overloads
        Order.id,
        Order.number,
        Order.customer_id,
        Order.status,
        Order.placed_at,
        Order.promised_by,
        Order.delivered_at,
        Order.ship_timezone,
        following,
        OrderItem.name,
        OrderItem.qty,
        OrderItem.returnable,
        Order.ship_country,
        Order.ship_postcode,
    ).outerjoin(OrderItem, col(OrderItem.order_id) == col(Order.id))


# The hot path's statements, built once with bound parameters: building a statement
# costs more Python time than SQLite takes to answer it.
# The order comes with its items (one row per item), the parcels with their events.
_BY_ID = {
    follow: _order_query(follow)
    .where(col(Order.id) == bindparam("order_id"))
    .order_by(col(OrderItem.id))
    for follow in (False, True)
}
_BY_NUMBER = {
    follow: _order_query(follow)
    .where(
        col(Order.number) == bindparam("number"),
        col(Order.customer_id) == bindparam("customer_id"),
    )
    .order_by(col(OrderItem.id))
    for follow in (False, True)
}
_PARCELS = (
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
        TrackingEvent.occurred_at,
        TrackingEvent.status,
        TrackingEvent.text,
        TrackingEvent.location,
        Shipment.shipped_at,
        Shipment.created_at,
    )
    .outerjoin(TrackingEvent, col(TrackingEvent.shipment_id) == col(Shipment.id))
    .where(col(Shipment.order_id) == bindparam("order_id"))
    .order_by(col(Shipment.id), col(TrackingEvent.occurred_at).desc(), col(TrackingEvent.id).desc())
)


async def _fetch(session: AsyncSession, statement: Any, params: dict[str, Any]) -> Sequence[Any]:
    """The rows of a column-only statement, run on the session's connection.

    core.storage.hot_sql skips SQLAlchemy's execution and result machinery on SQLite (most of
    the Python time per statement); pending changes are flushed first, as the ORM's
    autoflush would.
    """
    return await hot_sql.fetch(session, statement, params)


async def order_view(
    session: AsyncSession, order_id: int, *, identity_id: int | None = None
) -> OrderView | None:
    """The order with its items, shipments and timeline; None when there is no such order.

    With `identity_id`, `OrderView.following` says whether that chat follows the order.
    """
    params = {"order_id": order_id, "identity_id": identity_id}
    rows = await _fetch(session, _BY_ID[identity_id is not None], params)
    return await _complete(session, rows) if rows else None


async def order_view_for_customer(
    session: AsyncSession, customer_id: int, number: str, *, identity_id: int | None = None
) -> OrderView | None:
    """Order `number` if it belongs to `customer_id`; None otherwise (missing or not theirs)."""
    params = {"number": number, "customer_id": customer_id, "identity_id": identity_id}
    rows = await _fetch(session, _BY_NUMBER[identity_id is not None], params)
    return await _complete(session, rows) if rows else None


async def _complete(session: AsyncSession, rows: Sequence[Any]) -> OrderView:
    # Two statements per order (order with items, parcels with events): this is the hot
    # path, and on SQLite every statement is a round trip to the driver's thread.
    order_id, number, customer_id, status, placed_at, promised_by, delivered_at, zone, follows = (
        rows[0][:9]
    )
    items = [row[9:12] for row in rows if row[9] is not None]
    country, postcode = rows[0][12:14]
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
        shipments=await _shipments(session, order_id),
        following=None if follows is None else bool(follows),
        ship_country=country or "",
        ship_postcode=postcode or "",
    )


async def _shipments(session: AsyncSession, order_id: int) -> tuple[ShipmentView, ...]:
    """The order's parcels with their newest events, in one statement (parcels x events)."""
    rows = await _fetch(session, _PARCELS, {"order_id": order_id})
    parcels: dict[int, tuple[Any, list[EventView]]] = {}
    for row in rows:
        parcel = parcels.get(row[0])
        if parcel is None:
            parcel = parcels[row[0]] = (row, [])
        at, status, words, location = row[9:13]
        if at is not None and len(parcel[1]) < TIMELINE_LIMIT:
            parcel[1].append(EventView(at=at, status=status, text=words, location=location))
    return tuple(
        ShipmentView(
            id=sid,
            carrier=carrier_name(carrier),
            tracking_number=tracking_number,
            tracking_url=tracking_link(carrier, tracking_number, url),
            status=status,
            location=location,
            carrier_eta=eta,
            last_event_at=last_event_at,
            delivered_at=delivered_at,
            events=tuple(events),
            carrier_code=carrier,
            handed_over=shipped_at or created_at,
        )
        for (
            sid,
            carrier,
            tracking_number,
            url,
            status,
            location,
            eta,
            last_event_at,
            delivered_at,
            *_,
            shipped_at,
            created_at,
        ), events in parcels.values()
    )


async def find_order_owner(session: AsyncSession, number: str) -> tuple[int, int] | None:
    """(order id, customer id) of order `number`, or None when no such order exists."""
    row = (
        await session.exec(select(Order.id, Order.customer_id).where(Order.number == number))
    ).first()
    if row is None or row[0] is None:
        return None
    return row[0], row[1]


async def order_number_by_tracking(
    session: AsyncSession, tracking_number: str, customer_id: int | None = None
) -> str | None:
    """The number of the order one of whose parcels has `tracking_number` (as typed, or in
    capitals), optionally only among `customer_id`'s orders; None when there is none."""
    typed = tracking_number.strip()
    statement = (
        select(Order.number)
        .join(Shipment, col(Shipment.order_id) == col(Order.id))
        # Two equalities rather than upper(): the tracking-number index still serves.
        .where(col(Shipment.tracking_number).in_({typed, typed.upper()}))
        .order_by(col(Order.id))
    )
    if customer_id is not None:
        statement = statement.where(Order.customer_id == customer_id)
    return (await session.exec(statement.limit(1))).first()


def _orders_query(active_only: bool) -> Any:
    statement = select(Order.id, Order.number, Order.status, Order.placed_at).where(
        col(Order.customer_id) == bindparam("customer_id")
    )
    if active_only:  # one comparison per status: an IN list would be compiled per call
        statement = statement.where(
            *(col(Order.status) != s.value for s in FINISHED_ORDER_STATUSES)
        )
    return statement.order_by(col(Order.placed_at).desc(), col(Order.id).desc()).limit(
        bindparam("limit", type_=Integer)
    )


# Built once: "my orders" is asked often, and building a statement costs more Python time
# than SQLite takes to answer it.
_ORDERS_OF_CUSTOMER = {active_only: _orders_query(active_only) for active_only in (False, True)}
_PARCEL_STATUSES = (
    select(Shipment.order_id, Shipment.status)
    .where(col(Shipment.order_id).in_(bindparam("order_ids", expanding=True)))
    .order_by(col(Shipment.id))
)


async def orders_of_customer(
    session: AsyncSession, customer_id: int, *, limit: int = 10, active_only: bool = False
) -> list[OrderSummary]:
    """The customer's orders, newest first (at most `limit`); `active_only` skips finished ones."""
    rows = await _fetch(
        session,
        _ORDERS_OF_CUSTOMER[active_only],
        {"customer_id": customer_id, "limit": limit},
    )
    return [
        OrderSummary(id=oid, number=number, status=status, placed_at=placed)
        for oid, number, status, placed in rows
        if oid is not None
    ]


async def with_parcel_statuses(
    session: AsyncSession, orders: Sequence[OrderSummary]
) -> list[OrderSummary]:
    """The same orders with their parcels' statuses, read in one statement for all of them."""
    if not orders:
        return []
    rows = await session.exec(_PARCEL_STATUSES, params={"order_ids": [o.id for o in orders]})
    statuses: dict[int, list[str]] = {}
    for order_id, status in rows:
        statuses.setdefault(order_id, []).append(status)
    return [replace(o, parcel_statuses=tuple(statuses.get(o.id, ()))) for o in orders]


async def count_orders_of_customer(session: AsyncSession, customer_id: int) -> int:
    """How many orders the customer has."""
    statement = select(func.count()).select_from(Order).where(Order.customer_id == customer_id)
    return int((await session.exec(statement)).one())


__all__ = [
    "FINISHED_ORDER_STATUSES",
    "TIMELINE_LIMIT",
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
    "with_parcel_statuses",
]
