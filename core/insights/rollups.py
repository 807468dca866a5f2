"""Insights rollups: the report reads a month as a few thousand rows, not every delivery.

Every shipment and order has its part in each measure as one `insight_fact` row (when
the stage ended, its UTC day, carrier, duration and histogram bucket — the same SQL
expressions as `core.insights.queries`, so the figures are the same), and
`insight_day` sums the facts per day, measure, carrier and bucket. The report takes the
whole days of a period from `insight_day` and its partial first and last day from the
facts (by `at`, indexed).

`refresh()` keeps them current, run by the scheduler every minute and before
`wismo insights` and the digests: it recomputes the facts of the shipments and orders
whose `updated_at` moved since the last refresh (less `LAG`, for transactions that
stamped a row before the refresh started and committed after), then the sums of every
day those facts left or entered. The first refresh builds them from the whole shop in
batches of `BATCH`; until then the report computes from the tables themselves. One
replica refreshes at a time (a lease); the others skip.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    union,
    union_all,
    update,
)
from sqlmodel.ext.asyncio.session import AsyncSession

from core.insights import queries as q
from core.runtime.clock import Clock
from core.storage import locks
from core.storage.db import Database
from core.storage.models import (
    InsightDay,
    InsightFact,
    InsightHour,
    InsightState,
    Order,
    Shipment,
)
from core.storage.sqltime import day_number, hour_number, seconds_between
from core.tracking.transit import PREFIX_LENGTH, region_of

FACT = InsightFact.__table__  # type: ignore[attr-defined]
FC = FACT.c
DAY = InsightDay.__table__  # type: ignore[attr-defined]
DC = DAY.c
HOUR = InsightHour.__table__  # type: ignore[attr-defined]
HC = HOUR.c
STATE = InsightState.__table__  # type: ignore[attr-defined]
SHIPMENTS = Shipment.__table__  # type: ignore[attr-defined]
ORDERS = Order.__table__  # type: ignore[attr-defined]

# A row stamped by a transaction that committed after a refresh started is still caught.
LAG = timedelta(minutes=2)
BATCH = 10_000  # ids per transaction when building from scratch (SQLite writers wait)
CHUNK = 2_000  # changed ids per transaction when catching up
LOCK = "insights-rollups"
LOCK_TTL = timedelta(minutes=10)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY_LENGTH = timedelta(days=1)

DELIVERED = "delivered"  # bucket: 0 no promise, 1 delivered after it, 2 by it
TRANSIT = "transit"  # bucket: whole hours from hand-over to delivery; summed per hour
ORDER_STAGES = (
    ("placed_to_processing", "placed_at", "processing_at"),
    ("processing_to_shipped", "processing_at", "shipped_at"),
)
SHIPMENT_STAGES = ("shipped_to_first_scan", "first_scan_to_delivered")


@dataclass(frozen=True)
class Part:
    """A measure's facts of one carrier ("" for order stages), week and bucket, summed."""

    carrier: str
    week: int
    bucket: int
    count: int
    seconds: float


@dataclass
class RefreshStats:
    """What a refresh did."""

    rebuilt: bool = False
    days: int = 0  # days whose sums were recomputed
    refreshed: bool = True  # False: another replica holds the lease


# --- the facts, in SQL ---------------------------------------------------------------


def _fact(source: str, source_id: Any, measure: str, at: Any, carrier: Any, bucket: Any,
          seconds: Any, place: Any = None) -> Any:  # fmt: skip
    return select(
        literal(source).label("source"),
        source_id.label("source_id"),
        literal(measure).label("measure"),
        at.label("at"),
        day_number(at).label("day"),
        carrier.label("carrier"),
        (literal("") if place is None else place).label("place"),
        bucket.label("bucket"),
        seconds.label("seconds"),
    )


def shipment_facts(which: Any) -> Any:
    """The facts of the shipments `which` (a condition on the shipment table) selects."""
    S, OD = q.S, q.OD
    base = (
        select(
            S.id.label("id"),
            S.carrier.label("carrier"),
            S.delivered_at.label("delivered_at"),
            func.coalesce(S.shipped_at, OD.shipped_at).label("shipped"),
            OD.promised_by.label("promised_by"),
            q.first_scan_at().label("first_scan"),
            func.coalesce(S.shipped_at, S.created_at).label("handed_over"),
            place_of(OD).label("place"),
        )
        .join(Order, OD.id == S.order_id)
        .where(which)
        .cte("shipment_base")
        .prefix_with("MATERIALIZED")  # the first-scan look-up once per shipment
    )
    b = base.c
    on_time = case((b.promised_by.is_(None), 0), (b.delivered_at <= b.promised_by, 2), else_=1)
    scan_to_door = seconds_between(b.delivered_at, b.first_scan)
    to_scan = seconds_between(b.first_scan, b.shipped)
    in_transit = cast(seconds_between(b.delivered_at, b.handed_over), BigInteger) // 3600
    return union_all(
        # What the backtest of predicted windows learns from (core.tracking.transit).
        _fact("s", b.id, TRANSIT, b.delivered_at, b.carrier, in_transit, literal(0.0),
              b.place).where(b.delivered_at.is_not(None), in_transit >= 0),
        _fact("s", b.id, DELIVERED, b.delivered_at, b.carrier, on_time,
              literal(0.0)).where(b.delivered_at.is_not(None)),
        _fact("s", b.id, "first_scan_to_delivered", b.delivered_at, b.carrier,
              q.duration_bucket(scan_to_door), scan_to_door).where(
            b.delivered_at.is_not(None), b.first_scan.is_not(None), scan_to_door >= 0),
        _fact("s", b.id, "shipped_to_first_scan", b.first_scan, b.carrier,
              q.duration_bucket(to_scan), to_scan).where(
            b.first_scan.is_not(None), b.shipped.is_not(None), to_scan >= 0),
    )  # fmt: skip


def order_facts(which: Any) -> Any:
    """The facts of the orders `which` (a condition on the order table) selects."""
    OD = q.OD
    parts = []
    for measure, start, end in ORDER_STAGES:
        seconds = seconds_between(OD[end], OD[start])
        parts.append(
            _fact("o", OD.id, measure, OD[end], literal(""), q.duration_bucket(seconds),
                  seconds).where(which, OD[end].is_not(None), OD[start].is_not(None),
                                 seconds >= 0)
        )  # fmt: skip
    return union_all(*parts)


_COLUMNS = ["source", "source_id", "measure", "at", "day", "carrier", "place", "bucket", "seconds"]


def place_of(orders: Any) -> Any:
    """Where an order goes, as the transit model groups it: "COUNTRY|POSTCODE PREFIX"."""
    return (
        func.upper(func.coalesce(orders.ship_country, ""))
        + "|"
        + func.upper(func.substr(func.coalesce(orders.ship_postcode, ""), 1, PREFIX_LENGTH))
    )


def split_place(place: str) -> tuple[str, str]:
    """(country, region) of a `place_of` value."""
    country, _, prefix = place.partition("|")
    return country, region_of(prefix)


async def _store_facts(session: AsyncSession, facts: Any) -> None:
    await session.execute(insert(FACT).from_select(_COLUMNS, facts))


async def _sum_days(session: AsyncSession, days: Iterable[int] | None) -> int:
    """Recompute `insight_day` and `insight_hour` for `days` (every day when None) from
    the facts; how many days that was."""
    if days is None:
        await session.execute(delete(DAY))
        await session.execute(delete(HOUR))
        await _sum(session, None)
        return int((await session.execute(select(func.count(func.distinct(DC.day))))).scalar_one())
    ordered = sorted(set(days))
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        await session.execute(delete(DAY).where(DC.day.in_(chunk)))
        await session.execute(delete(HOUR).where(HC.day.in_(chunk)))
        await _sum(session, chunk)
    return len(ordered)


async def _sum(session: AsyncSession, days: list[int] | None) -> None:
    among = [] if days is None else [FC.day.in_(days)]
    per_day = (
        select(FC.day, FC.measure, FC.carrier, FC.bucket, func.count(), func.sum(FC.seconds))
        .where(FC.measure != TRANSIT, *among)
        .group_by(FC.day, FC.measure, FC.carrier, FC.bucket)
    )
    await session.execute(
        insert(DAY).from_select(["day", "measure", "carrier", "bucket", "count", "seconds"],
                                per_day)
    )  # fmt: skip
    hour = hour_number(FC.at)
    per_hour = (
        select(FC.day, hour, FC.carrier, FC.place, FC.bucket, func.count())
        .where(FC.measure == TRANSIT, *among)
        .group_by(FC.day, hour, FC.carrier, FC.place, FC.bucket)
    )
    await session.execute(
        insert(HOUR).from_select(["day", "hour", "carrier", "place", "transit_hour", "count"],
                                 per_hour)
    )  # fmt: skip


# --- refreshing ----------------------------------------------------------------------


async def built_through(session: AsyncSession) -> datetime | None:
    """When the rollups were last brought up to date; None if they were never built."""
    return (await _state(session))[0]


async def _state(session: AsyncSession) -> tuple[datetime | None, int]:
    row = (
        await session.execute(
            select(STATE.c.built_through, STATE.c.generation).where(STATE.c.id == 1)
        )
    ).first()
    return (None, 0) if row is None else (row[0], int(row[1]))


async def rebuild_later(session: AsyncSession) -> None:
    """Have the next refresh build the rollups from scratch (after a bulk load that wrote
    rows with old `updated_at` stamps, which a refresh would not see). A refresh running
    meanwhile does not undo it: it only records its work if the generation is unchanged."""
    await session.execute(
        update(STATE)
        .where(STATE.c.id == 1)
        .values(built_through=None, generation=STATE.c.generation + 1)
    )


async def refresh(database: Database, clock: Clock, *, holder: str) -> RefreshStats:
    """Bring the rollups up to date with the shop (see the module docstring)."""
    started = clock.now()
    async with database.transaction() as session:
        if not await locks.try_lock(session, clock, LOCK, holder, LOCK_TTL):
            return RefreshStats(refreshed=False)
        built, generation = await _state(session)

    async def keep_lease(session: AsyncSession) -> None:
        await locks.extend_until(session, LOCK, holder, clock.now() + LOCK_TTL)

    try:
        if built is None:
            stats = await _rebuild(database, keep_lease)
        else:
            stats = await _catch_up(database, keep_lease, since=built - LAG)
        async with database.transaction() as session:
            await session.execute(
                update(STATE)
                .where(STATE.c.id == 1, STATE.c.generation == generation)
                .values(built_through=started)
            )
    finally:
        async with database.transaction() as session:
            await locks.release(session, LOCK, holder)
    return stats


KeepLease = Callable[[AsyncSession], Awaitable[None]]


async def _rebuild(database: Database, keep_lease: KeepLease) -> RefreshStats:
    async with database.transaction() as session:
        await session.execute(delete(FACT))
        last_shipment = (await session.execute(select(func.max(q.S.id)))).scalar() or 0
        last_order = (await session.execute(select(func.max(q.OD.id)))).scalar() or 0
    for facts, column, last in (
        (shipment_facts, q.S.id, last_shipment),
        (order_facts, q.OD.id, last_order),
    ):
        for low in range(0, int(last) + 1, BATCH):
            async with database.transaction() as session:
                await _store_facts(session, facts(and_(column >= low, column < low + BATCH)))
                await keep_lease(session)
    async with database.transaction() as session:
        await keep_lease(session)
        days = await _sum_days(session, None)
    return RefreshStats(rebuilt=True, days=days)


async def _catch_up(database: Database, keep_lease: KeepLease, *, since: datetime) -> RefreshStats:
    s1, s2, o1 = SHIPMENTS.alias("s1"), SHIPMENTS.alias("s2"), ORDERS.alias("o1")
    changed_shipments = union(
        select(s1.c.id).where(s1.c.updated_at >= since),
        # an order's promise and hand-over time are part of its shipments' facts
        select(s2.c.id).join(o1, o1.c.id == s2.c.order_id).where(o1.c.updated_at >= since),
    )
    changed_orders = select(ORDERS.c.id).where(ORDERS.c.updated_at >= since)
    summed = 0
    async with database.transaction() as session:
        # Read once: on PostgreSQL each later statement would see its own snapshot, and a
        # row changed in between could lose its old facts' day or collide on insert.
        shipments = sorted((await session.execute(changed_shipments)).scalars())
        orders = sorted((await session.execute(changed_orders)).scalars())
    for source, ids, facts, column in (
        ("s", shipments, shipment_facts, q.S.id),
        ("o", orders, order_facts, q.OD.id),
    ):
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            theirs = and_(FC.source == source, FC.source_id.in_(chunk))
            async with database.transaction() as session:
                days = set(
                    (await session.execute(select(FC.day).where(theirs).distinct())).scalars()
                )
                await session.execute(delete(FACT).where(theirs))
                await _store_facts(session, facts(column.in_(chunk)))
                days |= set(
                    (await session.execute(select(FC.day).where(theirs).distinct())).scalars()
                )
                summed += await _sum_days(session, days)
                await keep_lease(session)
    return RefreshStats(days=summed)


# --- reading -------------------------------------------------------------------------


def day_of(moment: datetime) -> int:
    """The UTC day number of `moment` (as `day_number` computes it in SQL)."""
    return (moment - EPOCH) // DAY_LENGTH


def start_of(day: int) -> datetime:
    return EPOCH + day * DAY_LENGTH


async def parts(
    session: AsyncSession, scope: q.Scope, measures: Iterable[str]
) -> dict[str, list[Part]]:
    """Each measure's facts in the scope's period, summed per carrier, week and bucket:
    whole days from `insight_day`, the partial first and last day from the facts."""
    wanted = list(measures)
    first_whole = math.ceil((scope.since - EPOCH) / DAY_LENGTH)
    after_whole = day_of(scope.until)
    edges: list[tuple[datetime, datetime]] = []
    if first_whole >= after_whole:
        edges.append((scope.since, scope.until))
    else:
        if scope.since < start_of(first_whole):
            edges.append((scope.since, start_of(first_whole)))
        if start_of(after_whole) < scope.until:
            edges.append((start_of(after_whole), scope.until))
    sums: dict[tuple[str, str, int, int], list[float]] = defaultdict(lambda: [0, 0.0])

    async def add(measure: Any, carrier: Any, week: Any, bucket: Any, count: Any,
                  seconds: Any, *where: Any) -> None:  # fmt: skip
        statement = select(measure, carrier, week, bucket, count, func.sum(seconds))
        statement = statement.where(measure.in_(wanted), *where)
        if scope.carrier is not None:
            statement = statement.where(carrier == scope.carrier)
        grouped = statement.group_by(measure, carrier, week, bucket)
        for m, c, w, b, n, total in await q.fetch_rows(session, grouped):
            summed = sums[(m, c, int(w), int(b))]
            summed[0] += int(n)
            summed[1] += float(total or 0.0)

    anchor_day = day_of(scope.anchor)
    for low, high in edges:
        week = (day_number(FC.at) - anchor_day) // 7  # exact, as for the whole days
        await add(FC.measure, FC.carrier, week, FC.bucket, func.count(), FC.seconds,
                  FC.at >= low, FC.at < high)  # fmt: skip
    if first_whole < after_whole:
        week = (DC.day - anchor_day) // 7
        await add(DC.measure, DC.carrier, week, DC.bucket, func.sum(DC.count), DC.seconds,
                  DC.day >= first_whole, DC.day < after_whole)  # fmt: skip
    found: dict[str, list[Part]] = {measure: [] for measure in wanted}
    for (measure, carrier, week_number, bucket), (count, seconds) in sorted(sums.items()):
        found[measure].append(Part(carrier, week_number, bucket, int(count), seconds))
    return found


def durations(found: list[Part]) -> list[q.DurationBucket]:
    """A measure's parts as the histogram the report's quantiles read."""
    return [
        q.DurationBucket(p.carrier or None, p.week, p.seconds / p.count, p.count)
        for p in found
        if p.count
    ]


def deliveries(found: list[Part]) -> list[q.DeliveryRow]:
    """The "delivered" parts as per-carrier, per-week delivery rows."""
    rows: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for p in found:
        row = rows[(p.carrier, p.week)]
        row[0] += p.count
        row[1] += p.count if p.bucket in (1, 2) else 0
        row[2] += p.count if p.bucket == 2 else 0
    return [q.DeliveryRow(c, w, n, promised, on_time) for (c, w), (n, promised, on_time)
            in sorted(rows.items())]  # fmt: skip


async def transit_history(
    session: AsyncSession, origin_hour: int, until: datetime
) -> list[tuple[str, str, str, int, int, int]]:
    """Deliveries in [origin_hour, until) as (carrier, country, region, transit hours,
    UTC hour, count): whole hours from `insight_hour`, the last partial hour from facts."""
    last_hour = (until - EPOCH) // timedelta(hours=1)
    whole = select(HC.carrier, HC.place, HC.transit_hour, HC.hour, HC.count).where(
        HC.hour >= origin_hour, HC.hour < last_hour
    )
    hour = hour_number(FC.at)
    partial = (
        select(FC.carrier, FC.place, FC.bucket, hour, func.count())
        .where(
            FC.measure == TRANSIT,
            FC.at >= EPOCH + timedelta(hours=max(last_hour, origin_hour)),
            FC.at < until,
        )
        .group_by(FC.carrier, FC.place, FC.bucket, hour)
    )
    rows = [*await q.fetch_rows(session, whole), *await q.fetch_rows(session, partial)]
    return [(c, *split_place(p), int(h), int(at), int(n)) for c, p, h, at, n in rows]
