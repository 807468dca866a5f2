"""core.storage.hot_sql: fixed statements on the SQLite driver answer as SQLAlchemy's Core would.

Same values (aware datetimes, booleans, NULLs), same exceptions (IntegrityError from a
duplicate, OperationalError when the write lock stays taken), in the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import bindparam, insert, literal, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import col

from core.storage import hot_sql
from core.storage.columns import UTCDateTime
from core.storage.db import Database
from core.storage.models import ChannelIdentity

SEEN = datetime(2026, 11, 2, 12, 30, 15, 250000, tzinfo=UTC)
_IDENTITIES = ChannelIdentity.__table__  # type: ignore[attr-defined]
_ADD = insert(_IDENTITIES).values(
    channel=bindparam("channel"),
    external_id=bindparam("sender"),
    display_name="",
    pushes_enabled=bindparam("pushes"),
    created_at=bindparam("at", type_=UTCDateTime),
    last_seen_at=bindparam("at", type_=UTCDateTime),
)
_READ = select(
    ChannelIdentity.external_id,
    ChannelIdentity.pushes_enabled,
    ChannelIdentity.created_at,
    ChannelIdentity.verified_at,
    literal("fixed").label("constant"),
).where(col(ChannelIdentity.channel) == bindparam("channel"))


async def test_rows_and_values_match_sqlalchemy_core(db: Database) -> None:
    async with db.transaction() as session:
        await hot_sql.write(
            session, _ADD, {"channel": "t", "sender": "7", "pushes": False, "at": SEEN}
        )
        fast = await hot_sql.fetch(session, _READ, {"channel": "t"})
        core = (await (await session.connection()).execute(_READ, {"channel": "t"})).all()
    assert [tuple(row) for row in fast] == [tuple(row) for row in core]
    assert tuple(fast[0]) == ("7", False, SEEN, None, "fixed")
    assert fast[0][2].tzinfo is UTC


async def test_a_duplicate_raises_sqlalchemys_integrity_error_and_nothing_is_kept(
    db: Database,
) -> None:
    row = {"channel": "t", "sender": "7", "pushes": True, "at": SEEN}
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            await hot_sql.write(session, _ADD, {**row, "sender": "8"})
            await hot_sql.write(session, _ADD, row)
            await hot_sql.write(session, _ADD, row)
    async with db.session() as session:
        assert await hot_sql.fetch(session, _READ, {"channel": "t"}) == []


async def test_reads_see_pending_orm_changes(db: Database) -> None:
    async with db.transaction() as session:
        session.add(ChannelIdentity(channel="t", external_id="9", created_at=SEEN))
        rows = await hot_sql.fetch(session, _READ, {"channel": "t"})
    assert [row[0] for row in rows] == ["9"]


async def test_a_write_lock_held_past_the_busy_timeout_raises_operational_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "locked.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    async with database.engine.connect() as connection:
        await connection.exec_driver_sql("PRAGMA busy_timeout = 50")  # read once, then kept
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="locked"):
            async with database.transaction():
                pass
    finally:
        holder.rollback()
        holder.close()
        await database.dispose()
