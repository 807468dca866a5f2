from core.clock import ManualClock
from core.db import Database
from core.dedupe import first_delivery


async def test_a_redelivered_update_is_seen_once(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        assert await first_delivery(session, clock, "telegram", "1001")
        assert not await first_delivery(session, clock, "telegram", "1001")
        assert await first_delivery(session, clock, "slack", "1001")
    async with db.transaction() as session:
        assert not await first_delivery(session, clock, "telegram", "1001")
