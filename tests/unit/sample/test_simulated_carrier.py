"""The simulated carrier moves parcels forward, through the real ingest path, never backwards."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from adapters.carriers.simulated import SOURCE, ShipmentState, SimulatedCarrier
from core.ingest.polling import PollTarget
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.sample import demo_shop as sample
from core.sample.journeys import CARRIERS, PLACES, next_scan
from core.storage.db import Database
from core.storage.models import Shipment, TrackingEvent
from core.tracking.statuses import ShipmentStatus, is_regression

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
S = ShipmentStatus


def test_every_status_moves_forward_until_delivered() -> None:
    rng = random.Random(4)
    for start in S:
        status, scans = start, 0
        for _ in range(20):
            scan = next_scan(status, CARRIERS[0], PLACES[0], scans, rng)
            if scan is None:
                break
            assert not is_regression(status, scan.status), (status, scan.status)
            status, scans = scan.status, scans + 1
        assert status in (S.DELIVERED, S.EXPIRED), (start, status)


def test_updates_are_dated_now_and_skip_finished_parcels(clock: ManualClock) -> None:
    carrier = SimulatedCarrier(clock, seed=1)
    updates = carrier.updates_for(
        [
            ShipmentState("1Z1", "ups", S.OUT_FOR_DELIVERY, "Berlin", 5),
            ShipmentState("1Z2", "ups", S.DELIVERED, "Berlin", 6),
        ]
    )
    assert [u.tracking_number for u in updates] == ["1Z1"]
    assert updates[0].occurred_at == clock.now() and updates[0].source == SOURCE
    assert updates[0].status in (S.DELIVERED, S.FAILED_ATTEMPT)


async def test_poll_answers_the_carrier_source_port(clock: ManualClock) -> None:
    carrier = SimulatedCarrier(clock)
    result = await carrier.poll([PollTarget(1, "dhl", "0034", S.INFO_RECEIVED, None)])
    assert [u.status for u in result.updates] == [S.IN_TRANSIT]
    assert result.failed == {}


async def test_ticks_move_the_sample_along_and_store_each_scan_once(
    db: Database, clock: ManualClock
) -> None:
    clock.set(NOW)
    async with db.engine.begin() as connection:
        await sample.seed(connection, now=NOW, count=60)
    async with db.session() as session:
        before = {s.id: s.status for s in (await session.exec(select(Shipment))).all()}
    carrier = SimulatedCarrier(clock, seed=3, per_tick=5)
    moved = 0
    for _ in range(6):
        clock.advance(minutes=10)
        moved += (await carrier.tick(db, CoreConfig(secret_key="t"))).updates
    async with db.session() as session:
        after = {s.id: s.status for s in (await session.exec(select(Shipment))).all()}
        simulated = (
            await session.exec(select(TrackingEvent).where(TrackingEvent.source == SOURCE))
        ).all()
    assert moved == len(simulated) >= 20
    assert all(e.occurred_at > NOW for e in simulated)
    assert any(after[i] != before[i] for i in before)
    assert not any(is_regression(before[i], after[i]) for i in before)
    # Finished parcels are left alone.
    for shipment_id, status in before.items():
        if status in (S.DELIVERED, S.EXPIRED):
            assert after[shipment_id] == status
    assert NOW + timedelta(minutes=60) == clock.now()
