"""The scheduler forgets redelivery marks after a week, so the table does not only grow."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.scheduler import KEEP_DELIVERY_MARKS, Jobs
from bot.services import build_services
from bot.settings import load_settings
from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.dedupe import first_delivery
from core.storage.models import ProcessedUpdate


async def test_the_scheduler_prunes_week_old_delivery_marks(
    db: Database, clock: ManualClock
) -> None:
    services = build_services(load_settings(database_url=db.url), clock=clock)
    jobs = Jobs(services, senders={}, sources={})
    await jobs.start()
    try:
        assert jobs.scheduler.get_job("prune_deliveries") is not None
        async with services.database.transaction() as session:
            await first_delivery(session, clock, "slack", "Ev-old")
            await first_delivery(session, clock, "telegram", "101")
        clock.advance(minutes=60)
        async with services.database.transaction() as session:
            await first_delivery(session, clock, "slack", "Ev-recent")
        clock.set(clock.now() + KEEP_DELIVERY_MARKS - timedelta(minutes=30))
        assert await jobs.prune_deliveries() == 2
        async with services.database.session() as session:
            kept = (await session.exec(select(ProcessedUpdate.update_key))).all()
        assert kept == ["Ev-recent"]
    finally:
        await jobs.stop()
        await services.database.dispose()
