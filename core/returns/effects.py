"""What a return step causes besides its own row: the order's status, the shopper's push
and the staff card in the alerts channel — all in the caller's transaction.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes import notifications
from core.returns.notices import shopper_notice
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.runtime.zones import zone
from core.staff.cards import return_card
from core.staff.routes import alert_channel
from core.storage.models import ChannelIdentity, Order, OrderItem, ReturnItem, ReturnRequest


async def notify_shopper(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    request: ReturnRequest,
    order: Order,
    state: str,
) -> None:
    """Push the shopper the outcome of a staff step (nothing when no chat is known)."""
    if request.identity_id is None:
        return
    identity = await session.get(ChannelIdentity, request.identity_id)
    if identity is None:
        return
    lines = await item_lines(session, request)
    reply = shopper_notice(config, request, order, lines, locale=identity.locale)
    await notifications.enqueue(
        session,
        clock,
        config,
        identity,
        reply,
        kind=f"return_{state}",
        dedupe_key=f"return:{request.id}:{state}",
        urgent=True,  # the shopper is waiting on this answer; quiet hours do not apply
        order_id=order.id,
        subject_type="return",
        subject_id=request.id,
        respect_opt_out=False,  # an answer to their own request, not an unasked-for push
    )


async def alert_staff(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    request: ReturnRequest,
    order: Order,
    *,
    kind: str,
) -> None:
    """Post the return's staff card, in its current state, to the returns' channel."""
    channel = alert_channel(config, "return")
    if not channel:
        return
    items = await item_lines(session, request)
    card = return_card(order, request, items, tz=zone(config.timezone))
    await notifications.enqueue_staff_alert(
        session,
        clock,
        channel,
        card,
        kind=kind,
        dedupe_key=f"return:{request.id}:staff:{request.state}",
        subject_type="return",
        subject_id=request.id,
        order_id=order.id,
    )


async def item_lines(session: AsyncSession, request: ReturnRequest) -> list[tuple[str, int]]:
    """(product name, quantity) of each item in the request."""
    assert request.id is not None
    rows = await session.exec(
        select(OrderItem.name, ReturnItem.qty)
        .join(ReturnItem, col(ReturnItem.order_item_id) == OrderItem.id)
        .where(ReturnItem.return_id == request.id)
        .order_by(col(ReturnItem.id))
    )
    return [(name, qty) for name, qty in rows.all()]


async def sync_order_status(session: AsyncSession, clock: Clock, order: Order) -> None:
    """Reflect returns in the order's lifecycle (only once it was delivered)."""
    if order.status not in ("delivered", "return_requested", "returned"):
        return
    states = (
        await session.exec(
            select(ReturnRequest.state, func.count())
            .where(ReturnRequest.order_id == order.id)
            .group_by(col(ReturnRequest.state))
        )
    ).all()
    present = {state for state, _ in states}
    if present & {"requested", "approved", "received"}:
        status = "return_requested"
    elif "refunded" in present:
        status = "returned"
    else:
        status = "delivered"
    if order.status != status:
        order.status = status
        order.updated_at = clock.now()
        session.add(order)
