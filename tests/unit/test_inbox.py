"""Webhook updates are kept before the 200: once each, leased to one replica, then forgotten."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
import sqlalchemy
from sqlalchemy import func, select

from core.runtime.clock import ManualClock
from core.storage import UpdateInbox
from core.storage.db import Database, database_unavailable
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
    inbox = UpdateInbox(pg_db, clock, "telegram", HOLD)
    for key in range(50):
        await inbox.keep(str(key), "{}", hold=False)
    taken = await asyncio.gather(*(inbox.overdue(10) for _ in range(8)))
    keys = [key for batch in taken for key, _ in batch]
    assert sorted(keys, key=int) == [str(k) for k in range(50)]  # each once, none left
    await inbox.close()


async def _keep_at_once(inbox: UpdateInbox, keys: list[str]) -> list[bool]:
    return list(await asyncio.gather(*(inbox.keep(key, f'{{"update_id": {key}}}') for key in keys)))


async def _batched_keeps_each_hear_their_own_answer(database: Database, clock: ManualClock) -> None:
    inbox = UpdateInbox(database, clock, "telegram", HOLD)
    try:
        await _keeps_answered(inbox, database)
    finally:
        await inbox.close()


async def _keeps_answered(inbox: UpdateInbox, database: Database) -> None:
    assert await inbox.keep("1", "{}") is True
    # Arriving together, they are written together; an update kept before, or twice in the
    # same batch (Telegram's redelivery crossing the first), is new only once.
    answers = await _keep_at_once(inbox, ["2", "1", "3", "2", "4"])
    assert answers == [True, False, True, False, True]
    assert await kept(database) == 4


async def test_updates_arriving_together_are_kept_together_each_answered_on_sqlite(
    db: Database, clock: ManualClock
) -> None:
    await _batched_keeps_each_hear_their_own_answer(db, clock)


@pytest.mark.postgres
async def test_updates_arriving_together_are_kept_together_each_answered_on_postgres(
    pg_db: Database, clock: ManualClock
) -> None:
    await _batched_keeps_each_hear_their_own_answer(pg_db, clock)
    statements: list[str] = []
    listen = sqlalchemy.event.listen
    listen(pg_db.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    inbox = UpdateInbox(pg_db, clock, "telegram", HOLD)
    assert await _keep_at_once(inbox, [str(k) for k in range(10, 30)]) == [True] * 20
    await inbox.close()
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) < 20  # the later ones went in one statement, not one each


async def test_when_the_database_is_unreachable_every_update_of_the_batch_hears_it(
    clock: ManualClock,
) -> None:
    unreachable = Database("postgresql+asyncpg://wismo@127.0.0.1:1/wismo")  # nothing listens
    inbox = UpdateInbox(unreachable, clock, "telegram", HOLD)
    try:
        results = await asyncio.gather(
            *(inbox.keep(str(k), "{}") for k in range(3)), return_exceptions=True
        )
    finally:
        await unreachable.dispose()
    assert all(isinstance(r, Exception) and database_unavailable(r) for r in results)


async def test_a_keep_cancelled_while_it_waits_to_write_tells_those_with_it_to_retry(
    db: Database, clock: ManualClock
) -> None:
    inbox = UpdateInbox(db, clock, "telegram", HOLD)
    async with db.transaction():  # another writer holds the turn: the first keep waits
        first = asyncio.create_task(inbox.keep("1", "{}"))
        await asyncio.sleep(0.01)
        others = [asyncio.create_task(inbox.keep(str(k), "{}")) for k in (2, 3)]  # with it
        await asyncio.sleep(0.01)
        first.cancel()  # e.g. the process stops
        results = await asyncio.gather(first, *others, return_exceptions=True)
    assert isinstance(results[0], asyncio.CancelledError)
    assert all(isinstance(r, ConnectionError) and database_unavailable(r) for r in results[1:])
    assert await kept(db) == 0  # their webhooks answer 503: Telegram sends them again
    assert await inbox.keep("4", "{}") is True  # and the next update is kept as usual


@pytest.mark.postgres
async def test_when_the_kept_connection_breaks_that_update_is_refused_and_the_next_is_kept(
    pg_db: Database, clock: ManualClock
) -> None:
    inbox = UpdateInbox(pg_db, clock, "telegram", HOLD)
    try:
        assert await inbox.keep("1", "{}") is True
        async with pg_db.engine.connect() as admin:  # PostgreSQL restarts, or drops it
            await admin.execute(
                sqlalchemy.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        with pytest.raises(Exception) as refused:
            await inbox.keep("2", "{}")
        assert database_unavailable(refused.value)  # the webhook answers 503: sent again
        assert await inbox.keep("2", "{}") is True  # on a new connection
        assert await kept(pg_db) == 2
    finally:
        await inbox.close()
