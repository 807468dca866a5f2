"""How a shipment's new status moves the shipment's milestones and the order's lifecycle."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes.changes import local_day
from core.runtime.config import CoreConfig
from core.storage.models import Order, Shipment
from core.tracking.statuses import (
    SHIPMENT_PROGRESS,
    OrderStatus,
    ShipmentStatus,
    order_status_from_shipments,
)

# An order in one of these states is past tracking; shipments no longer move it.
_ORDER_CLOSED = frozenset(
    {OrderStatus.CANCELLED, OrderStatus.RETURN_REQUESTED, OrderStatus.RETURNED}
)
_ORDER_RANK = {
    OrderStatus.PLACED: 0,
    OrderStatus.PROCESSING: 1,
    OrderStatus.PARTIALLY_SHIPPED: 2,
    OrderStatus.SHIPPED: 3,
    OrderStatus.DELIVERED: 4,
}


def stamp_milestones(shipment: Shipment, status: ShipmentStatus, at: datetime) -> None:
    """Record when the parcel first moved and when it was delivered (first time only)."""
    moving = SHIPMENT_PROGRESS[status] >= SHIPMENT_PROGRESS[ShipmentStatus.IN_TRANSIT]
    if moving and shipment.shipped_at is None:
        shipment.shipped_at = at
    if status == ShipmentStatus.DELIVERED and shipment.delivered_at is None:
        shipment.delivered_at = at


async def move_order(session: AsyncSession, now: datetime, order: Order) -> None:
    """Move the order's lifecycle to what its shipments imply — forward only, never out of
    cancelled or a return."""
    try:
        current = OrderStatus(order.status)
    except ValueError:
        current = None
    if current in _ORDER_CLOSED:
        return
    # Entities, not a column: the identity map holds this tick's unflushed changes.
    rows = await session.exec(select(Shipment).where(Shipment.order_id == order.id))
    implied = order_status_from_shipments([ShipmentStatus(s.status) for s in rows])
    if implied is None:
        return
    # The order lifecycle only moves forward (a new, pending parcel does not un-ship it).
    if current is not None and _ORDER_RANK.get(implied, 0) <= _ORDER_RANK.get(current, -1):
        return
    order.status = implied.value
    if implied in (OrderStatus.SHIPPED, OrderStatus.PARTIALLY_SHIPPED) and not order.shipped_at:
        order.shipped_at = now
    if implied == OrderStatus.DELIVERED:
        order.shipped_at = order.shipped_at or now
        order.delivered_at = order.delivered_at or now
    order.updated_at = now
    session.add(order)


def date_moved(previous_eta: datetime | None, shipment: Shipment, config: CoreConfig) -> bool:
    """A new ETA is news only when it changes the day the shopper expects the parcel."""
    if previous_eta is None or shipment.eta is None:
        return False
    if ShipmentStatus(shipment.status) == ShipmentStatus.DELIVERED:
        return False
    return local_day(previous_eta, config.timezone) != local_day(shipment.eta, config.timezone)
