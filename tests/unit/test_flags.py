from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from core.replies.reply import Reply
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.staff.flags import (
    FlagAlreadyResolved,
    FlagNotFound,
    NoteTooLong,
    OrderNotFound,
    UnknownFlagKind,
    flags_of_order,
    open_flags,
    raise_flag,
    resolve_flag,
)
from core.storage.db import Database
from core.storage.models import AuditEntry, Flag, Notification
from tests.unit.staff_data import build_shop

CONFIG = CoreConfig(slack_alerts_channel="C0ALERTS")


async def _notifications(db: Database) -> list[Notification]:
    async with db.session() as session:
        return list((await session.exec(select(Notification).order_by(Notification.id))).all())


async def test_a_staff_flag_posts_the_alert_card_and_is_audited(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        flag = await raise_flag(
            session,
            clock,
            CONFIG,
            shop.order_id,
            "damaged",
            source="staff",
            note="Box crushed, photo in thread",
            actor="slack:U1AGENT",
        )
    assert flag is not None and flag.state == "open" and flag.raised_by == "slack:U1AGENT"
    [alert] = await _notifications(db)
    assert (alert.channel, alert.recipient, alert.subject_type, alert.subject_id) == (
        "slack",
        "C0ALERTS",
        "flag",
        flag.id,
    )
    card = Reply.from_dict(alert.reply)
    assert card.sections[0].title == f"Flag #{flag.id} on order 1001: Damaged"
    fields = {kv.label: kv.value for kv in card.sections[0].fields}
    assert fields["Raised"] == "2026-11-02 12:00 UTC by @U1AGENT"
    assert fields["Shopper notified"] == "no"
    assert card.sections[1].text == "Box crushed, photo in thread"
    assert [(b.label, b.action, b.payload) for b in card.buttons] == [
        ("Resolve", "flag_resolve", str(flag.id)),
        ("Show order", "staff_order", "1001"),
        ("Flag issue", "flag_open", "1001"),
    ]
    async with db.session() as session:
        [entry] = (await session.exec(select(AuditEntry))).all()
    assert (entry.actor, entry.action, entry.subject_id) == (
        "slack:U1AGENT",
        "flag.raise",
        str(flag.id),
    )
    assert entry.before is None and entry.after is not None and entry.after["kind"] == "damaged"


async def test_notify_shopper_sends_a_calm_notice_to_followers(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        flag = await raise_flag(
            session,
            clock,
            CONFIG,
            shop.order_id,
            "lost",
            source="staff",
            actor="slack:U1",
            notify_shopper=True,
        )
    assert flag is not None
    alert, notice = await _notifications(db)
    assert alert.recipient == "C0ALERTS"
    assert (notice.channel, notice.recipient, notice.urgent) == ("telegram", "555", True)
    text = Reply.from_dict(notice.reply).sections[0].text
    assert text == (
        "We're checking with the carrier where the parcel for order 1001 is. "
        "We'll update you as soon as we know more."
    )


async def test_the_same_open_problem_is_raised_once(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        first = await raise_flag(session, clock, CONFIG, shop.order_id, "stuck", open_key="stuck:1")
        second = await raise_flag(
            session, clock, CONFIG, shop.order_id, "stuck", open_key="stuck:1"
        )
    assert first is not None and second is None
    assert len(await _notifications(db)) == 1
    async with db.transaction() as session:
        assert first.id is not None
        await resolve_flag(session, clock, first.id, actor="slack:U1", note="carrier found it")
        again = await raise_flag(session, clock, CONFIG, shop.order_id, "stuck", open_key="stuck:1")
    assert again is not None and again.id != first.id


async def test_without_an_alerts_channel_the_flag_is_kept_but_nothing_is_posted(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        flag = await raise_flag(session, clock, CoreConfig(), shop.order_id, "late")
        assert flag is not None
        assert [f.id for f in await open_flags(session, shop.order_id)] == [flag.id]
    assert await _notifications(db) == []


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"kind": "bored"}, UnknownFlagKind),
        ({"kind": "other", "note": "x" * 2001}, NoteTooLong),
        ({"kind": "other", "order_id": 9999}, OrderNotFound),
    ],
)
async def test_bad_input_is_refused_and_nothing_is_written(
    db: Database, clock: ManualClock, kwargs: dict[str, object], error: type[Exception]
) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
    args: dict[str, object] = {"order_id": shop.order_id, "source": "staff", **kwargs}
    async with db.transaction() as session:
        with pytest.raises(error):
            await raise_flag(session, clock, CONFIG, **args)  # type: ignore[arg-type]
    async with db.session() as session:
        assert (await session.exec(select(Flag))).all() == []
        assert (await session.exec(select(AuditEntry))).all() == []


async def test_resolving_records_who_and_why(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        flag = await raise_flag(session, clock, CONFIG, shop.order_id, "delayed", source="staff")
    assert flag is not None and flag.id is not None
    clock.advance(minutes=30)
    async with db.transaction() as session:
        resolved = await resolve_flag(session, clock, flag.id, actor="slack:U2", note="Reshipped")
    assert (resolved.state, resolved.resolved_by, resolved.resolution_note) == (
        "resolved",
        "slack:U2",
        "Reshipped",
    )
    assert resolved.resolved_at == clock.now()
    async with db.session() as session:
        assert await open_flags(session, shop.order_id) == []
        assert [f.state for f in await flags_of_order(session, shop.order_id)] == ["resolved"]
        entry = (
            await session.exec(select(AuditEntry).where(AuditEntry.action == "flag.resolve"))
        ).one()
    assert entry.before is not None and entry.before["state"] == "open"
    assert entry.after is not None and entry.after["state"] == "resolved"


async def test_two_resolves_at_once_one_wins_the_other_learns_who(
    db: Database, clock: ManualClock
) -> None:
    await _resolve_race(db, clock)


@pytest.mark.postgres
async def test_two_resolves_at_once_on_postgresql(pg_db: Database, clock: ManualClock) -> None:
    await _resolve_race(pg_db, clock)


async def _resolve_race(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        shop = await build_shop(session, clock)
        flag = await raise_flag(session, clock, CONFIG, shop.order_id, "other", source="staff")
    assert flag is not None and flag.id is not None
    flag_id = flag.id

    async def resolve(actor: str) -> object:
        try:
            async with db.transaction() as session:
                return await resolve_flag(session, clock, flag_id, actor=actor, note=actor)
        except FlagAlreadyResolved as exc:
            return exc

    outcomes = await asyncio.gather(resolve("slack:UA"), resolve("slack:UB"))
    losers = [o for o in outcomes if isinstance(o, FlagAlreadyResolved)]
    winners = [o for o in outcomes if isinstance(o, Flag)]
    assert len(losers) == 1 and len(winners) == 1
    assert losers[0].by == winners[0].resolved_by
    async with db.session() as session:
        entries = (
            await session.exec(select(AuditEntry).where(AuditEntry.action == "flag.resolve"))
        ).all()
    assert len(entries) == 1


async def test_resolving_a_missing_flag_says_so(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        with pytest.raises(FlagNotFound):
            await resolve_flag(session, clock, 404, actor="slack:U1")
