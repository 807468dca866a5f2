"""The insights rollups give the very report the tables give — built from scratch, kept
current as scans, deliveries and changed promises arrive, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from core import sample
from core.ingest.tracking_update import TrackingUpdate
from core.ingest.updates import apply_tracking_update
from core.insights import rollups
from core.insights.report import build_report
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage import locks
from core.storage.db import Database
from core.storage.models import InsightDay, Order, Shipment
from core.tracking.statuses import ShipmentStatus
from tests.unit.insights import shop

NOW = datetime(2026, 11, 20, 15, 37, 12, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> Database:
    database: Database = request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")
    return database


async def report(database: Database, since: datetime, until: datetime, **options: Any) -> dict:
    async with database.session() as session:
        built = await build_report(
            session, now=until, since=since, until=until, with_prediction=True, **options
        )
    return built.to_dict()


async def seeded(database: Database, count: int = 400) -> None:
    async with database.engine.begin() as connection:
        await sample.seed(connection, now=NOW, count=count)


# Periods of whole days, partial first and last days, a few hours, one day and a bit.
PERIODS = [
    (NOW - timedelta(days=30), NOW),
    (datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 16, tzinfo=UTC)),
    (datetime(2026, 11, 9, 7, 30, tzinfo=UTC), datetime(2026, 11, 9, 19, 0, tzinfo=UTC)),
    (datetime(2026, 11, 12, 22, 0, tzinfo=UTC), datetime(2026, 11, 14, 1, 0, tzinfo=UTC)),
    (NOW - timedelta(days=90), NOW),
]


async def raw_reports(database: Database, carrier: str | None = None) -> list[dict]:
    async with database.session() as session:
        assert await rollups.built_through(session) is None  # the report reads the tables
    return [await report(database, a, b, carrier=carrier) for a, b in PERIODS]


async def rolled_up_reports(database: Database, carrier: str | None = None) -> list[dict]:
    async with database.session() as session:
        assert await rollups.built_through(session) is not None
    return [await report(database, a, b, carrier=carrier) for a, b in PERIODS]


async def test_built_from_scratch_they_give_the_tables_report(database: Database) -> None:
    await seeded(database)
    raw = await raw_reports(database)
    raw_dhl = await raw_reports(database, carrier="dhl")
    assert raw[0]["on_time"]["delivered"] > 50  # the sample shop delivers in that month
    assert 0 < raw_dhl[0]["on_time"]["delivered"] < raw[0]["on_time"]["delivered"]
    assert raw[0]["prediction"]["evaluated"] > 20  # the backtest replays hourly history

    stats = await rollups.refresh(database, ManualClock(NOW), holder="test")
    assert stats.rebuilt and stats.days > 20

    assert await rolled_up_reports(database) == raw
    assert await rolled_up_reports(database, carrier="dhl") == raw_dhl
    async with database.session() as session:
        days = (await session.execute(select(func.count()).select_from(InsightDay))).scalar()
    assert days  # the month is read from day sums, not from every delivery


async def test_the_hand_built_shop_reads_the_same(database: Database) -> None:
    async with database.transaction() as session:
        await shop.build(session)
    before = await report(database, shop.SINCE, shop.UNTIL)
    await rollups.refresh(database, ManualClock(shop.NOW), holder="test")
    assert await report(database, shop.SINCE, shop.UNTIL) == before
    assert before["on_time"]["delivered"] == 3  # as worked out by hand in test_measures


async def test_scans_deliveries_and_a_new_promise_are_caught_up(database: Database) -> None:
    await seeded(database)
    clock = ManualClock(NOW)
    await rollups.refresh(database, clock, holder="test")
    clock.advance(hours=1)
    async with database.session() as session:
        moving = (
            await session.execute(
                select(Shipment.id, Shipment.tracking_number, Shipment.carrier, Shipment.order_id)
                .where(Shipment.delivered_at.is_(None), Shipment.status == "in_transit")
                .order_by(Shipment.id)
                .limit(5)
            )
        ).all()
        delivered_order = (
            await session.execute(
                select(Shipment.order_id)
                .where(
                    Shipment.delivered_at.between(NOW - timedelta(days=20), NOW - timedelta(days=2))
                )
                .order_by(Shipment.id)
                .limit(1)
            )
        ).scalar_one()
    assert len(moving) == 5
    config = CoreConfig()
    async with database.transaction() as session:
        for n, (_id, tracking, carrier, _order) in enumerate(moving[:4]):
            await apply_tracking_update(session, clock, config, TrackingUpdate(
                "carrier", f"late-{n}", tracking, ShipmentStatus.DELIVERED,
                clock.now() - timedelta(minutes=20 + n), carrier=carrier,
            ))  # fmt: skip
        # A scan from weeks ago arrives only now: it becomes the parcel's first scan.
        _id, tracking, carrier, _order = moving[4]
        await apply_tracking_update(session, clock, config, TrackingUpdate(
            "carrier", "old-scan", tracking, ShipmentStatus.IN_TRANSIT,
            NOW - timedelta(days=12), carrier=carrier,
        ))  # fmt: skip
        # The shop corrects a delivered order's promised date: now it was late.
        await session.execute(
            update(Order)
            .where(Order.id == delivered_order)
            .values(promised_by=NOW - timedelta(days=40), updated_at=clock.now())
        )
    caught = await rollups.refresh(database, clock, holder="test")
    assert not caught.rebuilt and caught.days >= 1
    incremental = [await report(database, a, b + timedelta(hours=1)) for a, b in PERIODS]

    async with database.transaction() as session:
        await rollups.rebuild_later(session)
    assert [await report(database, a, b + timedelta(hours=1)) for a, b in PERIODS] == incremental
    assert incremental[0]["on_time"]["delivered"] >= 4


async def test_one_replica_refreshes_at_a_time(db: Database) -> None:
    await seeded(db, count=50)
    clock = ManualClock(NOW)
    async with db.transaction() as session:
        assert await locks.try_lock(session, clock, rollups.LOCK, "other", timedelta(minutes=5))
    skipped = await rollups.refresh(db, clock, holder="test")
    assert not skipped.refreshed
    async with db.session() as session:
        assert await rollups.built_through(session) is None
    clock.advance(minutes=6)  # the other replica died: its lease runs out
    assert (await rollups.refresh(db, clock, holder="test")).rebuilt


async def test_the_backtests_history_is_read_hour_by_hour_as_the_tables_give_it(
    database: Database,
) -> None:
    from collections import Counter

    from core.insights.prediction_accuracy import _history

    await seeded(database)
    await rollups.refresh(database, ManualClock(NOW), holder="test")
    async with database.session() as session:
        early = (
            await session.execute(
                select(Shipment.delivered_at)
                .where(Shipment.delivered_at > NOW - timedelta(days=20))
                .order_by(Shipment.delivered_at)
                .limit(1)
            )
        ).scalar_one()
    # The history starts in the hour of a delivery: that first whole hour counts.
    origin_hour = (early - rollups.EPOCH) // timedelta(hours=1)
    origin = rollups.EPOCH + timedelta(hours=origin_hour)

    def summed(rows: list[tuple[str, str, str, int, int, int]]) -> Counter:
        total: Counter = Counter()
        for *key, count in rows:
            total[tuple(key)] += count
        return total

    async with database.session() as session:
        delivered = (
            await session.execute(
                select(Shipment.delivered_at)
                .where(Shipment.delivered_at < NOW - timedelta(days=2))
                .order_by(Shipment.delivered_at.desc())
                .limit(1)
            )
        ).scalar_one()
    # A moment after a delivery: its hour is the partial one, read from the facts.
    for until in (NOW, delivered + timedelta(seconds=1), datetime(2026, 11, 15, tzinfo=UTC)):
        async with database.session() as session:
            rolled = summed(await rollups.transit_history(session, origin_hour, until))
            raw = summed(await _history(session, origin, until))
        assert rolled == raw
        assert sum(raw.values()) > 30
        if until == delivered + timedelta(seconds=1):
            last = (delivered - rollups.EPOCH) // timedelta(hours=1)
            assert any(key[-1] == last for key in raw)


async def test_a_rebuild_asked_for_during_a_refresh_is_not_undone_by_it(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seeded(db, count=50)
    clock = ManualClock(NOW)
    await rollups.refresh(db, clock, holder="test")
    catch_up = rollups._catch_up

    async def seeded_meanwhile(*args: Any, **options: Any) -> rollups.RefreshStats:
        stats = await catch_up(*args, **options)
        async with db.transaction() as session:  # `wismo seed` in another process
            await rollups.rebuild_later(session)
        return stats

    monkeypatch.setattr(rollups, "_catch_up", seeded_meanwhile)
    clock.advance(minutes=1)
    await rollups.refresh(db, clock, holder="test")
    async with db.session() as session:
        assert await rollups.built_through(session) is None  # the next refresh rebuilds
