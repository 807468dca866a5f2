"""Shared fixtures: a clock, a fresh migrated SQLite database per test, PostgreSQL on demand."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.runtime.clock import ManualClock
from core.storage import schema
from core.storage.db import Database

POSTGRES_URL = os.environ.get(
    "WISMO_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture
def clock() -> ManualClock:
    """A clock at Monday 2026-11-02 12:00 UTC that moves only when told to."""
    return ManualClock()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head, copied for each test (migrations run once)."""
    import asyncio

    path = tmp_path_factory.mktemp("template") / "template.db"

    async def build() -> None:
        database = Database(f"sqlite+aiosqlite:///{path}")
        await schema.upgrade(database.engine)
        await database.dispose()

    asyncio.run(build())
    return path


@pytest.fixture
async def db(migrated_template: Path, tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh, migrated SQLite database for this test only."""
    target = tmp_path / "wismo.db"
    shutil.copyfile(migrated_template, target)
    database = Database(f"sqlite+aiosqlite:///{target}")
    yield database
    await database.dispose()


async def _postgres_reachable() -> str | None:
    import asyncpg  # type: ignore[import-untyped]

    dsn = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    try:
        connection = await asyncpg.connect(dsn, timeout=3)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    await connection.close()
    return None


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A brand-new, migrated PostgreSQL database for this test; skipped when no server answers.

    CI sets WISMO_REQUIRE_POSTGRES=1, which turns the skip into a failure.
    """
    import asyncpg

    problem = await _postgres_reachable()
    if problem:
        if os.environ.get("WISMO_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL required but unreachable at {POSTGRES_URL}: {problem}")
        pytest.skip(f"no PostgreSQL at {POSTGRES_URL} ({problem})")
    admin_dsn = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    name = f"wismo_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    database = Database(url)
    await schema.upgrade(database.engine)
    await database.dispose()
    try:
        yield url
    finally:
        admin = await asyncpg.connect(admin_dsn)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
async def pg_db(pg_url: str) -> AsyncIterator[Database]:
    """A `Database` on a fresh PostgreSQL database."""
    database = Database(pg_url)
    yield database
    await database.dispose()
