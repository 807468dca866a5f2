"""What support staff see: order look-up by number, e-mail or tracking number, and the order card.

Staff see an order without the shopper's verification, so the card carries only what an
agent needs: the customer's name, a masked e-mail and the city — never the street
address or the phone number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, tzinfo

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.replies.reply import Button, KeyValue, Reply, Section, TimelineEntry
from core.runtime.config import CoreConfig
from core.staff.cards import (
    RETURN_STATE_LABELS,
    flag_line,
    return_buttons,
    return_decision_line,
    when,
)
from core.staff.flags import open_flags
from core.storage.models import (
    Customer,
    Order,
    OrderItem,
    ReturnItem,
    ReturnRequest,
    Shipment,
    TrackingEvent,
)

MAX_RESULTS = 10
TIMELINE_ENTRIES = 12
# Bounded like real addresses (local part <= 64, domain <= 253): without the bounds every
# start position of a long word re-scanned the rest, and 16,000 characters took 6 s.
EMAIL = re.compile(r"[^\s<>@,;]{1,64}@[^\s<>@,;]{1,253}\.[A-Za-z]{2,63}\b")
# A carrier tracking number: letters and digits, at least 8 long, with at least one digit.
TRACKING_NUMBER = re.compile(r"\b(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{8,40}\b")


@dataclass(frozen=True)
class LookupResult:
    """Orders matching a staff query, newest first; `kind` says how the query was read."""

    query: str
    kind: str  # number | email | tracking | none
    orders: list[Order]


def mask_email(email: str) -> str:
    """ "jane.doe@example.com" -> "j***@example.com"; enough to recognise, not to copy."""
    local, at, domain = email.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def extract_query(text: str, config: CoreConfig) -> str | None:
    """The order number, e-mail or tracking number in a free-text staff message, if any."""
    email = EMAIL.search(text)
    if email:
        return email.group(0)
    number = re.search(rf"(?<![\w-])#?({config.order_number_pattern})(?![\w-])", text)
    if number:
        return number.group(1)
    tracking = TRACKING_NUMBER.search(text)
    return tracking.group(0) if tracking else None


async def find_orders(session: AsyncSession, query: str) -> LookupResult:
    """Orders matching an order number, a customer e-mail or a tracking number (exact match)."""
    query = query.strip()
    if not query:
        return LookupResult(query, "none", [])
    if "@" in query:
        rows = await session.exec(
            select(Order)
            .join(Customer, col(Customer.id) == col(Order.customer_id))
            .where(col(Customer.email) == query.lower())
            .order_by(col(Order.placed_at).desc(), col(Order.id).desc())
            .limit(MAX_RESULTS)
        )
        return LookupResult(query, "email", list(rows.all()))
    number = query.removeprefix("#")
    by_number = (await session.exec(select(Order).where(Order.number == number))).first()
    if by_number is not None:
        return LookupResult(query, "number", [by_number])
    rows = await session.exec(
        select(Order)
        .join(Shipment, col(Shipment.order_id) == col(Order.id))
        .where(func.upper(Shipment.tracking_number) == query.upper())
        .order_by(col(Order.placed_at).desc())
        .limit(MAX_RESULTS)
    )
    orders = list({order.id: order for order in rows.all()}.values())  # one per order
    return LookupResult(query, "tracking" if orders else "none", orders)


def _order_fields(order: Order, customer: Customer | None, eta: str, tz: tzinfo) -> list[KeyValue]:
    city = ", ".join(part for part in (order.ship_city, order.ship_country) if part)
    fields = [
        KeyValue("Status", order.status.replace("_", " ")),
        KeyValue("Customer", (customer.name if customer else "") or "—"),
        KeyValue("E-mail", mask_email(customer.email) if customer else "—"),
        KeyValue("City", city or "—"),
        KeyValue("Placed", when(order.placed_at, tz)),
        KeyValue("Promised by", when(order.promised_by, tz)),
        KeyValue("ETA", eta),
        KeyValue("Total", f"{order.total_minor / 100:.2f} {order.currency}"),
    ]
    return fields


def _shipment_section(shipment: Shipment, tz: tzinfo) -> Section:
    fields = [
        KeyValue("Status", shipment.status.replace("_", " ")),
        KeyValue("Tracking number", shipment.tracking_number),
        KeyValue("Last scan", when(shipment.last_event_at, tz)),
        KeyValue("ETA", when(shipment.eta, tz)),
    ]
    if shipment.last_location:
        fields.append(KeyValue("Last location", shipment.last_location))
    if shipment.tracking_url:
        fields.append(KeyValue("Tracking link", shipment.tracking_url))
    return Section(title=f"Shipment {shipment.carrier}", fields=fields)


async def _returns_with_items(
    session: AsyncSession, order_id: int
) -> list[tuple[ReturnRequest, list[tuple[str, int]]]]:
    requests = list(
        (
            await session.exec(
                select(ReturnRequest)
                .where(ReturnRequest.order_id == order_id)
                .order_by(col(ReturnRequest.created_at), col(ReturnRequest.id))
            )
        ).all()
    )
    result = []
    for request in requests:
        rows = await session.exec(
            select(OrderItem.name, ReturnItem.qty)
            .join(OrderItem, col(OrderItem.id) == col(ReturnItem.order_item_id))
            .where(ReturnItem.return_id == request.id)
            .order_by(col(ReturnItem.id))
        )
        result.append((request, [(name, qty) for name, qty in rows.all()]))
    return result


async def staff_order_card(
    session: AsyncSession,
    order_id: int,
    names: Mapping[str, str] | None = None,
    tz: tzinfo = UTC,
) -> Reply:
    """The order as staff see it: status, shipments, timeline, ETA, open flags, returns, actions.

    `names` maps actor ids ("slack:U123") to display names; times are shown in `tz`.
    """
    order = await session.get(Order, order_id)
    if order is None:
        raise LookupError(f"no order with id {order_id}")
    customer = await session.get(Customer, order.customer_id)
    items = (
        await session.exec(
            select(OrderItem).where(OrderItem.order_id == order_id).order_by(col(OrderItem.id))
        )
    ).all()
    shipments = list(
        (
            await session.exec(
                select(Shipment).where(Shipment.order_id == order_id).order_by(col(Shipment.id))
            )
        ).all()
    )
    etas = [s.eta for s in shipments if s.eta is not None and s.status != "delivered"]
    eta = when(max(etas), tz) if etas else ("delivered" if order.status == "delivered" else "—")

    sections = [
        Section(title=f"Order {order.number}", fields=_order_fields(order, customer, eta, tz)),
        Section(
            title="Items",
            text="\n".join(
                f"{item.qty} × {item.name}"
                # Shops often name the item so already ("Sunglasses (final sale)").
                + ("" if item.returnable or "final sale" in item.name.lower() else " (final sale)")
                for item in items
            )
            or "(no items)",
        ),
    ]
    if order.note:
        sections.append(Section(title="Order note", text=order.note))
    sections.extend(_shipment_section(s, tz) for s in shipments)
    if shipments:
        events = (
            await session.exec(
                select(TrackingEvent)
                .where(col(TrackingEvent.shipment_id).in_([s.id for s in shipments]))
                .order_by(col(TrackingEvent.occurred_at).desc(), col(TrackingEvent.id).desc())
                .limit(TIMELINE_ENTRIES)
            )
        ).all()
        if events:
            sections.append(
                Section(
                    title="Timeline",
                    timeline=[
                        TimelineEntry(
                            at=e.occurred_at.astimezone(tz),
                            text=e.text or e.status,
                            location=e.location,
                        )
                        for e in events
                    ],
                )
            )

    buttons = [Button("Flag issue", "flag_open", order.number)]
    flags = await open_flags(session, order_id)
    if flags:
        sections.append(
            Section(title="Open flags", text="\n".join(flag_line(f, names, tz) for f in flags))
        )
        buttons.extend(Button(f"Resolve flag #{f.id}", "flag_resolve", str(f.id)) for f in flags)
    returns = await _returns_with_items(session, order_id)
    if returns:
        lines = []
        for request, returned in returns:
            line = f"#{request.id} {RETURN_STATE_LABELS.get(request.state, request.state)}"
            line += f" — {request.reason.replace('_', ' ').lower()}"
            if returned:
                line += ": " + ", ".join(f"{qty} × {name}" for name, qty in returned)
            decision = return_decision_line(request, names, tz)
            if decision:
                line += f"\n{decision}"
            lines.append(line)
            buttons.extend(
                Button(f"{b.label} return #{request.id}", b.action, b.payload)
                for b in return_buttons(request)
            )
        sections.append(Section(title="Return requests", text="\n".join(lines)))
    buttons.append(Button("Refresh", "staff_order", order.number))
    return Reply(
        sections=sections, buttons=buttons, intent="staff_order", order_number=order.number
    )


async def lookup_reply(
    session: AsyncSession,
    query: str,
    names: Mapping[str, str] | None = None,
    tz: tzinfo = UTC,
) -> Reply:
    """The answer to a staff look-up: the card of the one match, a pick list, or "not found".

    Times are shown in `tz` (the shop's zone).
    """
    result = await find_orders(session, query)
    if not result.orders:
        return Reply.text(
            f"No order matches “{query.strip()}”. Try an order number, the customer's "
            "e-mail address or a tracking number.",
            intent="staff_not_found",
        )
    if len(result.orders) == 1:
        assert result.orders[0].id is not None
        return await staff_order_card(session, result.orders[0].id, names, tz)
    lines = [
        f"Order {o.number} — {o.status.replace('_', ' ')}, placed {when(o.placed_at, tz)}"
        for o in result.orders
    ]
    return Reply(
        sections=[
            Section(
                title=f"{len(result.orders)} orders match “{query.strip()}”",
                text="\n".join(lines),
            )
        ],
        buttons=[Button(f"Order {o.number}", "staff_order", o.number) for o in result.orders],
        intent="staff_orders",
    )
