"""The shared send pace: its shape of the limit, and what it does without its database."""

from __future__ import annotations

import pytest

from core.pushes.pace import LocalPace, SharedPace, capacity_and_window
from core.storage.db import Database


def test_a_limit_is_slots_per_window() -> None:
    assert capacity_and_window(30) == (30, 1.0)
    assert capacity_and_window(2.5) == (2, 1.0)
    assert capacity_and_window(0.5) == (1, 2.0)  # one send per two seconds
    with pytest.raises(ValueError):
        capacity_and_window(0)


async def test_sqlite_runs_one_process_and_takes_the_local_pace(db: Database) -> None:
    with pytest.raises(ValueError, match="LocalPace"):
        SharedPace(db, "telegram", 30)
    pace = LocalPace(30)
    async with pace.turn("all"):
        pass


async def test_without_its_database_a_replica_still_sends_paced_alone() -> None:
    # Nothing listens on port 1: every connection is refused at once.
    database = Database("postgresql+asyncpg://wismo@127.0.0.1:1/wismo")
    pace = SharedPace(database, "telegram", 30)
    sent = 0
    for _ in range(3):
        async with pace.turn("all"):
            sent += 1
    await database.dispose()
    assert sent == 3


def test_replicas_share_a_platforms_limit_but_not_a_limit_no_platform_has() -> None:
    from bot.services import MAX_SHARED_RATE, build_services, shared_pace
    from bot.settings import load_settings

    # No connection is made: the pace only keeps the database to claim slots later.
    services = build_services(
        load_settings(database_url="postgresql+asyncpg://wismo@127.0.0.1:1/w")
    )
    assert isinstance(shared_pace(services, "telegram", 30), SharedPace)
    # A local Bot API server set to 1,000,000/s would otherwise be a million slot rows,
    # all named in every send's claim.
    assert shared_pace(services, "telegram", MAX_SHARED_RATE * 1000) is None
