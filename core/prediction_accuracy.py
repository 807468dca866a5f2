"""How good predicted windows were: a backtest over delivered shipments.

Each shipment delivered in the period is predicted as it would have been when it was
handed over — from the deliveries completed before that moment, within the same
`HISTORY` — and scored: inside the window, early, or late. Nothing from the future leaks
into a prediction, so the share inside is what shoppers would have seen come true.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.messages import zone
from core.models import Order
from core.prediction import COVERAGE, HISTORY, OD, S, window_from
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


@dataclass(frozen=True)
class _Delivery:
    carrier: str
    country: str
    region: str
    hour: int
    handed_over: datetime
    delivered_at: datetime
    timezone: str


async def backtest(
    session: AsyncSession,
    *,
    since: datetime,
    until: datetime,
    carrier: str | None = None,
    timezone: str = "UTC",
    min_samples: int = MIN_SAMPLES,
) -> Accuracy:
    """Score the windows that deliveries in [since, until) would have been promised."""
    handed_over = func.coalesce(S.shipped_at, S.created_at)
    statement = (
        select(
            S.carrier,
            func.upper(OD.ship_country),
            func.upper(func.substr(OD.ship_postcode, 1, PREFIX_LENGTH)),
            transit_hours_expression(),
            handed_over,
            S.delivered_at,
            OD.ship_timezone,
        )
        .join(Order, OD.id == S.order_id)  # type: ignore[arg-type]
        .where(S.delivered_at >= since - HISTORY, S.delivered_at < until)
    )
    rows: list[Any] = (await session.exec(statement)).all()  # type: ignore[call-overload]
    history = sorted(
        (
            _Delivery(c, country or "", region_of(r), int(h), start, done, zone(tz, timezone).key)
            for c, country, r, h, start, done, tz in rows
            if h is not None and h >= 0 and start is not None
        ),
        key=lambda d: d.delivered_at,
    )
    targets = sorted(
        (
            d
            for d in history
            if since <= d.delivered_at < until and (carrier is None or d.carrier == carrier)
        ),
        key=lambda d: d.handed_over,
    )
    return _score(history, targets, min_samples)


def _score(history: list[_Delivery], targets: list[_Delivery], min_samples: int) -> Accuracy:
    model = TransitModel(min_samples=min_samples)
    added = removed = 0
    inside = early = late = unpredicted = 0
    widths: list[int] = []
    per_carrier: dict[str, list[int]] = {}
    for target in targets:
        # Learn what was known at hand-over: delivered before it, within HISTORY of it.
        while added < len(history) and history[added].delivered_at <= target.handed_over:
            d = history[added]
            model.add(d.carrier, d.country, d.region, d.hour)
            added += 1
        while removed < added and history[removed].delivered_at < target.handed_over - HISTORY:
            d = history[removed]
            model.remove(d.carrier, d.country, d.region, d.hour)
            removed += 1
        window = window_from(
            model,
            carrier=target.carrier,
            country=target.country,
            postcode=target.region,
            handed_over=target.handed_over,
            timezone=target.timezone,
        )
        if window is None:
            unpredicted += 1
            continue
        tally = per_carrier.setdefault(target.carrier, [0, 0])
        tally[0] += 1
        widths.append((window.latest - window.earliest).days + 1)
        if window.contains(target.delivered_at):
            inside += 1
            tally[1] += 1
        elif target.delivered_at.astimezone(zone(window.timezone)).date() < window.earliest:
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
