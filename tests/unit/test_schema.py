"""Migrations build the schema from empty, match the models, and refuse unknown revisions."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from core.storage import schema
from core.storage.db import Database


async def test_migrations_from_empty_reach_head(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    assert await schema.current_revision(database.engine) is None
    await schema.upgrade(database.engine)
    assert await schema.current_revision(database.engine) == schema.head_revision()
    await schema.ensure_current(database.engine)
    await database.dispose()


async def test_migrations_match_the_models(db: Database) -> None:
    def diff(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)

    async with db.engine.connect() as connection:
        assert await connection.run_sync(diff) == []


async def test_a_newer_unknown_schema_is_refused(db: Database) -> None:
    async with db.engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(schema.UnknownSchemaError, match="9999"):
        await schema.ensure_current(db.engine)
    with pytest.raises(schema.UnknownSchemaError):
        await schema.upgrade(db.engine)


async def test_sqlite_runs_in_wal_mode(db: Database) -> None:
    async with db.engine.connect() as connection:
        mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar()
    assert mode == "wal"


@pytest.mark.postgres
async def test_migrations_run_on_postgres(pg_db: Database) -> None:
    assert await schema.current_revision(pg_db.engine) == schema.head_revision()


async def test_an_empty_database_is_called_empty_and_the_fix_is_named(tmp_path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/empty.db")
    try:
        with pytest.raises(schema.UnknownSchemaError) as raised:
            await schema.ensure_current(database.engine)
    finally:
        await database.dispose()
    assert str(raised.value).startswith("the database is empty (no wismo tables yet)")
    assert str(raised.value).endswith("run `wismo db upgrade`")
