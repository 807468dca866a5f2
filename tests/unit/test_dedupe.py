from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.dedupe import first_delivery, forget_delivery, prune_deliveries


async def test_a_redelivered_update_is_seen_once(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        assert await first_delivery(session, clock, "telegram", "1001")
        assert not await first_delivery(session, clock, "telegram", "1001")
        assert await first_delivery(session, clock, "slack", "1001")
    async with db.transaction() as session:
        assert not await first_delivery(session, clock, "telegram", "1001")


async def test_a_forgotten_update_is_processed_again(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        assert await first_delivery(session, clock, "slack", "Ev1")
        assert await first_delivery(session, clock, "telegram", "Ev1")
    async with db.transaction() as session:
        await forget_delivery(session, "slack", "Ev1")
    async with db.transaction() as session:
        assert await first_delivery(session, clock, "slack", "Ev1")
        assert not await first_delivery(session, clock, "telegram", "Ev1")  # untouched


async def test_pruning_forgets_only_marks_older_than_the_cut(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        assert await first_delivery(session, clock, "telegram", "old")
    clock.advance(minutes=60)
    cut = clock.now()
    async with db.transaction() as session:
        assert await first_delivery(session, clock, "telegram", "new")
        assert await prune_deliveries(session, cut) == 1
    async with db.transaction() as session:
        assert await first_delivery(session, clock, "telegram", "old")
        assert not await first_delivery(session, clock, "telegram", "new")
