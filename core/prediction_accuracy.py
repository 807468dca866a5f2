"""How good predicted windows were: a backtest over delivered shipments.

Each shipment delivered in the period is predicted as it would have been when it was
handed over — from the deliveries completed before that moment, within the same
`HISTORY` — and scored: inside the window, early, or late. Nothing from the future leaks
into a prediction, so the share inside is what shoppers would have seen come true.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, literal, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.messages import zone
from core.models import Order
from core.prediction import COVERAGE, HISTORY, OD, S, window_from
from core.sqltime import seconds_between
from core.transit import (
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


@dataclass(frozen=True)
class _Delivery:
    carrier: str
    country: str
    region: str
    hour: int
    handed_over: float  # seconds after the start of the history (plain numbers: cheap)
    delivered: float
    timezone: str | None


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
    """Score the windows that deliveries in [since, until) would have been promised.

    Every delivery of the preceding `HISTORY` feeds the model; at most `max_targets`
    deliveries of the period (evenly spread) are scored.
    """
    origin = since - HISTORY
    handed_over = func.coalesce(S.shipped_at, S.created_at)
    statement = (
        select(
            S.carrier,
            func.upper(OD.ship_country),
            func.upper(func.substr(OD.ship_postcode, 1, PREFIX_LENGTH)),
            transit_hours_expression(),
            seconds_between(handed_over, literal(origin)),
            seconds_between(S.delivered_at, literal(origin)),
            OD.ship_timezone,
        )
        .join(Order, OD.id == S.order_id)  # type: ignore[arg-type]
        .where(S.delivered_at >= origin, S.delivered_at < until)
    )
    rows: list[Any] = (await session.exec(statement)).all()  # type: ignore[call-overload]
    history = sorted(
        (
            _Delivery(c, country or "", region_of(r), int(h), float(start), float(done), tz)
            for c, country, r, h, start, done, tz in rows
            if h is not None and h >= 0 and start is not None
        ),
        key=lambda d: d.delivered,
    )
    period_start = (since - origin).total_seconds()
    candidates = [
        d
        for d in history
        if d.delivered >= period_start and (carrier is None or d.carrier == carrier)
    ]
    step = max(1, -(-len(candidates) // max_targets))  # ceiling division
    targets = sorted(candidates[::step], key=lambda d: d.handed_over)
    return _score(history, targets, min_samples, origin, timezone)


def _score(
    history: list[_Delivery],
    targets: list[_Delivery],
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
        while added < len(history) and history[added].delivered <= target.handed_over:
            d = history[added]
            model.add(d.carrier, d.country, d.region, d.hour)
            added += 1
        while removed < added and history[removed].delivered < target.handed_over - window_seconds:
            d = history[removed]
            model.remove(d.carrier, d.country, d.region, d.hour)
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
