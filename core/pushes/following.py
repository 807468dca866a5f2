"""Which orders a chat follows, as the conversation needs it.

Subscriptions belong to core.pushes.notifications (which also cancels unsent pushes on unfollow);
this module adds what a conversation asks: "was it new?" and "follow all my open orders".
"""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes import notifications
from core.runtime.clock import Clock
from core.storage.models import Order, Subscription
from core.tracking.views import FINISHED_ORDER_STATUSES


async def follow(session: AsyncSession, clock: Clock, identity_id: int, order_id: int) -> bool:
    """Follow the order; False when it was already followed."""
    already = await notifications.is_following(session, identity_id, order_id)
    if not already:
        await notifications.follow(session, clock, identity_id, order_id)
    return not already


async def follow_open_orders(
    session: AsyncSession, clock: Clock, identity_id: int, customer_id: int
) -> int:
    """Follow every order of the customer that can still move; returns how many were new.

    Orders this identity explicitly unfollowed before (an inactive row) stay unfollowed.
    """
    open_orders = (
        await session.exec(
            select(Order.id).where(
                Order.customer_id == customer_id,
                col(Order.status).not_in([s.value for s in FINISHED_ORDER_STATUSES]),
            )
        )
    ).all()
    if not open_orders:
        return 0
    known = set(
        (
            await session.exec(
                select(Subscription.order_id).where(
                    Subscription.identity_id == identity_id,
                    col(Subscription.order_id).in_(open_orders),
                )
            )
        ).all()
    )
    added = 0
    for order_id in open_orders:
        if order_id is not None and order_id not in known:
            await notifications.follow(session, clock, identity_id, order_id)
            added += 1
    return added
