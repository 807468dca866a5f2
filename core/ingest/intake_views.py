"""What the ingest API shows back about stored orders and shipments (no address or phone)."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.storage.models import Order, OrderItem, Shipment


async def order_summary(session: AsyncSession, order: Order) -> dict[str, object]:
    """What the ingest API shows back about a stored order (no street address or phone)."""
    items = (
        await session.exec(
            select(OrderItem).where(OrderItem.order_id == order.id).order_by(col(OrderItem.id))
        )
    ).all()
    shipments = (
        await session.exec(
            select(Shipment).where(Shipment.order_id == order.id).order_by(col(Shipment.id))
        )
    ).all()
    return {
        "id": order.id,
        "external_id": order.external_id,
        "number": order.number,
        "status": order.status,
        "placed_at": order.placed_at.isoformat(),
        "items": [
            {"sku": i.sku, "name": i.name, "qty": i.qty, "returnable": i.returnable} for i in items
        ],
        "shipments": [shipment_summary(s) for s in shipments],
    }


def shipment_summary(shipment: Shipment) -> dict[str, object]:
    """What the ingest API shows back about a stored shipment."""
    return {
        "id": shipment.id,
        "external_id": shipment.external_id,
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "status": shipment.status,
        "last_event_at": shipment.last_event_at.isoformat() if shipment.last_event_at else None,
        "eta": shipment.eta.isoformat() if shipment.eta else None,
    }
