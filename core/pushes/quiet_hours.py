"""Quiet hours in the shopper's own time zone, and which zone that is."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from core.runtime.config import CoreConfig
from core.storage.models import ChannelIdentity, Customer, Order

log = logging.getLogger(__name__)


def quiet_until(now: datetime, tz: ZoneInfo, start: time, end: time) -> datetime | None:
    """When quiet hours (local `start`..`end`, may cross midnight) end, if `now` is inside them.

    Returns an aware UTC datetime, or None outside quiet hours (or when start == end,
    which means no quiet hours at all).
    """
    if start == end:
        return None
    local = now.astimezone(tz)
    clock_time = local.time().replace(tzinfo=None)
    crosses_midnight = start > end
    if crosses_midnight:
        inside = clock_time >= start or clock_time < end
    else:
        inside = start <= clock_time < end
    if not inside:
        return None
    end_day = local.date()
    if crosses_midnight and clock_time >= start:
        end_day += timedelta(days=1)
    # Build the wall-clock end in the zone, so DST shifts land on the right instant.
    wake = datetime.combine(end_day, end, tzinfo=tz)
    return wake.astimezone(now.tzinfo)


async def shopper_timezone(
    session: AsyncSession,
    config: CoreConfig,
    identity: ChannelIdentity | None,
    order_id: int | None,
) -> str:
    """The shopper's zone: the identity's, the customer's, the order's shipping zone, the shop's."""
    if identity is not None and identity.timezone:
        return identity.timezone
    if identity is not None and identity.customer_id is not None:
        customer = await session.get(Customer, identity.customer_id)
        if customer is not None and customer.timezone:
            return customer.timezone
    if order_id is not None:
        order = await session.get(Order, order_id)
        if order is not None:
            if order.ship_timezone:
                return order.ship_timezone
            customer = await session.get(Customer, order.customer_id)
            if customer is not None and customer.timezone:
                return customer.timezone
    return config.timezone
