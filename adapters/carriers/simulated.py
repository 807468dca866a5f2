"""A simulated carrier: moves the demo's parcels along, scan by scan, as a real one would.

It speaks the same `TrackingUpdate`s as every real source and goes through
`core.ingest.updates.apply_tracking_updates`, so the demo exercises the real path: events stored
once, no regressions, order status, and pushes to followers through the outbox.

Each tick advances a few active shipments picked at random (seeded, so a run can be
replayed), plus any shipment of a followed order that has been quiet for
`follow_every` — so a demo shopper who follows an order sees a push within moments.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.ingest import PollResult, PollTarget, TrackingUpdate, apply_tracking_updates
from core.runtime import Clock, CoreConfig
from core.sample import CARRIER_BY_CODE, CARRIERS, next_scan, place_of
from core.storage import Database, Order, Shipment, Subscription, TrackingEvent
from core.tracking import ShipmentStatus

log = logging.getLogger(__name__)

SOURCE = "simulated"
_MOVING = [
    s.value for s in ShipmentStatus if s not in (ShipmentStatus.DELIVERED, ShipmentStatus.EXPIRED)
]


@dataclass(frozen=True)
class ShipmentState:
    """What the simulator needs to know about one shipment to invent its next scan."""

    tracking_number: str
    carrier: str
    status: ShipmentStatus
    city: str
    scans: int = 0


@dataclass(frozen=True)
class TickResult:
    updates: int
    status_changes: int
    pushes: int


class SimulatedCarrier:
    """Invents each shipment's next scan; `tick` applies a few of them to the database."""

    def __init__(
        self,
        clock: Clock,
        *,
        seed: int = 0,
        per_tick: int = 2,
        follow_every: timedelta = timedelta(seconds=20),
    ) -> None:
        self.clock = clock
        self.rng = random.Random(seed)
        self.per_tick = per_tick
        self.follow_every = follow_every

    def updates_for(self, shipments: Sequence[ShipmentState]) -> list[TrackingUpdate]:
        """The next scan of each shipment that can still move, dated now."""
        now = self.clock.now()
        updates = []
        for shipment in shipments:
            carrier = CARRIER_BY_CODE.get(shipment.carrier, CARRIERS[0])
            scan = next_scan(
                shipment.status, carrier, place_of(shipment.city), shipment.scans, self.rng
            )
            if scan is None:
                continue
            updates.append(
                TrackingUpdate(
                    source=SOURCE,
                    source_event_id=f"{shipment.tracking_number}:{now.isoformat()}",
                    tracking_number=shipment.tracking_number,
                    status=scan.status,
                    occurred_at=now,
                    raw_status=scan.status.value,
                    substatus=scan.substatus,
                    location=scan.location,
                    text=scan.text,
                    carrier=shipment.carrier,
                )
            )
        return updates

    async def poll(self, targets: Sequence[PollTarget]) -> PollResult:
        """The CarrierSource port: the next scan of each target (the poll job applies them).

        A poll target carries no address, so scans near the door name the first sample
        city; `tick`, which reads the order, names the real one.
        """
        states = [
            ShipmentState(t.tracking_number, t.carrier, t.status, city="", scans=2) for t in targets
        ]
        return PollResult(updates=self.updates_for(states))

    async def tick(self, database: Database, config: CoreConfig) -> TickResult:
        """Advance a few shipments in one transaction (pushes are enqueued in it too)."""
        async with database.transaction() as session:
            chosen = await self._choose(session)
            updates = self.updates_for(chosen)
            results = await apply_tracking_updates(session, self.clock, config, updates)
        changes = sum(1 for r in results if r.status_changed)
        pushes = sum(r.pushes for r in results)
        if updates:
            log.info("simulated carrier: %d scans, %d status changes", len(updates), changes)
        return TickResult(len(updates), changes, pushes)

    async def _choose(self, session: AsyncSession) -> list[ShipmentState]:
        now = self.clock.now()
        moving = col(Shipment.status).in_(_MOVING)
        followed = await self._states(
            session,
            moving,
            col(Shipment.order_id).in_(
                select(Subscription.order_id).where(col(Subscription.active).is_(True))
            ),
            col(Shipment.last_event_at) <= now - self.follow_every,
        )
        total = (
            await session.execute(select(func.count()).select_from(Shipment).where(moving))
        ).scalar_one()
        picked: list[ShipmentState] = []
        if total:
            offsets = sorted(self.rng.sample(range(total), min(self.per_tick, total)))
            for offset in offsets:
                picked.extend(await self._states(session, moving, offset=offset, limit=1))
        seen = {s.tracking_number for s in followed}
        return followed + [s for s in picked if s.tracking_number not in seen]

    async def _states(
        self, session: AsyncSession, *where: object, offset: int = 0, limit: int = 50
    ) -> list[ShipmentState]:
        scans = (
            select(func.count())
            .where(col(TrackingEvent.shipment_id) == col(Shipment.id))
            .scalar_subquery()
        )
        statement = (
            select(  # type: ignore[call-overload]
                col(Shipment.tracking_number),
                col(Shipment.carrier),
                col(Shipment.status),
                col(Order.ship_city),
                scans,
            )
            .join(Order, col(Order.id) == col(Shipment.order_id))
            .where(*where)  # type: ignore[arg-type]
            .order_by(col(Shipment.id))
            .offset(offset)
            .limit(limit)
        )
        rows = (await session.execute(statement)).all()
        return [
            ShipmentState(number, carrier, ShipmentStatus(status), city, scans=count)
            for number, carrier, status, city, count in rows
        ]
