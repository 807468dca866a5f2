"""The SQL behind insights: everything is counted and grouped in the database.

Each function takes the period [since, until) and an optional carrier. Quantiles are not
portable SQL between SQLite and PostgreSQL, so stage durations come out as a histogram:
per carrier and week, durations fall into buckets (a minute wide under an hour, five
minutes under a day, half an hour under ten days, six hours beyond) and each bucket
returns its count and the mean of its durations. A period of half a million deliveries is
a few thousand rows, and a bucket of equal durations keeps their exact value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, and_, case, cast, exists, func, literal, select
from sqlalchemy.sql import ColumnElement
from sqlmodel.ext.asyncio.session import AsyncSession

from core.storage.models import (
    Flag,
    InboundLog,
    Notification,
    Order,
    ReturnRequest,
    Shipment,
    TrackingEvent,
)
from core.storage.sqltime import seconds_between
from core.tracking.statuses import ShipmentStatus

# Table columns (typed as SQL expressions, unlike the model attributes).
S = Shipment.__table__.c  # type: ignore[attr-defined]
OD = Order.__table__.c  # type: ignore[attr-defined]
E = TrackingEvent.__table__.c  # type: ignore[attr-defined]
FLAGS = Flag.__table__  # type: ignore[attr-defined]
F = FLAGS.c
R = ReturnRequest.__table__.c  # type: ignore[attr-defined]
Q = InboundLog.__table__.c  # type: ignore[attr-defined]
N = Notification.__table__.c  # type: ignore[attr-defined]

WEEK_SECONDS = 7 * 24 * 3600
# A carrier scan means the parcel is physically moving; label-only states do not count.
NOT_A_SCAN = (ShipmentStatus.PENDING.value, ShipmentStatus.INFO_RECEIVED.value)


@dataclass(frozen=True)
class Scope:
    """What a query looks at: the period [since, until), one carrier or all, the week anchor."""

    since: datetime
    until: datetime
    carrier: str | None
    anchor: datetime  # a Monday 00:00 at or before `since`; weeks are counted from it


@dataclass(frozen=True)
class DurationBucket:
    """`count` durations of one carrier in one week, averaging `seconds`."""

    carrier: str | None
    week: int  # weeks after the anchor in which the stage ended
    seconds: float
    count: int


def in_period(column: Any, scope: Scope) -> ColumnElement[bool]:
    """`column` falls inside the period [since, until)."""
    return and_(column >= scope.since, column < scope.until)


def order_has_carrier(scope: Scope) -> ColumnElement[bool]:
    """The current order row has a parcel with the scope's carrier."""
    return exists().where(S.order_id == OD.id, S.carrier == scope.carrier)


def first_scan_at() -> Any:
    """The first carrier scan of the current shipment row (correlated, uses the event index)."""
    return (
        select(func.min(E.occurred_at))
        .where(
            E.shipment_id == S.id,
            E.status.not_in(NOT_A_SCAN),
        )
        .scalar_subquery()
    )


async def fetch_rows(session: AsyncSession, statement: Any) -> Sequence[Any]:
    """Every row of a Core select."""
    # sqlmodel types exec() for its own select(); a Core select runs the same way.
    return (await session.exec(statement)).all()  # type: ignore[no-any-return]


def _materialized(statement: Any) -> Any:
    """`statement` as a CTE computed once: left to itself, the planner would inline it and
    run its correlated first-scan look-up once for every reference to the result."""
    return statement.cte().prefix_with("MATERIALIZED")


def duration_bucket(seconds: Any) -> Any:
    """The start of a duration's histogram bucket, finer for short durations."""
    whole = cast(seconds, BigInteger)
    return case(
        (whole < 3600, whole // 60),
        (whole < 86400, 100_000 + whole // 300),
        (whole < 864000, 200_000 + whole // 1800),
        else_=300_000 + whole // 21600,
    )


async def _durations(session: AsyncSession, statement: Any) -> list[DurationBucket]:
    """Histogram a statement of (carrier, offset, seconds) rows, in the database."""
    sub = _materialized(statement)  # each duration computed once, not once per use
    week = cast(sub.c.offset, BigInteger) // WEEK_SECONDS
    bucket = duration_bucket(sub.c.seconds)
    grouped = (
        select(sub.c.carrier, week, func.count(), func.sum(sub.c.seconds))
        .where(sub.c.seconds >= 0)  # a clock skew in the data is not a duration
        .group_by(sub.c.carrier, week, bucket)
    )
    return [
        DurationBucket(carrier, int(w), float(total) / int(n), int(n))
        for carrier, w, n, total in await fetch_rows(session, grouped)
    ]


async def order_stage(
    session: AsyncSession, scope: Scope, start_column: str, end_column: str
) -> list[DurationBucket]:
    """Order-level stage durations (e.g. placed_at → processing_at) for stages ending in the
    period."""
    start, end = OD[start_column], OD[end_column]
    statement = select(
        literal(None).label("carrier"),
        seconds_between(end, literal(scope.anchor)).label("offset"),
        seconds_between(end, start).label("seconds"),
    ).where(in_period(end, scope), start.is_not(None))
    if scope.carrier is not None:
        statement = statement.where(order_has_carrier(scope))
    return await _durations(session, statement)


async def shipped_to_first_scan(session: AsyncSession, scope: Scope) -> list[DurationBucket]:
    """Shipment hand-over to the first carrier scan, for first scans inside the period."""
    first_scan = first_scan_at().label("first_scan")
    shipped = func.coalesce(S.shipped_at, OD.shipped_at).label("shipped")
    inner = (
        select(S.carrier, first_scan, shipped)
        .join(Order, OD.id == S.order_id)
        # any shipment scanned in the period had an event at or after its start
        .where(S.last_event_at >= scope.since)
    )
    if scope.carrier is not None:
        inner = inner.where(S.carrier == scope.carrier)
    sub = _materialized(inner)
    statement = select(
        sub.c.carrier,
        seconds_between(sub.c.first_scan, literal(scope.anchor)).label("offset"),
        seconds_between(sub.c.first_scan, sub.c.shipped).label("seconds"),
    ).where(in_period(sub.c.first_scan, scope), sub.c.shipped.is_not(None))
    return await _durations(session, statement)


async def first_scan_to_delivered(session: AsyncSession, scope: Scope) -> list[DurationBucket]:
    """First carrier scan to delivery, for shipments delivered in the period."""
    first_scan = first_scan_at().label("first_scan")
    inner = select(S.carrier, S.delivered_at, first_scan).where(in_period(S.delivered_at, scope))
    if scope.carrier is not None:
        inner = inner.where(S.carrier == scope.carrier)
    sub = _materialized(inner)
    statement = select(
        sub.c.carrier,
        seconds_between(sub.c.delivered_at, literal(scope.anchor)).label("offset"),
        seconds_between(sub.c.delivered_at, sub.c.first_scan).label("seconds"),
    ).where(sub.c.first_scan.is_not(None))
    return await _durations(session, statement)


@dataclass(frozen=True)
class DeliveryRow:
    carrier: str
    week: int
    delivered: int
    with_promise: int
    on_time: int


async def deliveries(session: AsyncSession, scope: Scope) -> list[DeliveryRow]:
    """Shipments delivered in the period per carrier and week, and how many by the promise."""
    inner = (
        select(
            S.carrier,
            seconds_between(S.delivered_at, literal(scope.anchor)).label("offset"),
            case((OD.promised_by.is_not(None), 1), else_=0).label("promised"),
            case((S.delivered_at <= OD.promised_by, 1), else_=0).label("on_time"),
        )
        .join(Order, OD.id == S.order_id)
        .where(in_period(S.delivered_at, scope))
    )
    if scope.carrier is not None:
        inner = inner.where(S.carrier == scope.carrier)
    sub = _materialized(inner)
    # Integer division of a non-negative offset is a floor on both SQLite and PostgreSQL
    # (FLOOR() itself is missing from SQLite builds without the math functions).
    week_of = (cast(sub.c.offset, BigInteger) // WEEK_SECONDS).label("week")
    statement = (
        select(
            sub.c.carrier,
            week_of,
            func.count(),
            func.coalesce(func.sum(sub.c.promised), 0),
            func.coalesce(func.sum(sub.c.on_time), 0),
        )
        .group_by(sub.c.carrier, week_of)
        .order_by(sub.c.carrier, week_of)
    )
    rows = await fetch_rows(session, statement)
    return [DeliveryRow(c, int(w), int(n), int(p), int(o)) for c, w, n, p, o in rows]
