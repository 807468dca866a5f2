"""SQLite write transactions of one process take turns in order, urgent ones first."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from core.runtime.clock import ManualClock
from core.storage import UpdateInbox, schema
from core.storage.db import Database, database_unavailable
from core.storage.write_turns import WriteTurns


async def _hold(turns: WriteTurns, name: str, log: list[str], *, urgent: bool = False) -> None:
    async with turns.turn(urgent=urgent):
        log.append(name)
        await asyncio.sleep(0)


async def test_turns_go_in_order_and_urgent_ones_first() -> None:
    turns = WriteTurns(timeout=5)
    log: list[str] = []
    async with turns.turn():
        tasks = [asyncio.create_task(_hold(turns, f"answer {n}", log)) for n in (1, 2)]
        await asyncio.sleep(0)
        tasks.append(asyncio.create_task(_hold(turns, "webhook update", log, urgent=True)))
        await asyncio.sleep(0)
        assert log == []  # all wait while the first turn is held
    await asyncio.gather(*tasks)
    assert log == ["webhook update", "answer 1", "answer 2"]


async def test_a_turn_not_given_in_time_fails_as_a_locked_database_and_others_go_on() -> None:
    turns = WriteTurns(timeout=0.05)
    log: list[str] = []
    async with turns.turn():
        with pytest.raises(OperationalError) as failure:
            async with turns.turn():  # the same task again: it can never get the turn
                pass
        waiting = asyncio.create_task(_hold(turns, "next", log))
        await asyncio.sleep(0)
    assert "database is locked" in str(failure.value) and database_unavailable(failure.value)
    await asyncio.wait_for(waiting, 1)
    assert log == ["next"]


async def test_a_waiter_cancelled_after_its_turn_was_given_passes_it_on() -> None:
    turns = WriteTurns(timeout=5)
    log: list[str] = []
    async with turns.turn():
        first = asyncio.create_task(_hold(turns, "cancelled", log))
        second = asyncio.create_task(_hold(turns, "second", log))
        await asyncio.sleep(0)
    first.cancel()  # its turn was given as the block ended, before it could run
    await asyncio.wait_for(second, 1)
    assert log == ["second"]
    async with asyncio.timeout(1), turns.turn():  # and the turn is free again afterwards
        pass


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'wismo.db'}")
    await schema.upgrade(database.engine)
    yield database
    await database.dispose()


async def test_a_webhook_update_is_kept_before_answers_waiting_to_write(
    database: Database,
) -> None:
    """While a shopper's answer holds the write lock and others queue behind it, the update
    Telegram waits on is kept next, not after them."""
    inbox = UpdateInbox(database, ManualClock(), "telegram", hold=timedelta(seconds=60))
    kept_when_writing: dict[str, int] = {}
    release = asyncio.Event()

    async def answer(name: str) -> None:
        async with database.transaction() as session:
            kept = await session.execute(text("SELECT count(*) FROM inbound_update"))
            kept_when_writing[name] = kept.scalar_one()
            if name == "answer 1":
                await release.wait()

    answers = [asyncio.create_task(answer(f"answer {n}")) for n in (1, 2, 3)]
    await asyncio.sleep(0.01)
    keep = asyncio.create_task(inbox.keep("7001", '{"update_id": 7001}'))
    await asyncio.sleep(0.01)
    assert not keep.done()  # it waits for the answer holding the lock
    release.set()
    assert await asyncio.wait_for(keep, 5) is True
    await asyncio.gather(*answers)
    assert kept_when_writing == {"answer 1": 0, "answer 2": 1, "answer 3": 1}
