"""Schema versions: upgrade to the newest migration, and refuse a schema we do not know."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"


class UnknownSchemaError(Exception):
    """The database carries a schema revision this version of wismo does not know."""


def alembic_config() -> Config:
    """An Alembic configuration pointing at wismo's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _check_known(connection: Connection) -> str | None:
    current = _current(connection)
    if current is None:
        return None
    script = ScriptDirectory.from_config(alembic_config())
    try:
        script.get_revision(current)
    except Exception:
        raise UnknownSchemaError(
            f"the database is at schema revision {current!r}, which this wismo does not know "
            "(it was written by a newer version); upgrade wismo"
        ) from None
    return current


def _upgrade(connection: Connection) -> None:
    _check_known(connection)
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def upgrade(engine: AsyncEngine) -> None:
    """Apply every migration not yet applied; refuses a schema newer than this code."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema revision the database is at (None when empty)."""
    async with engine.connect() as connection:
        return await connection.run_sync(_check_known)


async def ensure_current(engine: AsyncEngine) -> None:
    """Raise unless the database is exactly at the newest known revision."""
    current = await current_revision(engine)
    if current != head_revision():
        found = f"at schema revision {current}" if current else "empty (no wismo tables yet)"
        raise UnknownSchemaError(
            f"the database is {found}; this wismo needs revision {head_revision()}: "
            "run `wismo db upgrade`"
        )
