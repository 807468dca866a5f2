"""The daily digest reports yesterday's headline numbers and is posted once across replicas."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from core.replies.reply import Reply
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.staff.digest import post_daily_digest
from core.staff.flags import raise_flag
from core.storage.db import Database
from core.storage.models import Notification
from tests.unit.jobs.factory import make_shop

CONFIG = CoreConfig(shop_name="Acme", timezone="Europe/Berlin", slack_alerts_channel="C-ALERTS")


async def test_two_replicas_post_one_digest_with_yesterdays_numbers(
    database: Database, clock: ManualClock
):
    clock.set(datetime(2026, 11, 2, 12, 0, tzinfo=UTC))
    async with database.transaction() as session:
        shop = await make_shop(session, clock, promised_in=-timedelta(hours=1))
        shop.shipment.shipped_at = clock.now()
        session.add(shop.shipment)
        await raise_flag(session, clock, CONFIG, shop.order.id, "late", open_key="late:1")
    clock.set(datetime(2026, 11, 3, 8, 0, tzinfo=UTC))  # 09:00 in Berlin
    results = [
        await post_daily_digest(database, clock, CONFIG, holder="replica-a"),
        await post_daily_digest(database, clock, CONFIG, holder="replica-b"),
    ]
    assert results == [True, False]
    async with database.session() as session:
        digests = (
            await session.exec(select(Notification).where(Notification.kind == "digest"))
        ).all()
    assert [(d.recipient, d.dedupe_key) for d in digests] == [("C-ALERTS", "digest:2026-11-02")]
    card = Reply.from_dict(digests[0].reply)
    assert card.sections[0].title == "Acme: daily digest for Mon 2 Nov 2026"
    figures = {f.label: f.value for f in card.sections[0].fields}
    assert figures == {
        "Orders placed": "0",  # placed the day before
        "Parcels shipped": "1",
        "Parcels delivered": "0",
        "Late orders now": "1",
        "Flags raised": "1",
        "Flags open": "1",
        "Pushes sent": "0",
        "Pushes failed": "0",
    }
    assert [(f.label, f.value) for f in card.sections[1].fields] == [("late", "1")]
    # the insights headline for the last seven days follows yesterday's counts
    assert card.sections[2].title == "The last 7 days"
    trend = {f.label: f.value for f in card.sections[2].fields}
    assert trend["Stuck now"] == "0"
    assert trend["Open flags"] == "1"
    assert trend["Pushes"] == "0 sent, 0 failed (–)"


async def test_no_alerts_channel_no_digest(db: Database, clock: ManualClock):
    assert not await post_daily_digest(db, clock, CoreConfig(), holder="a")
