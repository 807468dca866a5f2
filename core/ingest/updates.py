"""Apply a tracking update idempotently: store the event once, move the shipment and the
order along, and enqueue the pushes it causes — all inside the caller's transaction.

Every source (carrier webhooks, the ingest API, polling clients, the simulated carrier)
turns what it hears into `TrackingUpdate`s and calls `apply_tracking_update(s)`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.ingest.events import event_key, event_row, insert_events, known_events
from core.ingest.order_progress import date_moved, move_order, stamp_milestones
from core.ingest.tracking_update import TrackingUpdate
from core.pushes.changes import PushKind, notify_followers, push_kind_for_change
from core.pushes.live import mark_due
from core.runtime import metrics
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage.models import Order, Shipment
from core.tracking.statuses import ShipmentStatus, is_regression, returning_to_sender

log = logging.getLogger(__name__)

_STOP_POLLING = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.EXPIRED})


class ApplyOutcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # this source already delivered this event
    UNKNOWN_TRACKING = "unknown_tracking"  # no shipment carries the tracking number


@dataclass(frozen=True)
class ApplyResult:
    outcome: ApplyOutcome
    shipment_id: int | None = None
    order_id: int | None = None
    event_id: int | None = None
    previous_status: ShipmentStatus | None = None
    status: ShipmentStatus | None = None
    status_changed: bool = False
    eta_changed: bool = False
    pushes: int = 0


async def apply_tracking_update(
    session: AsyncSession, clock: Clock, config: CoreConfig, update: TrackingUpdate
) -> ApplyResult:
    """Apply one update in the caller's transaction (see the module docstring)."""
    return (await apply_tracking_updates(session, clock, config, [update]))[0]


async def apply_tracking_updates(
    session: AsyncSession, clock: Clock, config: CoreConfig, updates: Sequence[TrackingUpdate]
) -> list[ApplyResult]:
    """Apply many updates in one transaction, oldest event first; results in input order.

    A handful of statements per batch, whatever its size: shipments, orders and known
    events are read at once, changes are made in memory (no autoflush, so the changed
    shipments are written together at commit) and the new events go in one INSERT.
    """
    shipments = await _shipments_for(session, sorted({u.tracking_number for u in updates}))
    orders = await _orders_for(session, {s.order_id for ss in shipments.values() for s in ss})
    seen = await known_events(session, (event_key(u) for u in updates))
    results: dict[int, ApplyResult] = {}
    rows: dict[int, dict[str, object]] = {}
    with session.no_autoflush:
        for index in sorted(range(len(updates)), key=lambda i: updates[i].occurred_at):
            update = updates[index]
            fresh = event_key(update) not in seen
            seen.add(event_key(update))  # the same event twice in one batch counts once
            results[index], row = await _apply(
                session, clock, config, update, shipments, orders, fresh=fresh
            )
            if row is not None:
                rows[index] = row
    stored = await insert_events(session, list(rows.values()))
    for index in rows:
        event_id = stored.get(event_key(updates[index]))
        # None: a concurrent transaction stored this very event a moment ago. Applying
        # it twice is harmless (same status, same dedupe keys); report it as a duplicate.
        results[index] = replace(
            results[index],
            event_id=event_id,
            outcome=results[index].outcome if event_id else ApplyOutcome.DUPLICATE,
        )
    changed = {r.order_id for r in results.values() if r.event_id and r.order_id is not None}
    if changed:  # the followers' live status messages show the orders as they are now
        await mark_due(session, clock, config, changed)
    for index, update in enumerate(updates):
        metrics.tracking_update(update.source, _metric_result(update, results[index]))
    return [results[i] for i in range(len(updates))]


def _metric_result(update: TrackingUpdate, result: ApplyResult) -> str:
    """How /metrics labels one update: applied, duplicate, unknown_status, unknown_shipment."""
    if result.outcome is ApplyOutcome.UNKNOWN_TRACKING:
        return "unknown_shipment"
    if result.outcome is ApplyOutcome.APPLIED and update.status is None:
        return "unknown_status"  # stored, but the shopper still sees the last known status
    return result.outcome.value


async def _orders_for(session: AsyncSession, ids: set[int]) -> dict[int, Order]:
    found: dict[int, Order] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        for order in await session.exec(select(Order).where(col(Order.id).in_(chunk))):
            assert order.id is not None
            found[order.id] = order
    return found


async def _shipments_for(
    session: AsyncSession, tracking_numbers: Sequence[str]
) -> dict[str, list[Shipment]]:
    found: dict[str, list[Shipment]] = {}
    # Chunked so a huge batch never exceeds a driver's bound-parameter limit.
    for start in range(0, len(tracking_numbers), 500):
        chunk = list(tracking_numbers[start : start + 500])
        rows = await session.exec(select(Shipment).where(col(Shipment.tracking_number).in_(chunk)))
        for shipment in rows:
            found.setdefault(shipment.tracking_number, []).append(shipment)
    return found


def _pick(candidates: list[Shipment], carrier: str | None) -> Shipment | None:
    if carrier:
        same = [s for s in candidates if s.carrier.lower() == carrier.lower()]
        candidates = same or candidates
    # The same number reused later by a carrier: the newest shipment is the live one.
    return max(candidates, key=lambda s: s.id or 0, default=None)


async def _apply(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    update: TrackingUpdate,
    shipments: dict[str, list[Shipment]],
    orders: dict[int, Order],
    *,
    fresh: bool,
) -> tuple[ApplyResult, dict[str, object] | None]:
    """Apply one update in memory; the result and the event row to store (None: nothing)."""
    shipment = _pick(shipments.get(update.tracking_number, []), update.carrier)
    if shipment is None or shipment.id is None:
        log.info("tracking update for an unknown tracking number from %s", update.source)
        return ApplyResult(ApplyOutcome.UNKNOWN_TRACKING), None
    now = clock.now()
    previous = ShipmentStatus(shipment.status)
    if not fresh:
        duplicate = ApplyResult(
            ApplyOutcome.DUPLICATE,
            shipment_id=shipment.id,
            order_id=shipment.order_id,
            previous_status=previous,
            status=previous,
        )
        return duplicate, None
    # An unknown code is stored under the last known status: never shown as bad news.
    row = event_row(now, shipment.id, update, update.status or previous)
    if update.status is None:
        log.warning(
            "unknown status %r from %s for shipment %s; keeping %s",
            update.raw_status,
            update.source,
            shipment.id,
            previous.value,
        )

    newest = shipment.last_event_at is None or update.occurred_at >= shipment.last_event_at
    new = update.status
    changes = (
        new is not None
        and new != previous
        and not is_regression(previous, new)
        # An older event may still complete the journey; otherwise the newest event rules.
        and (newest or new == ShipmentStatus.DELIVERED)
    )
    if newest:
        # A scan dated in the future (clock skew at the carrier) must not hide later scans.
        shipment.last_event_at = min(update.occurred_at, now)
        if update.location:
            shipment.last_location = update.location
    if changes:
        assert new is not None
        shipment.status = new.value
        shipment.substatus = update.substatus
        stamp_milestones(shipment, new, update.occurred_at)
        if new in _STOP_POLLING:
            shipment.next_poll_at = None
    previous_eta = shipment.eta
    eta_changed = update.eta is not None and newest and update.eta != previous_eta
    if eta_changed:
        shipment.eta = update.eta
    shipment.updated_at = now
    session.add(shipment)

    order = orders.get(shipment.order_id) or await session.get(Order, shipment.order_id)
    assert order is not None
    if changes:
        await move_order(session, now, order)
        # Exception detection looks at the order again on its next tick (core.staff.detection).
        order.next_check_at = now
        session.add(order)

    pushes = 0
    kind = push_kind_for_change(previous, ShipmentStatus(shipment.status)) if changes else None
    if (
        newest
        and shipment.status == ShipmentStatus.EXCEPTION
        and returning_to_sender(update.substatus, update.raw_status)
    ):
        kind = PushKind.RETURNED_TO_SENDER  # not a hold-up that sorts itself out
    if kind is not None:
        pushes = await notify_followers(
            session, clock, config, order, shipment, kind,
            occurred_at=update.occurred_at, note=update.text,
        )  # fmt: skip
    elif eta_changed and date_moved(previous_eta, shipment, config):
        pushes = await notify_followers(
            session, clock, config, order, shipment, PushKind.ETA_CHANGED,
            occurred_at=update.occurred_at, previous_eta=previous_eta,
        )  # fmt: skip
    result = ApplyResult(
        ApplyOutcome.APPLIED,
        shipment_id=shipment.id,
        order_id=shipment.order_id,
        previous_status=previous,
        status=ShipmentStatus(shipment.status),
        status_changed=changes,
        eta_changed=eta_changed,
        pushes=pushes,
    )
    return result, row
