"""PostgreSQL: a pooled connection that lay idle is checked before use, one just used is not.

A connection the server dropped while it sat in the pool (PostgreSQL restarted, a proxy's
idle timeout) must not fail the next shopper's answer: it is replaced at check-out. One given
back a moment ago is trusted without the round trip; if it broke since, its transaction
fails as a dropped connection does (retried), and the pool is renewed for the next.
"""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text

from core.storage import db as db_module
from core.storage.db import Database, database_unavailable

pytestmark = pytest.mark.postgres


async def answer(database: Database) -> int:
    async with database.transaction() as session:
        return (await session.execute(text("SELECT 1"))).scalar_one()


async def drop_connections(url: str) -> None:
    """What a restart does to the pool: the server ends every other session of the database."""
    admin = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()


async def test_a_connection_dropped_while_idle_is_replaced_before_use(
    pg_db: Database, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await answer(pg_db) == 1  # a connection now waits in the pool
    await drop_connections(pg_url)
    monkeypatch.setattr(db_module, "IDLE_BEFORE_CHECK", 0.0)  # it has lain idle long enough

    assert await answer(pg_db) == 1  # checked, found gone, replaced: nothing failed


async def test_a_connection_dropped_right_after_use_fails_once_then_the_pool_is_renewed(
    pg_db: Database, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "IDLE_BEFORE_CHECK", 3600.0)  # given back "a moment ago"
    assert await answer(pg_db) == 1
    await drop_connections(pg_url)

    with pytest.raises(Exception) as failed:
        await answer(pg_db)
    assert database_unavailable(failed.value)  # callers retry such a failure
    assert await answer(pg_db) == 1
