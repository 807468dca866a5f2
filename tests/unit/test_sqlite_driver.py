"""The SQLite driver: one thread hop per statement, same results as aiosqlite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core import sqlite_driver
from core.db import Database


@pytest.fixture
async def scratch(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'scratch.db'}")
    async with database.engine.begin() as connection:
        await connection.exec_driver_sql(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"
        )
    yield database
    await database.dispose()


async def test_a_small_query_is_one_hop(scratch: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    hops: list[object] = []
    original = sqlite_driver.Connection._execute

    async def counting(
        self: sqlite_driver.Connection, fn: object, *args: object, **kwargs: object
    ) -> object:
        hops.append(fn)
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(sqlite_driver.Connection, "_execute", counting)
    async with scratch.engine.connect() as connection:
        await connection.exec_driver_sql("SELECT 1")  # the pool's connection is open now
        hops.clear()
        assert (await connection.exec_driver_sql("SELECT 41 + 1")).scalar() == 42
        assert len(hops) == 1


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
    scratch: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = sqlite_driver.Connection._execute

    async def recording(
        self: sqlite_driver.Connection, fn: Any, *args: object, **kwargs: object
    ) -> object:
        calls.append(getattr(fn, "__name__", "?"))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(sqlite_driver.Connection, "_execute", recording)
    async with scratch.engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('x')"))
    assert calls == ["in_worker", "commit"]
    # An open transaction is still rolled back.
    calls.clear()
    async with scratch.engine.connect() as connection:
        await connection.execute(text("INSERT INTO t (name) VALUES ('y')"))
    assert calls == ["in_worker", "rollback"]
    async with scratch.engine.connect() as connection:
        names = (await connection.execute(text("SELECT name FROM t"))).scalars().all()
    assert names == ["x"]
