"""Polling asks sources only about due shipments, applies what they say and reschedules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlmodel import col, select

from core.ingest.polling import Poller, PollResult, PollTarget
from core.ingest.tracking_update import TrackingUpdate
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import Notification, Shipment
from core.tracking.statuses import ShipmentStatus as S
from tests.unit.jobs.factory import make_shop

CONFIG = CoreConfig(poll_every=timedelta(hours=2))


class ScriptedSource:
    """Answers each tracking number with the next status from its script."""

    def __init__(self, clock: ManualClock, script: dict[str, list[S]], fail: Sequence[str] = ()):
        self.clock = clock
        self.script = script
        self.fail = set(fail)
        self.asked: list[list[str]] = []
        self.broken = False

    async def poll(self, targets: Sequence[PollTarget]) -> PollResult:
        self.asked.append(sorted(t.tracking_number for t in targets))
        if self.broken:
            raise ConnectionError("carrier API unreachable")
        updates = []
        for target in targets:
            if target.tracking_number in self.fail or not self.script.get(target.tracking_number):
                continue
            status = self.script[target.tracking_number].pop(0)
            updates.append(
                TrackingUpdate(
                    "poll", f"{target.tracking_number}-{status}", target.tracking_number,
                    status, self.clock.now(),
                )
            )  # fmt: skip
        return PollResult(updates, {n: "not found" for n in self.fail})


async def shipments(db: Database) -> dict[str, Shipment]:
    async with db.session() as session:
        return {s.tracking_number: s for s in await session.exec(select(Shipment))}


async def setup(db: Database, clock: ManualClock, due: dict[str, timedelta | None]) -> None:
    async with db.transaction() as session:
        for index, (tracking, offset) in enumerate(due.items()):
            shop = await make_shop(session, clock, number=str(1001 + index), tracking=tracking)
            shop.shipment.next_poll_at = clock.now() + offset if offset is not None else None
            session.add(shop.shipment)


async def test_only_due_shipments_are_polled_and_then_rescheduled(
    database: Database, clock: ManualClock
):
    due = {"A": timedelta(0), "B": -timedelta(hours=1), "C": timedelta(hours=1), "D": None}
    await setup(database, clock, due)
    source = ScriptedSource(clock, {"A": [S.IN_TRANSIT], "B": [S.OUT_FOR_DELIVERY]})
    stats = await Poller(database, clock, CONFIG, {"*": source}).run_once()
    assert source.asked == [["A", "B"]]
    assert (stats.claimed, stats.applied, stats.failed) == (2, 2, 0)
    found = await shipments(database)
    assert (found["A"].status, found["A"].next_poll_at) == (
        "in_transit",
        clock.now() + timedelta(hours=2),
    )
    assert found["B"].next_poll_at == clock.now() + timedelta(minutes=30)  # close to delivery
    assert found["C"].status == "pending" and found["D"].next_poll_at is None
    async with database.session() as session:
        kinds = sorted(n.kind for n in await session.exec(select(Notification)))
    assert kinds == ["out_for_delivery", "shipped"]  # polling pushes like webhooks do


async def test_delivered_parcels_are_never_polled_again(db: Database, clock: ManualClock):
    await setup(db, clock, {"A": timedelta(0)})
    source = ScriptedSource(clock, {"A": [S.DELIVERED]})
    poller = Poller(db, clock, CONFIG, {"*": source})
    await poller.run_once()
    clock.advance(days=3)
    await poller.run_once()
    assert source.asked == [["A"]] and (await shipments(db))["A"].next_poll_at is None


async def test_a_failing_source_backs_off_exponentially(db: Database, clock: ManualClock):
    await setup(db, clock, {"A": timedelta(0), "B": timedelta(0)})
    source = ScriptedSource(clock, {"A": [S.IN_TRANSIT] * 9, "B": [S.IN_TRANSIT] * 9}, fail=["B"])
    poller = Poller(db, clock, CONFIG, {"dhl": source}, max_backoff=timedelta(hours=12))
    waits = []
    for _ in range(4):
        await poller.run_once()
        b = (await shipments(db))["B"]
        assert b.next_poll_at is not None
        waits.append((b.next_poll_at - clock.now()) / timedelta(hours=1))
        clock.set(b.next_poll_at)
    assert waits == [4, 8, 12, 12]
    source.broken = True
    stats = await poller.run_once()
    assert stats.failed == 2 and (await shipments(db))["A"].poll_failures == 1


async def test_a_carrier_nobody_polls_is_looked_at_later_not_every_tick(
    db: Database, clock: ManualClock
):
    await setup(db, clock, {"A": timedelta(0)})
    stats = await Poller(db, clock, CONFIG, {"ups": ScriptedSource(clock, {})}).run_once()
    assert stats.skipped == 1
    assert (await shipments(db))["A"].next_poll_at == clock.now() + timedelta(hours=2)


async def test_two_pollers_never_claim_the_same_parcel(db: Database, clock: ManualClock):
    await setup(db, clock, {"A": timedelta(0), "B": timedelta(0), "C": timedelta(0)})
    first = Poller(db, clock, CONFIG, {"*": ScriptedSource(clock, {})}, batch_size=2)
    second = Poller(db, clock, CONFIG, {"*": ScriptedSource(clock, {})}, batch_size=2)
    a = await first._claim()
    b = await second._claim()
    assert sorted(t.tracking_number for t in a + b) == ["A", "B", "C"]
    async with db.session() as session:
        leased = (
            await session.exec(select(Shipment.next_poll_at).where(col(Shipment.id) > 0))
        ).all()
    assert set(leased) == {clock.now() + timedelta(minutes=10)}
