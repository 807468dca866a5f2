"""Exception detection raises one flag per problem, however many ticks see it."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from core.ingest.tracking_update import TrackingUpdate
from core.ingest.updates import apply_tracking_update
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.staff.detection import Detector
from core.staff.flags import resolve_flag
from core.storage.db import Database
from core.storage.models import Flag, Notification, Order
from core.tracking.statuses import ShipmentStatus as S
from tests.unit.jobs.factory import make_shop

CONFIG = CoreConfig(slack_alerts_channel="C-ALERTS", stuck_after=timedelta(hours=72))
_seq = iter(range(1, 100_000))


async def scan(db: Database, clock: ManualClock, status: S, tracking: str = "TRK1001") -> None:
    async with db.transaction() as session:
        await apply_tracking_update(
            session,
            clock,
            CONFIG,
            TrackingUpdate("carrier", f"e{next(_seq)}", tracking, status, clock.now()),
        )


async def flags(db: Database) -> list[tuple[str, str]]:
    async with db.session() as session:
        rows = await session.exec(select(Flag).order_by(col(Flag.id)))
        return [(f.kind, f.state) for f in rows]


async def tick(db: Database, clock: ManualClock, hours: float = 0) -> list[str]:
    """Move time on, run the detector, and say which flags it raised."""
    clock.advance(hours=hours)
    stats = await Detector(db, clock, CONFIG).run()
    return sorted(k for k, n in stats.raised.items() for _ in range(n))


async def test_late_is_raised_once_and_not_again_after_staff_resolve_it(
    db: Database, clock: ManualClock
):
    async with db.transaction() as session:
        await make_shop(session, clock, promised_in=timedelta(hours=30))
    await scan(db, clock, S.IN_TRANSIT)
    assert await tick(db, clock) == []
    assert await tick(db, clock, hours=29) == []
    assert await tick(db, clock, hours=2) == ["late"]
    for _ in range(5):
        await scan(db, clock, S.IN_TRANSIT)  # more scans make the order due again
        assert await tick(db, clock, hours=6) == []
    async with db.transaction() as session:
        await resolve_flag(session, clock, 1, actor="slack:U1", note="asked the carrier")
    assert await tick(db, clock, hours=1) == []
    assert await flags(db) == [("late", "resolved")]


async def test_stuck_in_transit_after_72_hours_once_per_silence(db: Database, clock: ManualClock):
    async with db.transaction() as session:
        await make_shop(session, clock, promised_in=None)
    await scan(db, clock, S.IN_TRANSIT)
    assert await tick(db, clock, hours=71) == []
    assert await tick(db, clock, hours=2) == ["stuck"]
    assert await tick(db, clock, hours=24) == []
    assert await tick(db, clock, hours=24) == []
    await scan(db, clock, S.IN_TRANSIT)  # it moves again ...
    assert await tick(db, clock, hours=71) == []
    async with db.transaction() as session:
        await resolve_flag(session, clock, 1, actor="slack:U1")
    assert await tick(db, clock, hours=2) == ["stuck"]  # ... and falls silent again
    assert [k for k, _ in await flags(db)] == ["stuck", "stuck"]


async def test_carrier_news_raises_one_flag_per_episode(database: Database, clock: ManualClock):
    async with database.transaction() as session:
        await make_shop(session, clock, promised_in=None)
    await scan(database, clock, S.IN_TRANSIT)
    await scan(database, clock, S.EXCEPTION)
    assert await tick(database, clock, hours=1) == ["exception"]
    await scan(database, clock, S.EXCEPTION)
    assert await tick(database, clock, hours=1) == []
    await scan(database, clock, S.OUT_FOR_DELIVERY)
    await scan(database, clock, S.FAILED_ATTEMPT)
    assert await tick(database, clock, hours=1) == ["failed_attempt"]
    clock.advance(hours=1)
    await scan(database, clock, S.OUT_FOR_DELIVERY)
    await scan(database, clock, S.FAILED_ATTEMPT)
    assert await tick(database, clock, hours=1) == []  # the first failed-attempt flag is still open
    async with database.transaction() as session:
        await resolve_flag(session, clock, 2, actor="slack:U1")
    clock.advance(hours=12)
    await scan(database, clock, S.OUT_FOR_DELIVERY)
    await scan(database, clock, S.FAILED_ATTEMPT)
    assert await tick(database, clock, hours=1) == [
        "failed_attempt"
    ]  # a new attempt, a new problem


async def test_flags_alert_staff_and_calm_the_shopper_only_when_useful(
    db: Database, clock: ManualClock
):
    async with db.transaction() as session:
        await make_shop(session, clock, tracking="A", number="1001", promised_in=timedelta(0))
        await make_shop(session, clock, tracking="B", number="1002", promised_in=None)
    await scan(db, clock, S.IN_TRANSIT, "A")
    await scan(db, clock, S.EXCEPTION, "B")
    assert await tick(db, clock, hours=1) == ["exception", "late"]
    async with db.session() as session:
        rows = await session.exec(
            select(Notification)
            .where(col(Notification.kind) != "shipped")
            .order_by(col(Notification.id))
        )
        sent = [(n.kind, n.recipient) for n in rows]
    assert sorted(sent) == sorted([
        ("exception", "chat-1002"),  # the carrier's own news, pushed by ingest
        ("flag_exception", "C-ALERTS"),
        ("flag_late", "C-ALERTS"),
        ("flag_notice", "chat-1001"),  # "running later than planned; we're on it"
    ])  # fmt: skip


async def test_only_due_orders_are_examined_and_finished_ones_drop_out(
    db: Database, clock: ManualClock
):
    async with db.transaction() as session:
        for number in ("1001", "1002", "1003"):
            await make_shop(session, clock, number=number, tracking=f"T{number}")
    assert (await Detector(db, clock, CONFIG).run()).examined == 3  # new orders start due
    assert (await Detector(db, clock, CONFIG).run()).examined == 0
    await scan(db, clock, S.DELIVERED, "T1002")
    assert (await Detector(db, clock, CONFIG).run()).examined == 1
    async with db.session() as session:
        watched = {o.number: o.next_check_at for o in await session.exec(select(Order))}
    assert watched["1002"] is None  # delivered: nothing left to watch
    assert watched["1001"] == clock.now() + timedelta(days=1)


async def test_a_carrier_flag_carries_the_carriers_words_not_only_its_code(
    database: Database, clock: ManualClock
):
    async with database.transaction() as session:
        await make_shop(session, clock, promised_in=None)
    await scan(database, clock, S.IN_TRANSIT)
    async with database.transaction() as session:
        for text, code in (("Address incomplete", "Exception_007"), ("Held at customs", None)):
            clock.advance(minutes=5)
            update = TrackingUpdate(
                "carrier", f"e{next(_seq)}", "TRK1001", S.EXCEPTION, clock.now(),
                text=text, substatus=code or "Exception_004",
            )  # fmt: skip
            await apply_tracking_update(session, clock, CONFIG, update)
    assert await tick(database, clock, hours=1) == ["exception"]
    async with database.session() as session:
        [flag] = (await session.exec(select(Flag))).all()
    assert flag.note == "Held at customs (Exception_004)"  # the newest scan, in words
