"""How good predicted windows were: a backtest over delivered shipments.

Each shipment delivered in the period is predicted as it would have been when it was
handed over — from the deliveries completed before that moment, within the same
`HISTORY` — and scored: inside the window, early, or late. Nothing from the future leaks
into a prediction (a delivery counts from the end of the hour it arrived in), so the
share inside is what shoppers would have seen come true.

History comes out of the database already counted per (carrier, country, region, transit
hour, UTC hour of delivery) — from the rollups' hourly sums once they are built — and at
most `MAX_TARGETS` deliveries of the period are scored (every k-th by id), so a busy
half-year of a million orders stays a modest read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, literal, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.insights import rollups
from core.runtime.zones import zone
from core.storage.models import Order
from core.storage.sqltime import hour_number, seconds_between
from core.tracking.prediction import COVERAGE, HISTORY, OD, S, window_from
from core.tracking.transit import (
    MIN_SAMPLES,
    PREFIX_LENGTH,
    TransitModel,
    region_of,
    transit_hours_expression,
)


@dataclass(frozen=True)
class CarrierAccuracy:
    evaluated: int
    inside: int
    share: float | None


@dataclass(frozen=True)
class Accuracy:
    """Backtest of predicted windows over deliveries in a period."""

    target_share: float  # what the window is built to hold (0.8)
    evaluated: int  # deliveries that got a prediction
    inside: int
    early: int
    late: int
    unpredicted: int  # too little history at the time
    share: float | None  # inside / evaluated
    mean_width_days: float | None
    by_carrier: dict[str, CarrierAccuracy] = field(default_factory=dict)


MAX_TARGETS = 5_000  # deliveries scored; a larger period is sampled evenly
HOUR = 3600


@dataclass(frozen=True)
class _Known:
    """`count` deliveries of one group and transit hour, delivered in hour `hour_index`."""

    carrier: str
    country: str
    region: str
    transit_hour: int
    hour_index: int  # whole hours after the history's origin
    count: int


@dataclass(frozen=True)
class _Target:
    carrier: str
    country: str
    region: str
    handed_over: float  # seconds after the history's origin
    delivered: float
    timezone: str | None


def _columns(origin: datetime) -> tuple[Any, ...]:
    return (
        S.carrier,
        func.upper(OD.ship_country),
        func.upper(func.substr(OD.ship_postcode, 1, PREFIX_LENGTH)),
    )


async def backtest(
    session: AsyncSession,
    *,
    since: datetime,
    until: datetime,
    carrier: str | None = None,
    timezone: str = "UTC",
    min_samples: int = MIN_SAMPLES,
    max_targets: int = MAX_TARGETS,
) -> Accuracy:
    """Score the windows that deliveries in [since, until) would have been promised."""
    # The history starts on a whole UTC hour, so it can be read from hourly sums.
    origin_hour = (since - HISTORY - rollups.EPOCH) // timedelta(hours=1)
    origin = rollups.EPOCH + timedelta(hours=origin_hour)
    if await rollups.built_through(session) is not None:
        rows = await rollups.transit_history(session, origin_hour, until)
    else:
        rows = await _history(session, origin, until)
    history = sorted(
        (_Known(c, k, r, h, at - origin_hour, n) for c, k, r, h, at, n in rows),
        key=lambda d: d.hour_index,
    )
    carrier_col, country, region = _columns(origin)
    transit = transit_hours_expression()
    in_period = [S.delivered_at >= since, S.delivered_at < until]
    if carrier is not None:
        in_period.append(S.carrier == carrier)
    total = (await _rows(session, select(func.count()).where(*in_period)))[0][0]
    step = max(1, -(-int(total) // max_targets))  # ceiling division: every step-th by id
    handed_over = func.coalesce(S.shipped_at, S.created_at)
    chosen = (
        select(
            carrier_col,
            country,
            region,
            transit,
            seconds_between(handed_over, literal(origin)),
            seconds_between(S.delivered_at, literal(origin)),
            OD.ship_timezone,
        )
        .join(Order, OD.id == S.order_id)  # type: ignore[arg-type]
        .where(*in_period, S.id % step == 0)
    )
    targets = sorted(
        (
            _Target(c, k or "", region_of(r), float(start), float(done), tz)
            for c, k, r, h, start, done, tz in await _rows(session, chosen)
            if h is not None and h >= 0 and start is not None
        ),
        key=lambda t: t.handed_over,
    )
    return _score(history, targets, min_samples, origin, timezone)


async def _history(
    session: AsyncSession, origin: datetime, until: datetime
) -> list[tuple[str, str, str, int, int, int]]:
    """What `rollups.transit_history` reads, from the tables (rollups not built yet)."""
    carrier_col, country, region = _columns(origin)
    transit = transit_hours_expression()
    delivered_hour = hour_number(S.delivered_at)
    known = (
        select(carrier_col, country, region, transit, delivered_hour, func.count())
        .join(Order, OD.id == S.order_id)  # type: ignore[arg-type]
        .where(S.delivered_at >= origin, S.delivered_at < until)
        .group_by(carrier_col, country, region, transit, delivered_hour)
    )
    return [
        (c, k or "", region_of(r), int(h), int(at), int(n))
        for c, k, r, h, at, n in await _rows(session, known)
        if h is not None and h >= 0
    ]


async def _rows(session: AsyncSession, statement: Any) -> list[Any]:
    return list((await session.exec(statement)).all())  # type: ignore[call-overload]


def _score(
    history: list[_Known],
    targets: list[_Target],
    min_samples: int,
    origin: datetime,
    timezone: str,
) -> Accuracy:
    model = TransitModel(min_samples=min_samples)
    added = removed = 0
    inside = early = late = unpredicted = 0
    widths: list[int] = []
    per_carrier: dict[str, list[int]] = {}
    window_seconds = HISTORY.total_seconds()
    for target in targets:
        # Learn what was known at hand-over: delivered before it, within HISTORY of it.
        while added < len(history) and (history[added].hour_index + 1) * HOUR <= target.handed_over:
            d = history[added]
            model.add(d.carrier, d.country, d.region, d.transit_hour, d.count)
            added += 1
        while (
            removed < added
            and (history[removed].hour_index + 1) * HOUR <= target.handed_over - window_seconds
        ):
            d = history[removed]
            model.remove(d.carrier, d.country, d.region, d.transit_hour, d.count)
            removed += 1
        tz = zone(target.timezone, timezone)
        window = window_from(
            model,
            carrier=target.carrier,
            country=target.country,
            postcode=target.region,
            handed_over=origin + timedelta(seconds=target.handed_over),
            timezone=tz.key,
        )
        if window is None:
            unpredicted += 1
            continue
        tally = per_carrier.setdefault(target.carrier, [0, 0])
        tally[0] += 1
        widths.append((window.latest - window.earliest).days + 1)
        delivered_on = (origin + timedelta(seconds=target.delivered)).astimezone(tz).date()
        if window.earliest <= delivered_on <= window.latest:
            inside += 1
            tally[1] += 1
        elif delivered_on < window.earliest:
            early += 1
        else:
            late += 1
    evaluated = inside + early + late
    return Accuracy(
        target_share=COVERAGE[1] - COVERAGE[0],
        evaluated=evaluated,
        inside=inside,
        early=early,
        late=late,
        unpredicted=unpredicted,
        share=inside / evaluated if evaluated else None,
        mean_width_days=sum(widths) / len(widths) if widths else None,
        by_carrier={
            name: CarrierAccuracy(n, k, k / n if n else None)
            for name, (n, k) in sorted(per_carrier.items())
        },
    )
