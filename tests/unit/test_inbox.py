"""Webhook updates are kept before the 200: once each, leased to one replica, then forgotten."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.runtime.clock import ManualClock
from core.storage import UpdateInbox
from core.storage.db import Database
from core.storage.models import InboundUpdate

HOLD = timedelta(seconds=60)


async def kept(database: Database) -> int:
    async with database.session() as session:
        return int((await session.exec(select(func.count()).select_from(InboundUpdate))).one()[0])


async def test_an_update_is_kept_once_and_forgotten_when_handled(
    db: Database, clock: ManualClock
) -> None:
    inbox = UpdateInbox(db, clock, "telegram", HOLD)
    assert await inbox.keep("1", '{"update_id": 1}') is True
    assert await inbox.keep("1", '{"update_id": 1}') is False  # Telegram's redelivery
    assert await kept(db) == 1
    await inbox.forget(["1"])
    assert await kept(db) == 0


async def test_an_update_is_taken_up_again_only_after_its_lease_runs_out(
    db: Database, clock: ManualClock
) -> None:
    inbox = UpdateInbox(db, clock, "telegram", HOLD)
    await inbox.keep("7", '{"update_id": 7}')
    await inbox.keep("8", '{"update_id": 8}')
    assert await inbox.overdue(10) == []  # the replica that kept them is handling them
    clock.advance(HOLD + timedelta(seconds=1))  # ... it died: the leases run out
    assert await inbox.overdue(10) == [("7", '{"update_id": 7}'), ("8", '{"update_id": 8}')]
    assert await inbox.overdue(10) == []  # taken, with a new lease: not handed out twice
    clock.advance(HOLD + timedelta(seconds=1))
    assert [key for key, _ in await inbox.overdue(1)] == ["7"]  # oldest first, up to limit


async def test_an_update_kept_without_a_lease_is_overdue_at_once(
    db: Database, clock: ManualClock
) -> None:
    inbox = UpdateInbox(db, clock, "telegram", HOLD)
    await inbox.keep("9", "{}", hold=False)  # the receiving replica had no room for it
    assert await inbox.overdue(10) == [("9", "{}")]


async def test_channels_keep_their_own_updates(db: Database, clock: ManualClock) -> None:
    telegram = UpdateInbox(db, clock, "telegram", HOLD)
    other = UpdateInbox(db, clock, "other", HOLD)
    assert await telegram.keep("1", "{}", hold=False)
    assert await other.keep("1", "{}", hold=False)  # the same key on another channel
    await other.forget(["1"])
    assert await telegram.overdue(10) == [("1", "{}")]


@pytest.mark.postgres
async def test_replicas_never_take_the_same_update_on_postgres(
    pg_db: Database, clock: ManualClock
) -> None:
    import asyncio

    inbox = UpdateInbox(pg_db, clock, "telegram", HOLD)
    for key in range(50):
        await inbox.keep(str(key), "{}", hold=False)
    taken = await asyncio.gather(*(inbox.overdue(10) for _ in range(8)))
    keys = [key for batch in taken for key, _ in batch]
    assert sorted(keys, key=int) == [str(k) for k in range(50)]  # each once, none left
