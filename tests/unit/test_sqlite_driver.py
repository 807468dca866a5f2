"""The SQLite driver: small statements without a thread hop, others with one, same results
as aiosqlite; the event loop never waits for SQLite's write lock."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from core.storage import db, sqlite_driver
from core.storage.db import Database


@pytest.fixture
async def scratch(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'scratch.db'}")
    async with database.engine.begin() as connection:
        await connection.exec_driver_sql(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"
        )
    yield database
    await database.dispose()


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the functions run on the connections' worker threads."""
    seen: list[str] = []
    original = sqlite_driver.Connection._execute

    async def recording(
        self: sqlite_driver.Connection, fn: Any, *args: object, **kwargs: object
    ) -> object:
        seen.append(getattr(fn, "__name__", "?"))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(sqlite_driver.Connection, "_execute", recording)
    return seen


async def test_small_statements_and_the_commit_take_no_hop(
    scratch: Database, hops: list[str]
) -> None:
    async with scratch.engine.connect() as connection:
        await connection.exec_driver_sql("SELECT 1")  # the pool's connection is open now
    hops.clear()
    async with scratch.engine.begin() as connection:
        assert (await connection.exec_driver_sql("SELECT 41 + 1")).scalar() == 42
        await connection.execute(text("INSERT INTO t (name) VALUES ('a')"))
        # What the ORM's flush writes for one changed row:
        await connection.execute(
            text("UPDATE t SET name = :name WHERE t.id = :id"), {"name": "b", "id": 1}
        )
    assert hops == []
    # Statements of unknown size go to the worker, one hop each.
    async with scratch.engine.begin() as connection:
        await connection.execute(text("UPDATE t SET name = name || '!'"))
        await connection.execute(text("INSERT INTO t (name) SELECT 'c'"))
    assert hops == ["in_worker", "in_worker"]
    async with scratch.engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM t ORDER BY id"))).scalars()
        assert list(names) == ["b!", "c"]


async def test_a_long_read_moves_to_the_worker_and_the_transaction_stays(
    scratch: Database, hops: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with scratch.engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": f"n{i}"} for i in range(300)]
        )
    monkeypatch.setattr(sqlite_driver, "INLINE_SECONDS", 0.0)  # any real scan is too long
    hops.clear()
    async with scratch.engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('mine')"))
        pairs = await connection.execute(text("SELECT count(*) FROM t a, t b WHERE a.id < b.id"))
        assert pairs.scalar() == 301 * 300 // 2
        assert hops == ["in_worker"]  # the interrupted read, run again there
    async with scratch.engine.connect() as connection:
        mine = await connection.execute(text("SELECT count(*) FROM t WHERE name = 'mine'"))
        assert mine.scalar() == 1  # the interruption did not roll the write back


async def test_a_write_waits_for_the_lock_while_the_loop_runs_on(tmp_path: Path) -> None:
    path = tmp_path / "scratch.db"
    first = Database(f"sqlite+aiosqlite:///{path}")
    second = Database(f"sqlite+aiosqlite:///{path}")
    async with first.engine.begin() as connection:
        await connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    ticks = 0

    async def ticking() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    ticker = asyncio.create_task(ticking())
    try:
        async with first.engine.begin() as holder:
            await holder.execute(text("INSERT INTO t (name) VALUES ('first')"))
            waiting = asyncio.create_task(_insert(second, "second"))
            await asyncio.sleep(0.05)
            assert not waiting.done()  # it waits for the lock ...
            before = ticks
            await asyncio.sleep(0.05)
            assert ticks > before  # ... without holding up the loop
        await asyncio.wait_for(waiting, 5)
        async with second.engine.connect() as connection:
            names = (await connection.execute(text("SELECT name FROM t ORDER BY id"))).scalars()
            assert list(names) == ["first", "second"]
    finally:
        ticker.cancel()
        await first.dispose()
        await second.dispose()


async def test_a_write_gives_up_after_the_busy_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "scratch.db"
    first = Database(f"sqlite+aiosqlite:///{path}")
    second = Database(f"sqlite+aiosqlite:///{path}")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    async with first.engine.begin() as connection:
        await connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    try:
        async with first.engine.begin() as holder:
            await holder.execute(text("INSERT INTO t (name) VALUES ('first')"))
            with pytest.raises(OperationalError, match="locked"):
                await asyncio.wait_for(_insert(second, "second"), 5)
    finally:
        await first.dispose()
        await second.dispose()


async def test_a_worker_statement_waits_for_the_lock_as_configured(tmp_path: Path) -> None:
    path = tmp_path / "scratch.db"
    first = Database(f"sqlite+aiosqlite:///{path}")
    second = Database(f"sqlite+aiosqlite:///{path}")
    async with first.engine.begin() as connection:
        await connection.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
        await connection.exec_driver_sql("INSERT INTO t (name) VALUES ('a'), ('b')")
    await _insert(second, "c")  # the second connection is in use: it rests at zero
    try:
        async with first.engine.begin() as holder:
            await holder.execute(text("INSERT INTO t (name) VALUES ('first')"))

            async def rename_all() -> None:  # many rows: it runs on the worker thread
                async with second.engine.begin() as connection:
                    await connection.execute(text("UPDATE t SET name = upper(name)"))

            waiting = asyncio.create_task(rename_all())
            await asyncio.sleep(0.1)
            assert not waiting.done()  # SQLite's busy handler waits on the worker
        await asyncio.wait_for(waiting, 5)
        async with second.engine.connect() as connection:
            names = (await connection.execute(text("SELECT name FROM t ORDER BY id"))).scalars()
            assert list(names) == ["A", "B", "C", "FIRST"]
    finally:
        await first.dispose()
        await second.dispose()


@pytest.mark.parametrize("code", [sqlite3.SQLITE_BUSY, sqlite3.SQLITE_BUSY_RECOVERY])
async def test_a_read_that_meets_a_lock_runs_again_on_the_worker(
    scratch: Database, hops: list[str], code: int
) -> None:
    # In WAL mode a read meets a lock only in rare moments (a recovery, a truncating
    # checkpoint); SQLite's answer then is SQLITE_BUSY, given here to the first inline try.
    async with scratch.engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('a')"))
        driver = (await connection.get_raw_connection()).driver_connection
        assert isinstance(driver, sqlite_driver.Connection)
        real = driver._conn
        loop_thread = threading.get_ident()

        class Locked:
            """The sqlite3 connection; its first cursor is locked out on the loop's thread."""

            busy = True

            def __getattr__(self, name: str) -> Any:
                return getattr(real, name)

            def cursor(self) -> Any:
                cursor = real.cursor()
                if threading.get_ident() != loop_thread or not Locked.busy:
                    return cursor
                Locked.busy = False

                class Once:
                    def __getattr__(self, name: str) -> Any:
                        return getattr(cursor, name)

                    def execute(self, *args: Any) -> Any:
                        if threading.get_ident() != loop_thread:
                            return cursor.execute(*args)
                        error = sqlite3.OperationalError("database is locked")
                        error.sqlite_errorcode = code  # type: ignore[attr-defined]
                        raise error

                return Once()

        driver._connection = Locked()  # type: ignore[assignment]
        hops.clear()
        try:
            rows = await connection.execute(text("SELECT name FROM t"))
            assert list(rows.scalars()) == ["a"]
        finally:
            driver._connection = real
    assert hops == ["in_worker"]


async def _insert(database: Database, name: str) -> None:
    async with database.engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES (:name)"), {"name": name})


async def test_checkpoints_run_on_the_worker(
    scratch: Database, hops: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_driver, "CHECKPOINT_COMMITS", 3)
    hops.clear()
    for name in ("a", "b", "c", "d"):
        async with scratch.engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (name) VALUES (:name)"), {"name": name})
    assert hops == ["<lambda>"]  # after the third commit
    async with scratch.engine.connect() as connection:
        mode = await connection.exec_driver_sql("PRAGMA wal_autocheckpoint")
        assert mode.scalar() == 0  # SQLite's own would run inside a commit on the loop


async def test_writes_report_rowcount_and_lastrowid(scratch: Database) -> None:
    async with scratch.engine.begin() as connection:
        inserted = await connection.execute(text("INSERT INTO t (name) VALUES ('a')"))
        assert inserted.lastrowid == 1
        await connection.execute(text("INSERT INTO t (name) VALUES ('b'), ('c')"))
        updated = await connection.execute(text("UPDATE t SET name = name || '!' WHERE id > 1"))
        assert updated.rowcount == 2
    with pytest.raises(IntegrityError):
        async with scratch.engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (name) VALUES ('a')"))


async def test_large_and_streamed_results_arrive_whole(scratch: Database) -> None:
    rows = sqlite_driver.PREFETCH_ROWS * 3 + 7
    async with scratch.engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": f"n{i}"} for i in range(rows)]
        )
    async with scratch.engine.connect() as connection:
        everything = (await connection.execute(text("SELECT id FROM t ORDER BY id"))).all()
        assert [r[0] for r in everything] == list(range(1, rows + 1))
        streamed = await connection.stream(text("SELECT id FROM t ORDER BY id"))
        parts = [part async for part in streamed.partitions(10)]
        assert sum(len(part) for part in parts) == rows
        # A stream abandoned half way is closed, and the connection stays usable.
        partial = await connection.stream(text("SELECT id FROM t ORDER BY id"))
        assert len(await partial.fetchmany(5)) == 5
        await partial.close()
        assert (await connection.execute(text("SELECT count(*) FROM t"))).scalar() == rows


async def test_a_committed_connection_goes_back_to_the_pool_without_a_rollback(
    scratch: Database, hops: list[str]
) -> None:
    async with scratch.engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('x')"))
    assert hops == []
    # An open transaction is still rolled back.
    async with scratch.engine.connect() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('y')"))
    assert hops == ["rollback"]
    async with scratch.engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM t"))).scalars().all()
    assert names == ["x"]
