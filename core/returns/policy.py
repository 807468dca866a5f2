"""The shop's return policy: which items of an order can go back, and until when.

The window is counted from delivery (`CoreConfig.return_window`; zero means the shop takes
no returns through wismo). An order that has not been delivered cannot be returned.
Final-sale items (`OrderItem.returnable` False) never can. An item already in an open or
completed return is not offered again, except for the quantity nobody has returned yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.replies.messages import text
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage.models import Order, OrderItem, ReturnItem, ReturnRequest, Shipment

# The return reasons, in the order the buttons show them. Their wording is the catalogue's
# ("return.reason.<code>", see `reason_label`).
REASONS: tuple[str, ...] = (
    "too_small",
    "too_large",
    "defective",
    "not_as_described",
    "wrong_item",
    "changed_mind",
    "other",
)

# Shopify's decline reasons; the agent adds a note of their own. The shopper reads them in
# the decline notice ("return_notice.decline_reason.<code>", see `decline_reason_label`);
# staff cards have labels of their own.
DECLINE_REASONS: tuple[str, ...] = ("final_sale", "return_period_ended", "other")


def reason_label(code: str, locale: str | None = None) -> str:
    """A return reason as the shopper reads it ("Too small"); an unknown code as it is."""
    return text(f"return.reason.{code}", locale) if code in REASONS else code


def decline_reason_label(code: str, locale: str | None = None) -> str:
    """Why staff declined, as the shopper reads it; "" for an unknown code."""
    return text(f"return_notice.decline_reason.{code}", locale) if code in DECLINE_REASONS else ""


# A request in one of these states holds its items (nobody can ask to return them again).
OPEN_STATES = frozenset({"requested", "approved", "received"})
ACTIVE_STATES = OPEN_STATES | {"refunded"}
STATES = ("requested", "approved", "declined", "received", "refunded", "cancelled")


@dataclass(frozen=True)
class ItemEligibility:
    """One order item: how many can still be returned, or why none can."""

    item: OrderItem
    available: int
    refusal: str | None  # None | "final_sale" | "in_return" | "returned"


@dataclass(frozen=True)
class OrderEligibility:
    """What the policy allows for one order right now."""

    order: Order
    delivered_at: datetime | None
    deadline: datetime | None
    refusal: str | None  # None | "not_delivered" | "window_closed" | "nothing_returnable"
    items: list[ItemEligibility]

    @property
    def returnable(self) -> list[ItemEligibility]:
        """The items a shopper may choose now (empty when the order itself is refused)."""
        if self.refusal is not None:
            return []
        return [entry for entry in self.items if entry.refusal is None]


async def delivered_at(session: AsyncSession, order: Order) -> datetime | None:
    """When the order arrived: its own delivery time, else the last of its delivered shipments.

    None while any shipment is still on its way (or there are none).
    """
    if order.delivered_at is not None:
        return order.delivered_at
    shipments = (await session.exec(select(Shipment).where(Shipment.order_id == order.id))).all()
    if not shipments or any(s.status != "delivered" for s in shipments):
        return None
    times = [s.delivered_at or s.last_event_at for s in shipments]
    known = [t for t in times if t is not None]
    return max(known) if known else None


async def eligibility(
    session: AsyncSession, clock: Clock, config: CoreConfig, order: Order
) -> OrderEligibility:
    """Apply the policy to `order` at the clock's current time."""
    items = list(
        (
            await session.exec(
                select(OrderItem).where(OrderItem.order_id == order.id).order_by(col(OrderItem.id))
            )
        ).all()
    )
    held = await _held_quantities(session, order)
    entries: list[ItemEligibility] = []
    for item in items:
        assert item.id is not None
        in_open, in_any = held.get(item.id, (0, 0))
        available = max(item.qty - in_any, 0)
        if not item.returnable:
            refusal: str | None = "final_sale"
        elif in_open:
            refusal = "in_return"
        elif available == 0:
            refusal = "returned"
        else:
            refusal = None
        entries.append(ItemEligibility(item, available if refusal is None else 0, refusal))

    arrived = await delivered_at(session, order)
    deadline = arrived + config.return_window if arrived is not None else None
    if order.status == "cancelled" or arrived is None:
        order_refusal: str | None = "not_delivered"
    elif deadline is not None and clock.now() > deadline:
        order_refusal = "window_closed"
    elif not any(entry.refusal is None for entry in entries):
        order_refusal = "nothing_returnable"
    else:
        order_refusal = None
    return OrderEligibility(order, arrived, deadline, order_refusal, entries)


async def _held_quantities(session: AsyncSession, order: Order) -> dict[int, tuple[int, int]]:
    """Per order item: (quantity in open requests, quantity in open or refunded requests)."""
    rows = (
        await session.exec(
            select(ReturnItem.order_item_id, ReturnRequest.state, func.sum(ReturnItem.qty))
            .join(ReturnRequest, col(ReturnRequest.id) == ReturnItem.return_id)
            .where(
                ReturnRequest.order_id == order.id,
                col(ReturnRequest.state).in_(ACTIVE_STATES),
            )
            .group_by(col(ReturnItem.order_item_id), col(ReturnRequest.state))
        )
    ).all()
    held: dict[int, tuple[int, int]] = {}
    for item_id, state, qty in rows:
        in_open, in_any = held.get(item_id, (0, 0))
        amount = int(qty or 0)
        held[item_id] = (in_open + (amount if state in OPEN_STATES else 0), in_any + amount)
    return held
