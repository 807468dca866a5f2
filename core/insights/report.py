"""Insights for the shop: where fulfilment is slow and how much the bot takes off support.

`await build_report(session, now=..., since=...)` measures a period [since, until), for all
carriers or one, and returns an `InsightsReport` of plain dataclasses (`to_dict()` gives
JSON-safe data). Definitions, so the figures can be checked by hand:

- On time: a shipment delivered in the period whose order has a promised date counts as
  on time when `delivered_at <= promised_by`. Shipments of orders without a promise are
  delivered but neither on time nor late.
- Stages: placed → processing and processing → shipped are order-level (order
  timestamps); shipped → first carrier scan and first scan → delivered are per shipment
  (the first tracking event past `pending`/`info_received`). A duration belongs to the
  period in which its stage ended. p50/p90 interpolate linearly (`core.insights.quantiles`).
- Bottleneck: the stage with the highest median.
- Exceptions: flags raised in the period, by kind. Stuck now: shipments still with the
  carrier and silent for longer than `stuck_after`, whatever the period.
- Return rate: of the orders delivered in the period, the share with a return request
  that was not cancelled; reasons count requests made in the period.
- Questions: shopper messages logged in the period (shop-wide, even with a carrier
  filter); self-service rate = share answered by the bot without a person.
- Pushes: notifications created in the period by final state, shoppers and staff apart.

Stages and deliveries come from `core.insights.rollups` once they are built (callers run
`rollups.refresh` first, as `wismo insights` and the digests do), else from the tables;
both give the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from core.insights import counts, rollups
from core.insights import queries as q
from core.insights.prediction_accuracy import Accuracy, backtest
from core.insights.quantiles import weighted_quantile
from core.insights.types import (
    HOUR,
    STAGE_LABELS,
    STAGES,
    WISMO_INTENTS,
    CarrierRow,
    InsightsReport,
    OnTime,
    PushStats,
    QuestionStats,
    ReturnStats,
    StageDuration,
    WeekRow,
    on_time_of,
    rate,
)

__all__ = [
    "HOUR",
    "STAGES",
    "STAGE_LABELS",
    "WISMO_INTENTS",
    "CarrierRow",
    "InsightsReport",
    "OnTime",
    "PushStats",
    "QuestionStats",
    "ReturnStats",
    "StageDuration",
    "WeekRow",
    "build_report",
    "week_anchor",
]


def week_anchor(since: datetime) -> datetime:
    """Monday 00:00 UTC of the week that contains `since`."""
    monday = since.date() - timedelta(days=since.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=since.tzinfo)


def _hours(buckets: list[q.DurationBucket], p: float) -> float | None:
    value = weighted_quantile([(b.seconds, b.count) for b in buckets], p)
    return None if value is None else value / HOUR


def _stage(key: str, buckets: list[q.DurationBucket]) -> StageDuration:
    count = sum(b.count for b in buckets)
    return StageDuration(key, STAGE_LABELS[key], count, _hours(buckets, 0.5), _hours(buckets, 0.9))


def _bottleneck(stages: list[StageDuration]) -> str | None:
    measured = [s for s in stages if s.p50_hours is not None]
    if not measured:
        return None
    return max(measured, key=lambda s: (s.p50_hours or 0.0, s.p90_hours or 0.0)).stage


async def build_report(
    session: AsyncSession,
    *,
    now: datetime,
    since: datetime,
    until: datetime | None = None,
    carrier: str | None = None,
    stuck_after: timedelta = timedelta(hours=72),
    with_prediction: bool = False,
) -> InsightsReport:
    """Measure the period [since, until) (until defaults to `now`), for `carrier` or all."""
    until = until or now
    if since >= until:
        raise ValueError("the period must start before it ends")
    scope = q.Scope(since=since, until=until, carrier=carrier, anchor=week_anchor(since))
    durations, delivery_rows = await _durations_and_deliveries(session, scope)
    stages = [_stage(key, durations[key]) for key, _ in STAGES]
    flag_rows = await counts.flags_by_kind(session, scope)
    stuck_rows = await counts.stuck_now(session, now, stuck_after.total_seconds(), carrier)

    exceptions: dict[str, int] = defaultdict(int)
    for kind, _carrier, count in flag_rows:
        exceptions[kind] += count
    on_time = on_time_of(
        sum(r.delivered for r in delivery_rows),
        sum(r.with_promise for r in delivery_rows),
        sum(r.on_time for r in delivery_rows),
    )
    report_prediction: Accuracy | None = None
    if with_prediction:
        report_prediction = await backtest(session, since=since, until=until, carrier=carrier)

    return InsightsReport(
        since=since,
        until=until,
        carrier=carrier,
        on_time=on_time,
        stages=stages,
        bottleneck=_bottleneck(stages),
        exceptions=dict(sorted(exceptions.items(), key=lambda kv: (-kv[1], kv[0]))),
        flags_open=await counts.open_flags(session, carrier),
        stuck_now=sum(n for _c, n in stuck_rows),
        returns=await _returns(session, scope),
        questions=await _questions(session, scope),
        pushes=await _pushes(session, scope),
        carriers=_carrier_rows(durations, delivery_rows, flag_rows, stuck_rows),
        weeks=_weeks(scope, durations, delivery_rows),
        prediction=report_prediction,
    )


async def _durations_and_deliveries(
    session: AsyncSession, scope: q.Scope
) -> tuple[dict[str, list[q.DurationBucket]], list[q.DeliveryRow]]:
    """Stage histograms and delivery rows: from the rollups once they are built (an
    order's stages are the rollups' only without a carrier filter: an order has no
    carrier of its own), else from the tables."""
    order_stages = {measure: (start, end) for measure, start, end in rollups.ORDER_STAGES}
    if await rollups.built_through(session) is None:
        durations = {
            measure: await q.order_stage(session, scope, start, end)
            for measure, (start, end) in order_stages.items()
        }
        durations["shipped_to_first_scan"] = await q.shipped_to_first_scan(session, scope)
        durations["first_scan_to_delivered"] = await q.first_scan_to_delivered(session, scope)
        return durations, await q.deliveries(session, scope)
    measures = [rollups.DELIVERED, *rollups.SHIPMENT_STAGES]
    if scope.carrier is None:
        measures += list(order_stages)
    found = await rollups.parts(session, scope, measures)
    durations = {measure: rollups.durations(found[measure]) for measure in measures[1:]}
    for measure, (start, end) in order_stages.items():
        if measure not in durations:
            durations[measure] = await q.order_stage(session, scope, start, end)
    return durations, rollups.deliveries(found[rollups.DELIVERED])


def _carrier_rows(
    durations: dict[str, list[q.DurationBucket]],
    delivery_rows: list[q.DeliveryRow],
    flag_rows: list[tuple[str, str, int]],
    stuck_rows: list[tuple[str, int]],
) -> list[CarrierRow]:
    names = (
        {r.carrier for r in delivery_rows}
        | {c for _k, c, _n in flag_rows if c}
        | {c for c, _n in stuck_rows}
        | {r.carrier for r in durations["shipped_to_first_scan"] if r.carrier}
    )
    rows = []
    for name in sorted(names):
        mine = [r for r in delivery_rows if r.carrier == name]
        scan = [b for b in durations["shipped_to_first_scan"] if b.carrier == name]
        transit = [b for b in durations["first_scan_to_delivered"] if b.carrier == name]
        rows.append(
            CarrierRow(
                carrier=name,
                on_time=on_time_of(
                    sum(r.delivered for r in mine),
                    sum(r.with_promise for r in mine),
                    sum(r.on_time for r in mine),
                ),
                first_scan_p50_hours=_hours(scan, 0.5),
                transit_p50_hours=_hours(transit, 0.5),
                transit_p90_hours=_hours(transit, 0.9),
                exceptions=sum(n for _k, c, n in flag_rows if c == name),
                stuck_now=sum(n for c, n in stuck_rows if c == name),
            )
        )
    return rows


def _weeks(
    scope: q.Scope,
    durations: dict[str, list[q.DurationBucket]],
    delivery_rows: list[q.DeliveryRow],
) -> list[WeekRow]:
    first = int((scope.since - scope.anchor).total_seconds() // q.WEEK_SECONDS)
    last = int(((scope.until - scope.anchor).total_seconds() - 1e-6) // q.WEEK_SECONDS)
    rows = []
    for week in range(first, last + 1):
        mine = [r for r in delivery_rows if r.week == week]
        stage_p50: dict[str, float | None] = {}
        for key, _label in STAGES:
            stage_p50[key] = _hours([b for b in durations[key] if b.week == week], 0.5)
        with_promise = sum(r.with_promise for r in mine)
        rows.append(
            WeekRow(
                week_start=(scope.anchor + timedelta(weeks=week)).date(),
                delivered=sum(r.delivered for r in mine),
                on_time_rate=rate(sum(r.on_time for r in mine), with_promise),
                stage_p50_hours=stage_p50,
            )
        )
    return rows


async def _returns(session: AsyncSession, scope: q.Scope) -> ReturnStats:
    delivered, returned, reasons = await counts.returns(session, scope)
    return ReturnStats(delivered, returned, rate(returned, delivered), dict(reasons))


async def _questions(session: AsyncSession, scope: q.Scope) -> QuestionStats:
    rows = await counts.questions(session, scope)
    asked = sum(n for _i, n, _b in rows)
    by_bot = sum(b for _i, _n, b in rows)
    return QuestionStats(
        asked=asked,
        answered_by_bot=by_bot,
        self_service_rate=rate(by_bot, asked),
        wismo=sum(n for intent, n, _b in rows if intent in WISMO_INTENTS),
        by_intent={intent: n for intent, n, _b in rows},
    )


async def _pushes(session: AsyncSession, scope: q.Scope) -> PushStats:
    by_state: dict[tuple[bool, str], int] = defaultdict(int)
    for to_shopper, state, n in await counts.pushes(session, scope):
        by_state[(to_shopper, state)] += n
    sent, failed = by_state[(True, "sent")], by_state[(True, "failed")]
    return PushStats(
        sent=sent,
        failed=failed,
        waiting=by_state[(True, "pending")] + by_state[(True, "claimed")],
        cancelled=by_state[(True, "cancelled")],
        failure_rate=rate(failed, sent + failed),
        staff_alerts_sent=by_state[(False, "sent")],
        staff_alerts_failed=by_state[(False, "failed")],
    )
