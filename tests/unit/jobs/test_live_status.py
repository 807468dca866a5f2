"""Live status cards on SQLite and PostgreSQL: marked due by scans, claimed once across
replicas, edited with the newest state, retried, dropped when no longer wanted."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable

from sqlmodel import select

from core.ingest.tracking_update import TrackingUpdate
from core.ingest.updates import apply_tracking_updates
from core.pushes.live import mark_due
from core.pushes.live_updater import LiveStats, LiveStatusUpdater
from core.pushes.notifications import unfollow
from core.replies.reply import Reply
from core.replies.sender import Blocked, Permanent, SendOutcome, Sent, Transient
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import ChannelIdentity, LiveStatus
from core.tracking.statuses import ShipmentStatus as S
from tests.unit.jobs.factory import Shop, make_shop

CONFIG = CoreConfig(shop_name="Shop", timezone="Europe/Berlin", live_status_channels=("telegram",))


class LiveRecorder:
    """A live-capable sender: records (recipient, ref it was asked to edit, first section)."""

    def __init__(self, script: Iterable[SendOutcome] = (), delay: float = 0.0) -> None:
        self.script: deque[SendOutcome] = deque(script)
        self.calls: list[tuple[str, str | None, str]] = []
        self.delay = delay

    async def send(self, recipient: str, reply: Reply) -> SendOutcome:
        return Sent(ref="unused")

    async def edit_or_send(self, recipient: str, ref: str | None, reply: Reply) -> SendOutcome:
        if self.delay:
            await asyncio.sleep(self.delay)  # other replicas get a turn while this one "sends"
        self.calls.append((recipient, ref, reply.sections[0].text or ""))
        if self.script:
            return self.script.popleft()
        return Sent(ref=ref or f"{recipient}:{len(self.calls)}")


_seq = iter(range(1, 100_000))


async def scans(db: Database, clock: ManualClock, shop: Shop, *texts: str) -> None:
    clock.advance(minutes=10)
    updates = [
        TrackingUpdate(
            source="aftership",
            source_event_id=f"ev-{next(_seq)}",
            tracking_number=shop.shipment.tracking_number,
            status=S.IN_TRANSIT,
            occurred_at=clock.now(),
            location="Kassel",
            text=text,
        )
        for text in texts
    ]
    async with db.transaction() as session:
        await apply_tracking_updates(session, clock, CONFIG, updates)


async def rows(db: Database) -> list[LiveStatus]:
    async with db.session() as session:
        return list((await session.exec(select(LiveStatus).order_by(LiveStatus.id))).all())


def updater(db: Database, clock: ManualClock, sender: LiveRecorder, name: str = "w1"):
    return LiveStatusUpdater(db, clock, CONFIG, {"telegram": sender}, worker=name)


async def test_a_scan_marks_the_followers_card_and_the_next_scan_bumps_it(
    database: Database, clock: ManualClock
) -> None:
    async with database.transaction() as session:
        shop = await make_shop(session, clock, status="in_transit")
        await make_shop(session, clock, number="1002", tracking="TRK1002", follow=False)
    await scans(database, clock, shop, "Arrived at hub")
    [card] = await rows(database)
    assert (card.identity_id, card.state, card.version) == (shop.identity.id, "pending", 1)
    await scans(database, clock, shop, "Departed hub", "Arrived at depot")
    [card] = await rows(database)
    assert card.version == 2  # one batch, one bump


async def test_the_card_shows_the_newest_scan_and_is_then_edited_in_place(
    database: Database, clock: ManualClock
) -> None:
    async with database.transaction() as session:
        shop = await make_shop(session, clock, status="in_transit")
    sender = LiveRecorder()
    await scans(database, clock, shop, "Arrived at hub")
    assert (await updater(database, clock, sender).drain()).sent == 1
    await scans(database, clock, shop, "Departed hub")
    assert (await updater(database, clock, sender).drain()).edited == 1
    (_, first_ref, _), (_, edit_ref, _) = sender.calls
    assert first_ref is None and edit_ref == "chat-1001:1"
    [card] = await rows(database)
    assert (card.state, card.shown_version, card.message_ref) == ("current", 2, "chat-1001:1")
    assert (await updater(database, clock, sender).drain()).claimed == 0  # nothing new


async def test_two_replicas_edit_each_card_once(database: Database, clock: ManualClock) -> None:
    async with database.transaction() as session:
        shops = [
            await make_shop(
                session, clock, number=str(2000 + i), tracking=f"T{i}", status="in_transit"
            )
            for i in range(12)
        ]
    for shop in shops:
        await scans(database, clock, shop, "Arrived at hub")
    sender = LiveRecorder(delay=0.001)
    one, two = (updater(database, clock, sender, name) for name in ("w1", "w2"))
    first, second = await asyncio.gather(one.drain(), two.drain())
    assert first.sent + second.sent == 12
    assert sorted(recipient for recipient, _, _ in sender.calls) == sorted(
        shop.identity.external_id for shop in shops
    )
    assert {card.state for card in await rows(database)} == {"current"}


async def test_a_scan_during_the_edit_makes_one_more_edit(
    database: Database, clock: ManualClock
) -> None:
    async with database.transaction() as session:
        shop = await make_shop(session, clock, status="in_transit")
    await scans(database, clock, shop, "Arrived at hub")
    live = updater(database, clock, LiveRecorder())
    [claim] = await live._claim()
    async with database.transaction() as session:  # a scan lands while the card is claimed
        await mark_due(session, clock, CONFIG, {shop.order.id})
    await live._record(claim, Sent(ref="chat-1001:9"), LiveStats())
    [card] = await rows(database)
    assert (card.state, card.version, card.shown_version) == ("pending", 2, 1)


async def test_failures_retry_give_up_and_block(database: Database, clock: ManualClock) -> None:
    async with database.transaction() as session:
        shop = await make_shop(session, clock, status="in_transit")
    await scans(database, clock, shop, "Arrived at hub")
    sender = LiveRecorder([Transient("timeout"), Permanent("chat not found"), Blocked()])
    live = updater(database, clock, sender)
    assert (await live.drain()).retried == 1
    clock.advance(minutes=1)
    assert (await live.drain()).failed == 1
    [card] = await rows(database)
    assert (card.state, card.last_error) == ("failed", "chat not found")
    await scans(database, clock, shop, "Departed hub")  # a new scan tries afresh
    assert (await live.drain()).dropped == 1
    assert await rows(database) == []
    async with database.session() as session:
        identity = await session.get(ChannelIdentity, shop.identity.id)
    assert identity is not None and identity.blocked_at is not None


async def test_unfollow_forgets_the_card_and_other_channels_get_none(
    database: Database, clock: ManualClock
) -> None:
    async with database.transaction() as session:
        shop = await make_shop(session, clock, status="in_transit")
        console = await make_shop(session, clock, number="3001", tracking="C1", chat="ada")
        identity = await session.get(ChannelIdentity, console.identity.id)
        assert identity is not None
        identity.channel = "console"
        session.add(identity)
    await scans(database, clock, shop, "Arrived at hub")
    await scans(database, clock, console, "Arrived at hub")
    assert [card.order_id for card in await rows(database)] == [shop.order.id]
    async with database.transaction() as session:
        assert shop.identity.id is not None and shop.order.id is not None
        await unfollow(session, clock, shop.identity.id, shop.order.id)
    assert await rows(database) == []
