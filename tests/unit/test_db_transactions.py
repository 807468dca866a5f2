"""`Database.transaction()` on SQLite: concurrent read-then-write transactions take turns.

A transaction that reads and then writes must see the rows it is about to change as they
are when it writes. Begun DEFERRED (a read snapshot first, the write lock later), two such
transactions at once end in SQLITE_BUSY_SNAPSHOT — "database is locked", which no busy
timeout cures — and with pysqlite's own implicit BEGIN at the first write, the reads fall
outside the transaction and one increment silently overwrites the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.storage.db import Database

WRITERS = 4  # within the pool's five connections, so none is opened on the way


@pytest.fixture
async def counter(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'counter.db'}")
    async with database.engine.begin() as connection:
        await connection.exec_driver_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INT)")
        await connection.exec_driver_sql("INSERT INTO counter (id, n) VALUES (1, 0)")
    # Open the writers' connections now: each then starts without a thread hop, so all
    # of them would read before any writes if the reads took no lock.
    held = [await database.engine.connect() for _ in range(WRITERS)]
    for connection in held:
        await connection.close()
    yield database
    await database.dispose()


async def increment(database: Database) -> None:
    async with database.transaction() as session:
        n = (await session.execute(text("SELECT n FROM counter WHERE id = 1"))).scalar_one()
        await asyncio.sleep(0)  # let the other writers run between the read and the write
        await session.execute(text("UPDATE counter SET n = :n WHERE id = 1"), {"n": n + 1})


async def test_concurrent_read_then_write_transactions_all_commit_without_losing_one(
    counter: Database,
) -> None:
    await asyncio.gather(*(increment(counter) for _ in range(WRITERS)))
    async with counter.session() as session:
        assert (await session.execute(text("SELECT n FROM counter"))).scalar_one() == WRITERS


async def test_a_read_only_session_does_not_hold_up_a_writer(counter: Database) -> None:
    async with counter.session() as reader:
        await reader.execute(text("SELECT n FROM counter"))
        await asyncio.wait_for(increment(counter), timeout=5)  # no write lock taken by reads
        # The reader's session is still open and sees the committed write.
        assert (await reader.execute(text("SELECT n FROM counter"))).scalar_one() == 1


async def count(database: Database) -> int:
    async with database.session() as session:
        return (await session.execute(text("SELECT n FROM counter"))).scalar_one()


async def test_a_transaction_that_fails_keeps_nothing_and_the_next_one_commits(
    counter: Database,
) -> None:
    with pytest.raises(RuntimeError):
        async with counter.transaction() as session:
            await session.execute(text("UPDATE counter SET n = 10 WHERE id = 1"))
            raise RuntimeError("the caller's own failure")
    assert await count(counter) == 0
    await increment(counter)
    assert await count(counter) == 1


async def test_a_transaction_cancelled_half_way_keeps_nothing_and_the_next_one_commits(
    counter: Database,
) -> None:
    wrote = asyncio.Event()

    async def interrupted() -> None:
        async with counter.transaction() as session:
            await session.execute(text("UPDATE counter SET n = 10 WHERE id = 1"))
            wrote.set()
            await asyncio.Event().wait()  # cancelled here, its update not committed

    task = asyncio.create_task(interrupted())
    await wrote.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await count(counter) == 0
    await asyncio.wait_for(increment(counter), timeout=5)  # the write lock was let go
    assert await count(counter) == 1


async def test_a_commit_that_fails_keeps_nothing_and_the_next_one_commits(
    counter: Database,
) -> None:
    async with counter.engine.begin() as connection:
        await connection.exec_driver_sql(
            "CREATE TABLE child (id INTEGER PRIMARY KEY,"
            " counter_id INT REFERENCES counter (id) DEFERRABLE INITIALLY DEFERRED)"
        )
    with pytest.raises(IntegrityError):
        async with counter.transaction() as session:
            await session.execute(text("UPDATE counter SET n = 10 WHERE id = 1"))
            await session.execute(text("INSERT INTO child (counter_id) VALUES (99)"))
            # the foreign key is checked at COMMIT, which fails
    assert await count(counter) == 0
    await increment(counter)
    assert await count(counter) == 1
