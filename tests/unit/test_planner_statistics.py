"""After a bulk load, PostgreSQL plans a shopper's look-up with the indexes at once."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.runtime.clock import ManualClock
from core.sample import demo_shop
from core.storage import refresh_planner_statistics
from core.storage.db import Database

PARCELS_OF_ONE_ORDER = (
    "EXPLAIN SELECT shipment.id, trackingevent.occurred_at FROM shipment "
    "LEFT OUTER JOIN trackingevent ON trackingevent.shipment_id = shipment.id "
    "WHERE shipment.order_id = 2500 "
    "ORDER BY shipment.id, trackingevent.occurred_at DESC, trackingevent.id DESC"
)


@pytest.mark.postgres
async def test_a_bulk_loaded_shop_is_looked_up_through_its_indexes(
    pg_db: Database, clock: ManualClock
) -> None:
    async with pg_db.engine.begin() as connection:
        await demo_shop.seed(connection, now=clock.now(), count=5_000, bulk=True)
    await refresh_planner_statistics(pg_db.engine)
    async with pg_db.engine.connect() as connection:
        plan = "\n".join(row[0] for row in await connection.execute(text(PARCELS_OF_ONE_ORDER)))
        analyzed = (
            await connection.execute(
                text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'trackingevent'")
            )
        ).scalar()
    assert analyzed is not None
    assert "Seq Scan on trackingevent" not in plan, plan


async def test_sqlite_is_left_as_it_is(db: Database) -> None:
    await refresh_planner_statistics(db.engine)  # no ANALYZE: SQLite keeps its own plans
    async with db.engine.connect() as connection:
        stats = await connection.execute(
            text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        )
        assert stats.scalar() == 0
