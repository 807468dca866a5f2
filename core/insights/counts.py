"""The counting half of insights' SQL: flags, stuck parcels, returns, questions, pushes.

Each is one grouped query; see `core.insights.report` for what the numbers mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.insights.queries import (
    FLAGS,
    OD,
    F,
    N,
    Q,
    R,
    S,
    Scope,
    fetch_rows,
    in_period,
    order_has_carrier,
)
from core.pushes.home_refresh import HOME_CHANNEL
from core.storage.models import Shipment
from core.tracking.statuses import ShipmentStatus

# Statuses in which a shipment is still the carrier's to move; pickup points wait for the
# shopper and delivered/expired are over, so none of those can be "stuck".
STUCK_CANDIDATES = tuple(
    s.value
    for s in ShipmentStatus
    if s
    not in (
        ShipmentStatus.DELIVERED,
        ShipmentStatus.EXPIRED,
        ShipmentStatus.AVAILABLE_FOR_PICKUP,
    )
)


async def flags_by_kind(session: AsyncSession, scope: Scope) -> list[tuple[str, str, int]]:
    """(kind, carrier or "", count) of flags raised in the period."""
    statement = (
        select(F.kind, func.coalesce(S.carrier, ""), func.count())
        .select_from(FLAGS)
        .outerjoin(Shipment, S.id == F.shipment_id)
        .where(in_period(F.created_at, scope))
        .group_by(F.kind, S.carrier)
    )
    if scope.carrier is not None:
        # A flag without a parcel belongs to the carrier if its order went with it.
        sibling = Shipment.__table__.alias()  # type: ignore[attr-defined]  # another parcel of the same order
        order_with_carrier = exists().where(
            sibling.c.order_id == F.order_id, sibling.c.carrier == scope.carrier
        )
        statement = statement.where(
            or_(
                S.carrier == scope.carrier,
                and_(F.shipment_id.is_(None), order_with_carrier),
            )
        )
    return [(k, c, int(n)) for k, c, n in await fetch_rows(session, statement)]


async def open_flags(session: AsyncSession, carrier: str | None) -> int:
    """Flags open right now (any age)."""
    statement = select(func.count()).select_from(FLAGS).where(F.state == "open")
    if carrier is not None:
        statement = statement.where(exists().where(S.order_id == F.order_id, S.carrier == carrier))
    return int((await fetch_rows(session, statement))[0][0])


async def stuck_now(
    session: AsyncSession, now: datetime, stuck_after_seconds: float, carrier: str | None
) -> list[tuple[str, int]]:
    """(carrier, count) of active shipments with no carrier event for `stuck_after`."""
    quiet_since = func.coalesce(S.last_event_at, S.shipped_at, S.created_at)
    statement = (
        select(S.carrier, func.count())
        .where(
            S.status.in_(STUCK_CANDIDATES),
            quiet_since < now - timedelta(seconds=stuck_after_seconds),
        )
        .group_by(S.carrier)
    )
    if carrier is not None:
        statement = statement.where(S.carrier == carrier)
    return [(c, int(n)) for c, n in await fetch_rows(session, statement)]


async def returns(session: AsyncSession, scope: Scope) -> tuple[int, int, list[tuple[str, int]]]:
    """(orders delivered in the period, of which returned, [(reason, requests in period)]).

    An order counts as returned when it has a return request that was not cancelled.
    """
    returned = exists().where(R.order_id == OD.id, R.state != "cancelled")
    delivered = select(
        func.count(), func.coalesce(func.sum(case((returned, 1), else_=0)), 0)
    ).where(in_period(OD.delivered_at, scope))
    reasons = (
        select(R.reason, func.count())
        .where(in_period(R.created_at, scope), R.state != "cancelled")
        .group_by(R.reason)
        .order_by(func.count().desc(), R.reason)
    )
    if scope.carrier is not None:
        delivered = delivered.where(order_has_carrier(scope))
        reasons = reasons.where(
            exists().where(S.order_id == R.order_id, S.carrier == scope.carrier)
        )
    total, with_return = (await fetch_rows(session, delivered))[0]
    return (
        int(total),
        int(with_return),
        [(r, int(n)) for r, n in await fetch_rows(session, reasons)],
    )


async def questions(session: AsyncSession, scope: Scope) -> list[tuple[str, int, int]]:
    """(intent, asked, answered by the bot) for shopper messages in the period, shop-wide."""
    statement = (
        select(
            Q.intent,
            func.count(),
            func.coalesce(func.sum(case((Q.answered_by_bot, 1), else_=0)), 0),
        )
        .where(in_period(Q.at, scope))
        .group_by(Q.intent)
        .order_by(func.count().desc(), Q.intent)
    )
    return [(i, int(n), int(b)) for i, n, b in await fetch_rows(session, statement)]


async def pushes(session: AsyncSession, scope: Scope) -> list[tuple[bool, str, int]]:
    """(to a shopper?, state, count) of notifications created in the period.

    Home tab refreshes ride the outbox too, but they are neither pushes nor alerts.
    """
    to_shopper = N.identity_id.is_not(None)
    statement = (
        select(to_shopper, N.state, func.count())
        .where(in_period(N.created_at, scope), N.channel != HOME_CHANNEL)
        .group_by(to_shopper, N.state)
    )
    if scope.carrier is not None:
        statement = statement.where(
            exists().where(S.id == N.shipment_id, S.carrier == scope.carrier)
        )
    return [(bool(s), state, int(n)) for s, state, n in await fetch_rows(session, statement)]


async def carriers(session: AsyncSession) -> Sequence[str]:
    """Every carrier name that has shipments, alphabetically."""
    rows = await fetch_rows(session, select(S.carrier).distinct().order_by(S.carrier))
    return [row[0] for row in rows]
