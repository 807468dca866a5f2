"""One webhook delivery (a shop or carrier push), parsed, applied once in one transaction.

Adapters turn a platform's payload into a `Delivery`; `apply_delivery` records its id
(a replay is skipped), upserts the orders and shipments it names, and feeds its tracking
updates through `core.ingest.updates`, which stores each event once and enqueues pushes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.ingest import intake
from core.ingest.storable import text_problem
from core.ingest.tracking_update import TrackingUpdate
from core.ingest.updates import ApplyOutcome, ApplyResult, apply_tracking_updates
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage.models import ProcessedUpdate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    """What one webhook delivery asks wismo to do; `delivery_id` makes a replay a no-op."""

    source: str
    delivery_id: str
    kind: str = ""
    orders: tuple[intake.OrderData, ...] = ()
    shipments: tuple[intake.ShipmentData, ...] = ()
    updates: tuple[TrackingUpdate, ...] = ()
    ignored_reason: str = ""  # set when the payload carries nothing wismo tracks

    def __post_init__(self) -> None:
        # The id is stored (ProcessedUpdate): PostgreSQL refuses a NUL in it, for one.
        for name in ("delivery_id", "kind"):
            problem = text_problem(getattr(self, name))
            if problem:
                raise intake.IntakeError(name, problem)


@dataclass
class DeliveryOutcome:
    """What applying a delivery did."""

    duplicate: bool = False
    orders: int = 0
    shipments: int = 0
    events_applied: int = 0
    events_duplicate: int = 0
    pushes: int = 0
    unknown_tracking: list[str] = field(default_factory=list)


async def apply_delivery(
    session: AsyncSession, clock: Clock, config: CoreConfig, delivery: Delivery
) -> DeliveryOutcome:
    """Apply `delivery` inside the caller's transaction; a replayed delivery does nothing.

    Raises intake.IntakeError for an order or shipment that cannot be stored, so the
    caller's transaction rolls back and the platform retries later.
    """
    outcome = DeliveryOutcome()
    key = f"{delivery.kind}:{delivery.delivery_id}" if delivery.kind else delivery.delivery_id
    if not await _first_delivery(session, clock, f"webhook:{delivery.source}", key[:128]):
        outcome.duplicate = True
        return outcome
    actor = f"webhook:{delivery.source}"
    for order in delivery.orders:
        await intake.upsert_order(session, clock, order, actor=actor)
        outcome.orders += 1
    for shipment in delivery.shipments:
        await intake.upsert_shipment(session, clock, shipment, actor=actor)
        outcome.shipments += 1
    if delivery.updates:
        results = await apply_tracking_updates(session, clock, config, list(delivery.updates))
        for update, result in zip(delivery.updates, results, strict=True):
            _count(outcome, update, result)
    return outcome


async def _first_delivery(session: AsyncSession, clock: Clock, channel: str, key: str) -> bool:
    """Record the delivery id in the caller's transaction; False when it was seen before.

    A plain INSERT rather than a savepoint: pysqlite opens its transaction at the first
    DML statement, and a SAVEPOINT issued before that commits on RELEASE, so a delivery
    that later fails would stay marked as processed. A concurrent twin makes the INSERT
    fail with IntegrityError and the whole delivery roll back; the platform retries.
    """
    seen = await session.exec(
        select(ProcessedUpdate.id).where(
            ProcessedUpdate.channel == channel, ProcessedUpdate.update_key == key
        )
    )
    if seen.first() is not None:
        return False
    session.add(ProcessedUpdate(channel=channel, update_key=key, at=clock.now()))
    await session.flush()
    return True


def _count(outcome: DeliveryOutcome, update: TrackingUpdate, result: ApplyResult) -> None:
    if result.outcome == ApplyOutcome.DUPLICATE:
        outcome.events_duplicate += 1
    elif result.outcome == ApplyOutcome.UNKNOWN_TRACKING:
        outcome.unknown_tracking.append(update.tracking_number)
    else:
        outcome.events_applied += 1
        outcome.pushes += result.pushes
