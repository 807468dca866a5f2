"""Shipments arriving from outside: idempotent upserts keyed by the caller's external id."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.ingest.intake_types import IntakeConflict, IntakeError, ShipmentData, Upserted, assign
from core.runtime.clock import Clock
from core.storage.models import Order, Shipment
from core.tracking.statuses import OrderStatus, ShipmentStatus


async def find_order(
    session: AsyncSession, *, external_id: str | None = None, number: str | None = None
) -> Order | None:
    """The order with this external id or, failing that, this number."""
    if external_id:
        order = (await session.exec(select(Order).where(Order.external_id == external_id))).first()
        if order is not None:
            return order
    if number:
        return (await session.exec(select(Order).where(Order.number == number))).first()
    return None


async def upsert_shipment(
    session: AsyncSession, clock: Clock, data: ShipmentData, *, actor: str
) -> Upserted:
    """Create or update the shipment with `data.external_id` on its order.

    A new shipment is due for polling at once. Raises IntakeError when the order is
    unknown or the shipment already belongs to another order.
    """
    if not data.external_id.strip():
        raise IntakeError("external_id", "must not be empty")
    if not data.tracking_number.strip():
        raise IntakeError("tracking_number", "must not be empty")
    if not data.carrier.strip():
        raise IntakeError("carrier", "must not be empty")
    order = await find_order(session, external_id=data.order_external_id, number=data.order_number)
    if order is None:
        which = data.order_external_id or data.order_number
        field = "order_external_id" if data.order_external_id else "order_number"
        if not which:
            raise IntakeError("order_external_id", "name the order (order_external_id or number)")
        raise IntakeError(field, f"no order {which!r}")
    assert order.id is not None
    shipment = (
        await session.exec(select(Shipment).where(Shipment.external_id == data.external_id))
    ).first()
    if shipment is None:
        # A shipment first stored without an external id is adopted by its tracking number.
        shipment = (
            await session.exec(
                select(Shipment).where(
                    Shipment.order_id == order.id,
                    Shipment.tracking_number == data.tracking_number,
                    col(Shipment.external_id).is_(None),
                )
            )
        ).first()
    if shipment is not None and shipment.order_id != order.id:
        raise IntakeConflict("external_id", f"shipment {data.external_id!r} is on another order")
    now = clock.now()
    created = shipment is None
    if shipment is None:
        shipment = Shipment(
            external_id=data.external_id,
            order_id=order.id,
            carrier=data.carrier,
            tracking_number=data.tracking_number,
            status=ShipmentStatus.PENDING.value,
            next_poll_at=now,
            created_at=now,
            updated_at=now,
        )
    values: dict[str, object] = {
        "external_id": data.external_id,
        "carrier": data.carrier[:64],
        "tracking_number": data.tracking_number,
    }
    for name in ("tracking_url", "eta", "shipped_at"):
        if getattr(data, name) is not None:
            values[name] = getattr(data, name)
    changed = assign(shipment, values)
    if changed:
        shipment.updated_at = now
    session.add(shipment)
    await session.flush()
    assert shipment.id is not None
    if created:
        await _refresh_order_status(session, order, now)
    return Upserted(id=shipment.id, created=created, changed=created or changed)


async def _refresh_order_status(session: AsyncSession, order: Order, now: datetime) -> None:
    # A first (pending) shipment moves a placed order to processing; everything later
    # follows from tracking updates (core.ingest.updates), which only move an order forward.
    if order.status != OrderStatus.PLACED:
        return
    order.status = OrderStatus.PROCESSING.value
    order.processing_at = order.processing_at or now
    order.updated_at = now
    session.add(order)
    await session.flush()
