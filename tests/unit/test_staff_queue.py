"""The staff queue behind the Home tab, today's figures, "Assign to me", and the debounced
Home refreshes the queue's changes write to the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.insights.report import build_report
from core.pushes.home_refresh import HOME_CHANNEL, home_viewed, queue_changed
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.staff.assignment import assign_flag
from core.staff.flags import FlagAlreadyResolved, raise_flag, resolve_flag
from core.staff.queue import staff_queue
from core.staff.today import today_figures
from core.storage.db import Database
from core.storage.models import (
    AuditEntry,
    HandoffThread,
    InboundLog,
    Notification,
    Order,
    Shipment,
)
from tests.unit.staff_data import Shop, add_return, build_shop

CONFIG = CoreConfig(slack_alerts_channel="C0ALERTS", timezone="Europe/Berlin")
ME = "slack:U0AGENT1"


async def _flags(session: AsyncSession, clock: ManualClock, shop: Shop) -> dict[str, int]:
    """One flag of each group, a minute apart, oldest first."""
    made: dict[str, int] = {}
    for name, kind, source in [
        ("late", "late", "detector"),
        ("stuck", "stuck", "detector"),
        ("failed", "failed_attempt", "detector"),
        ("expired", "expired", "detector"),
        ("shopper", "lost", "shopper"),
        ("staff", "damaged", "staff"),
    ]:
        flag = await raise_flag(session, clock, CONFIG, shop.order_id, kind, source=source)
        assert flag is not None and flag.id is not None
        made[name] = flag.id
        clock.advance(minutes=1)
    return made


async def test_open_flags_are_grouped_by_kind_oldest_first_with_their_age(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        made = await _flags(session, clock, shop)
        clock.advance(hours=3)
        queue = await staff_queue(session, clock, CONFIG, staff_id=ME)
    groups = {g.key: g for g in queue.flag_groups}
    assert [g.key for g in queue.flag_groups] == [
        "late", "stuck", "failed", "exception", "shopper", "staff"
    ]  # fmt: skip
    assert {key: [f.id for f in g.flags] for key, g in groups.items()} == {
        "late": [made["late"]],
        "stuck": [made["stuck"]],
        "failed": [made["failed"]],
        "exception": [made["expired"]],
        "shopper": [made["shopper"]],  # a shopper's report, whatever its kind
        "staff": [made["staff"]],
    }
    late = groups["late"].flags[0]
    assert (late.order_number, late.label, late.age) == (
        "1001",
        "Late (past promised date)",
        timedelta(hours=3, minutes=6),
    )
    assert queue.open_flags_total == 6 and queue.today.open_cases == 6


async def test_each_list_is_cut_to_its_oldest_with_the_full_count(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        ids = []
        for _ in range(5):
            flag = await raise_flag(session, clock, CONFIG, shop.order_id, "other", source="staff")
            assert flag is not None
            ids.append(flag.id)
            clock.advance(minutes=1)
        resolved = await raise_flag(session, clock, CONFIG, shop.order_id, "lost", source="staff")
        assert resolved is not None and resolved.id is not None
        await resolve_flag(session, clock, resolved.id, actor=ME, note="found")
        queue = await staff_queue(session, clock, CONFIG, staff_id=ME, per_group=2)
    [staff] = [g for g in queue.flag_groups if g.key == "staff"]
    assert staff.total == 5 and [f.id for f in staff.flags] == ids[:2]
    assert queue.open_flags_total == 5  # the resolved flag has left the queue


async def test_returns_and_handoffs_waiting_and_what_is_mine(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        request = await add_return(session, clock, shop)
        now = clock.now()
        assert shop.shopper.id is not None
        for state, agent in [("waiting", None), ("taken", ME), ("taken", "slack:U0OTHER")]:
            session.add(
                HandoffThread(
                    identity_id=shop.shopper.id, order_id=shop.order_id, state=state,
                    agent_id=agent, last_activity_at=now, created_at=now,
                )
            )  # fmt: skip
        flag = await raise_flag(session, clock, CONFIG, shop.order_id, "late")
        assert flag is not None and flag.id is not None
        await assign_flag(session, clock, flag.id, actor=ME)
        clock.advance(minutes=10)
        queue = await staff_queue(session, clock, CONFIG, staff_id=ME)
    [waiting] = queue.returns
    assert (waiting.id, waiting.order_number, waiting.items, waiting.reason) == (
        request.id,
        "1001",
        1,
        "size_too_small",
    )
    assert [h.state for h in queue.handoffs] == ["waiting"] and queue.handoffs_total == 1
    assert [h.agent_id for h in queue.my_handoffs] == [ME]
    assert [f.id for f in queue.my_flags] == [flag.id]
    # 1 flag + 1 return + 3 open hand-offs (waiting or with someone).
    assert queue.today.open_cases == 5


async def test_assigning_is_audited_once_and_refused_once_resolved(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        flag = await raise_flag(session, clock, CONFIG, shop.order_id, "stuck")
        assert flag is not None and flag.id is not None
        await assign_flag(session, clock, flag.id, actor="slack:U0OTHER")
        await assign_flag(session, clock, flag.id, actor=ME)  # taken over from a colleague
        await assign_flag(session, clock, flag.id, actor=ME)  # again: nothing changes
        await resolve_flag(session, clock, flag.id, actor=ME, note="done")
        with pytest.raises(FlagAlreadyResolved):
            await assign_flag(session, clock, flag.id, actor="slack:U0OTHER")
        audits = (
            await session.exec(
                select(AuditEntry)
                .where(AuditEntry.action == "flag.assign")
                .order_by(col(AuditEntry.id))
            )
        ).all()
    assert [(a.before, a.after) for a in audits] == [
        ({"assigned_to": None}, {"assigned_to": "slack:U0OTHER"}),
        ({"assigned_to": "slack:U0OTHER"}, {"assigned_to": ME}),
    ]


async def test_todays_figures_count_from_midnight_in_the_shops_zone(
    db: Database, clock: ManualClock
) -> None:
    # 12:00 UTC is 13:00 in Berlin; "today" there began at 23:00 UTC the day before.
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        midnight = datetime(2026, 11, 1, 23, 0, tzinfo=UTC)
        for number, promised, delivered in [
            ("2001", midnight + timedelta(hours=5), midnight + timedelta(hours=2)),  # on time
            ("2002", midnight - timedelta(days=1), midnight + timedelta(hours=3)),  # late
            ("2003", None, midnight + timedelta(hours=4)),  # nothing promised
            ("2004", midnight, midnight - timedelta(minutes=1)),  # yesterday in Berlin
        ]:
            order = Order(
                number=number, customer_id=shop.customer.id or 0, status="delivered",
                placed_at=midnight - timedelta(days=3), promised_by=promised,
                delivered_at=delivered, updated_at=delivered,
            )  # fmt: skip
            session.add(order)
            await session.flush()
            session.add(
                Shipment(
                    order_id=order.id or 0, carrier="DHL", tracking_number=f"T{number}",
                    status="delivered", delivered_at=delivered, created_at=order.placed_at,
                    updated_at=delivered,
                )
            )  # fmt: skip
        for intent, by_bot, at in [
            ("track_order", True, midnight + timedelta(hours=1)),
            ("list_orders", True, midnight + timedelta(hours=2)),
            ("track_order", False, midnight + timedelta(hours=3)),
            ("return_request", True, midnight + timedelta(hours=3)),  # not a WISMO question
            ("track_order", True, midnight - timedelta(minutes=5)),  # yesterday
        ]:
            session.add(
                InboundLog(channel="telegram", intent=intent, answered_by_bot=by_bot, at=at)
            )
        await session.flush()
        today = await today_figures(session, clock, CONFIG)
    assert today.since == midnight
    assert (today.delivered, today.with_promise, today.on_time) == (3, 2, 1)
    assert today.on_time_rate == 0.5
    assert (today.wismo_questions, today.answered_by_bot, today.answered_by_staff) == (3, 2, 1)


async def _homes(session: AsyncSession) -> list[Notification]:
    rows = await session.exec(
        select(Notification)
        .where(Notification.channel == HOME_CHANNEL)
        .order_by(col(Notification.id))
    )
    return list(rows.all())


async def test_queue_changes_coalesce_into_one_refresh_per_viewer_and_window(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        assert await queue_changed(session, clock) == 0  # nobody looks at a Home tab yet
        await home_viewed(session, clock, "U0AGENT1", "jane")
        await home_viewed(session, clock, "U0AGENT2")
        await raise_flag(session, clock, CONFIG, shop.order_id, "late")
        await add_return(session, clock, shop)
        assert await queue_changed(session, clock) == 0  # same window: already asked for
        first = await _homes(session)
        clock.advance(seconds=5)
        await raise_flag(session, clock, CONFIG, shop.order_id, "stuck")
        second = await _homes(session)
    assert [(n.recipient, n.state, n.identity_id) for n in first] == [
        ("U0AGENT1", "pending", None),
        ("U0AGENT2", "pending", None),
    ]
    # Due a moment after its 5-second window closes, not at once.
    assert all(clock.now() - timedelta(seconds=5) < n.not_before for n in first)
    assert len(second) == 4  # the next window asks again


async def test_viewers_who_stopped_looking_are_not_redrawn_and_insights_ignore_refreshes(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        await home_viewed(session, clock, "U0GONE")
        clock.advance(days=31)
        await home_viewed(session, clock, "U0AGENT1")
        await raise_flag(session, clock, CONFIG, shop.order_id, "late")
        homes = await _homes(session)
        for row in homes:
            row.state = "sent"
            session.add(row)
        await session.flush()
        report = await build_report(session, now=clock.now(), since=clock.now() - timedelta(days=1))
    assert [n.recipient for n in homes] == ["U0AGENT1"]
    assert report.pushes.staff_alerts_sent == 0  # the flag's alert is unsent; a Home is no alert


@pytest.mark.postgres
async def test_the_queue_and_refreshes_on_postgresql(pg_db: Database, clock: ManualClock) -> None:
    async with pg_db.transaction() as session:
        shop = await build_shop(session, clock)
        await home_viewed(session, clock, "U0AGENT1")
        made = await _flags(session, clock, shop)
        await add_return(session, clock, shop)
        await assign_flag(session, clock, made["late"], actor=ME)
        queue = await staff_queue(session, clock, CONFIG, staff_id=ME)
        homes = await _homes(session)
    assert queue.open_flags_total == 6 and [r.items for r in queue.returns] == [1]
    assert [f.id for f in queue.my_flags] == [made["late"]]
    # Six flags a minute apart and the assignment: seven windows, one refresh each.
    assert [n.recipient for n in homes] == ["U0AGENT1"] * 7
