"""A scratch PostgreSQL database for a benchmark: created and migrated, dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from core.storage import schema
from core.storage.db import Database

SERVER = os.environ.get(
    "WISMO_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


@asynccontextmanager
async def scratch_database(server: str = SERVER) -> AsyncIterator[str]:
    """The URL of a brand-new, migrated database on `server`'s cluster (dropped on exit)."""
    import asyncpg  # type: ignore[import-untyped]

    admin_dsn = server.replace("postgresql+asyncpg://", "postgresql://")
    name = f"wismo_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_dsn, timeout=5)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = server.rsplit("/", 1)[0] + f"/{name}"
    database = Database(url)
    await schema.upgrade(database.engine)
    await database.dispose()
    try:
        yield url
    finally:
        admin = await asyncpg.connect(admin_dsn, timeout=5)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
