"""Orders and shipments arriving from outside (ingest API, Shopify, CSV): idempotent upserts.

Every write is keyed by the caller's external id, so repeating a request gives the same
state. Tracking events are not handled here: they go through `core.ingest`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core import audit
from core.clock import Clock
from core.models import Customer, Order, OrderItem, ReturnItem, Shipment
from core.statuses import OrderStatus, ShipmentStatus

log = logging.getLogger(__name__)

# Order statuses a shop may set; the others follow from shipments and returns.
SETTABLE_ORDER_STATUSES = frozenset(
    {OrderStatus.PLACED, OrderStatus.PROCESSING, OrderStatus.CANCELLED}
)


class IntakeError(Exception):
    """Input that cannot be stored; `field` names the culprit, nothing was written for it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class IntakeConflict(IntakeError):
    """The external id or number already belongs to a different record."""


@dataclass(frozen=True)
class CustomerData:
    email: str
    external_id: str | None = None
    name: str = ""
    phone: str | None = None
    locale: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class ItemData:
    sku: str
    name: str
    qty: int = 1
    price_minor: int = 0
    returnable: bool = True


@dataclass(frozen=True)
class AddressData:
    name: str = ""
    street: str = ""
    city: str = ""
    postcode: str = ""
    country: str = ""
    timezone: str | None = None


@dataclass(frozen=True)
class OrderData:
    """An order as a shop describes it; None leaves a stored value as it is."""

    external_id: str
    number: str
    customer: CustomerData
    placed_at: datetime
    items: tuple[ItemData, ...] | None = None
    status: OrderStatus | None = None
    promised_by: datetime | None = None
    total_minor: int | None = None
    currency: str | None = None
    shipping: AddressData | None = None
    note: str | None = None


@dataclass(frozen=True)
class ShipmentData:
    """A shipment; its order is named by external id or by order number."""

    external_id: str
    carrier: str
    tracking_number: str
    order_external_id: str | None = None
    order_number: str | None = None
    tracking_url: str | None = None
    eta: datetime | None = None
    shipped_at: datetime | None = None


@dataclass(frozen=True)
class Upserted:
    """What an upsert did: the row's id, and whether it was created or changed."""

    id: int
    created: bool
    changed: bool


async def begin_writes(session: AsyncSession) -> None:
    """Make SQLite open the transaction now, so a rollback undoes every write in it.

    pysqlite starts its transaction at the first INSERT/UPDATE/DELETE; a SAVEPOINT issued
    before that (e.g. storing a tracking event once) is committed by its RELEASE and
    survives a later rollback. A no-op UPDATE opens the transaction first. PostgreSQL
    needs nothing.
    """
    if session.bind is not None and session.bind.dialect.name == "sqlite":
        await session.exec(text("UPDATE joblock SET name = name WHERE 1 = 0"))  # type: ignore[call-overload]


def _assign(row: object, values: dict[str, object]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


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
    _assign(customer, values)
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
            changed |= _assign(row, values)
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
    changed = _assign(order, values)
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
    changed = _assign(shipment, values)
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
    # follows from tracking updates (core.ingest), which only move an order forward.
    if order.status != OrderStatus.PLACED:
        return
    order.status = OrderStatus.PROCESSING.value
    order.processing_at = order.processing_at or now
    order.updated_at = now
    session.add(order)
    await session.flush()


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
