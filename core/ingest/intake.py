"""Orders and shipments arriving from outside (ingest API, Shopify, CSV): idempotent upserts.

Every write is keyed by the caller's external id, so repeating a request gives the same
state. Tracking events are not handled here: they go through `core.ingest.updates`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.ingest.intake_shipments import find_order, upsert_shipment
from core.ingest.intake_types import (
    AddressData,
    CustomerData,
    IntakeConflict,
    IntakeError,
    ItemData,
    OrderData,
    ShipmentData,
    Upserted,
    assign,
)
from core.ingest.intake_views import order_summary, shipment_summary
from core.runtime.clock import Clock
from core.storage import audit
from core.storage.models import Customer, Order, OrderItem, ReturnItem
from core.tracking.statuses import OrderStatus

log = logging.getLogger(__name__)

# Order statuses a shop may set; the others follow from shipments and returns.
SETTABLE_ORDER_STATUSES = frozenset(
    {OrderStatus.PLACED, OrderStatus.PROCESSING, OrderStatus.CANCELLED}
)

__all__ = [
    "AddressData",
    "CustomerData",
    "IntakeConflict",
    "IntakeError",
    "ItemData",
    "OrderData",
    "ShipmentData",
    "Upserted",
    "begin_writes",
    "find_order",
    "order_summary",
    "shipment_summary",
    "upsert_customer",
    "upsert_order",
    "upsert_shipment",
]


async def begin_writes(session: AsyncSession) -> None:
    """Make SQLite open the transaction now, so a rollback undoes every write in it.

    pysqlite starts its transaction at the first INSERT/UPDATE/DELETE; a SAVEPOINT issued
    before that (e.g. storing a tracking event once) is committed by its RELEASE and
    survives a later rollback. A no-op UPDATE opens the transaction first. PostgreSQL
    needs nothing.
    """
    if session.bind is not None and session.bind.dialect.name == "sqlite":
        await session.exec(text("UPDATE joblock SET name = name WHERE 1 = 0"))  # type: ignore[call-overload]


async def upsert_customer(session: AsyncSession, clock: Clock, data: CustomerData) -> Customer:
    """Find the customer by external id (else by e-mail), create or update them."""
    email = data.email.strip().lower()
    if "@" not in email or len(email) > 320:
        raise IntakeError("customer.email", "not an e-mail address")
    customer: Customer | None = None
    if data.external_id:
        customer = (
            await session.exec(select(Customer).where(Customer.external_id == data.external_id))
        ).first()
    if customer is None:
        # A customer first met without an external id (CSV, demo) is adopted by e-mail.
        query = select(Customer).where(Customer.email == email)
        if data.external_id:
            query = query.where(col(Customer.external_id).is_(None))
        customer = (await session.exec(query.order_by(col(Customer.id)))).first()
    if customer is None:
        customer = Customer(external_id=data.external_id, email=email, created_at=clock.now())
    values: dict[str, object] = {"email": email}
    if data.external_id:
        values["external_id"] = data.external_id
    if data.name:
        values["name"] = data.name.strip()[:200]
    for name in ("phone", "locale", "timezone"):
        if getattr(data, name) is not None:
            values[name] = getattr(data, name)
    assign(customer, values)
    session.add(customer)
    await session.flush()
    return customer


async def _sync_items(session: AsyncSession, order_id: int, items: tuple[ItemData, ...]) -> bool:
    """Make the order's items equal `items`, matching by SKU; items in a return are kept."""
    existing = (await session.exec(select(OrderItem).where(OrderItem.order_id == order_id))).all()
    by_sku: dict[str, list[OrderItem]] = defaultdict(list)
    for row in sorted(existing, key=lambda r: r.id or 0):
        by_sku[row.sku].append(row)
    changed = False
    for item in items:
        values = {
            "sku": item.sku,
            "name": item.name[:300],
            "qty": item.qty,
            "price_minor": item.price_minor,
            "returnable": item.returnable,
        }
        if by_sku[item.sku]:
            row = by_sku[item.sku].pop(0)
            changed |= assign(row, values)
        else:
            row = OrderItem(order_id=order_id, **values)  # type: ignore[arg-type]
            changed = True
        session.add(row)
    leftovers = [row for rows in by_sku.values() for row in rows]
    if leftovers:
        ids = [row.id for row in leftovers]
        in_returns = set(
            (
                await session.exec(
                    select(ReturnItem.order_item_id).where(col(ReturnItem.order_item_id).in_(ids))
                )
            ).all()
        )
        for row in leftovers:
            if row.id in in_returns:
                log.warning("order %s: item %s is in a return; kept", order_id, row.id)
                continue
            await session.delete(row)
            changed = True
    return changed


def _validate_order(data: OrderData) -> None:
    if not data.external_id.strip():
        raise IntakeError("external_id", "must not be empty")
    if not data.number.strip() or len(data.number) > 64:
        raise IntakeError("number", "must be 1-64 characters")
    if data.status is not None and data.status not in SETTABLE_ORDER_STATUSES:
        allowed = ", ".join(sorted(SETTABLE_ORDER_STATUSES))
        raise IntakeError(
            "status", f"{data.status} follows from shipments or returns; settable: {allowed}"
        )
    for index, item in enumerate(data.items or ()):
        if not item.sku.strip():
            raise IntakeError(f"items.{index}.sku", "must not be empty")
        if item.qty < 1:
            raise IntakeError(f"items.{index}.qty", "must be at least 1")


async def upsert_order(
    session: AsyncSession, clock: Clock, data: OrderData, *, actor: str
) -> Upserted:
    """Create or update the order with `data.external_id`, its customer and its items.

    An order first stored without an external id (CSV, demo) is adopted by its number.
    Raises IntakeError when the number belongs to another order.
    """
    _validate_order(data)
    order = (await session.exec(select(Order).where(Order.external_id == data.external_id))).first()
    by_number = (await session.exec(select(Order).where(Order.number == data.number))).first()
    if by_number is not None and (order is None or by_number.id != order.id):
        if order is not None or by_number.external_id not in (None, data.external_id):
            raise IntakeConflict("number", f"order number {data.number} belongs to another order")
        order = by_number
    customer = await upsert_customer(session, clock, data.customer)
    now = clock.now()
    created = order is None
    if order is None:
        order = Order(
            external_id=data.external_id,
            number=data.number,
            customer_id=customer.id,  # type: ignore[arg-type]
            placed_at=data.placed_at,
            updated_at=now,
        )
    before_status = order.status
    values: dict[str, object] = {
        "external_id": data.external_id,
        "number": data.number,
        "customer_id": customer.id,
        "placed_at": data.placed_at,
    }
    for name in ("promised_by", "total_minor", "note"):
        if getattr(data, name) is not None:
            values[name] = getattr(data, name)
    if data.currency is not None:
        values["currency"] = data.currency.upper()
    if data.shipping is not None:
        values.update(
            ship_name=data.shipping.name,
            ship_street=data.shipping.street,
            ship_city=data.shipping.city,
            ship_postcode=data.shipping.postcode,
            ship_country=data.shipping.country.upper()[:2],
            ship_timezone=data.shipping.timezone,
        )
    if data.status is not None and data.status != order.status:
        values.update(_status_values(order, data.status, now))
    changed = assign(order, values)
    if changed or created:
        order.updated_at = now
    session.add(order)
    await session.flush()
    assert order.id is not None
    if data.items is not None:
        changed |= await _sync_items(session, order.id, data.items)
    if created or order.status != before_status:
        await audit.record(
            session,
            clock,
            actor=actor,
            action="order.created" if created else "order.status",
            subject_type="order",
            subject_id=order.id,
            before=None if created else {"status": before_status},
            after={"status": order.status, "number": order.number},
        )
    return Upserted(id=order.id, created=created, changed=created or changed)


def _status_values(order: Order, status: OrderStatus, now: datetime) -> dict[str, object]:
    """The columns an explicit status sets; empty when it would step the order back.

    A shop re-sending "processing" for an order that has shipped since must not undo the
    shipping, and a delivered or returned order cannot be cancelled any more.
    """
    current = order.status
    if status == OrderStatus.CANCELLED:
        if current in (OrderStatus.DELIVERED, OrderStatus.RETURN_REQUESTED, OrderStatus.RETURNED):
            log.warning("order %s is %s; a cancellation is ignored", order.id, current)
            return {}
        return {"status": status.value, "cancelled_at": order.cancelled_at or now}
    if current == OrderStatus.PLACED and status == OrderStatus.PROCESSING:
        return {"status": status.value, "processing_at": order.processing_at or now}
    return {}
