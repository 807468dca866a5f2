"""The dispatcher sends each push once, in order per chat, and handles every outcome."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import timedelta

import pytest
from sqlmodel import select

from core.pushes.dispatch import Dispatcher
from core.pushes.notifications import enqueue, followers
from core.pushes.pacing import SlidingWindowLimiter
from core.pushes.retry import RetryPolicy
from core.replies.reply import Reply
from core.replies.sender import Blocked, Permanent, RateLimited, Transient
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import ChannelIdentity, Notification
from tests.unit.jobs.factory import make_shop
from tests.unit.jobs.fakes import RaisingSender, RecordingSender

CONFIG = CoreConfig(timezone="UTC")


async def chats(db: Database, clock: ManualClock, *names: str) -> dict[str, ChannelIdentity]:
    found = {}
    async with db.transaction() as session:
        for index, name in enumerate(names):
            shop = await make_shop(
                session, clock, number=str(1001 + index), tracking=f"T{index}", chat=name
            )
            found[name] = shop.identity
    return found


async def push(
    db: Database, clock: ManualClock, identity: ChannelIdentity, text: str, *, urgent=True
) -> Notification | None:
    async with db.transaction() as session:
        return await enqueue(
            session, clock, CONFIG, identity, Reply.text(text), "test", f"k:{text}", urgent=urgent
        )


async def states(db: Database) -> dict[str, tuple[str, int, str | None]]:
    async with db.session() as session:
        rows = await session.exec(select(Notification).order_by(Notification.id))
        return {n.dedupe_key[2:]: (n.state, n.attempts, n.last_error) for n in rows}


async def test_pushes_are_sent_once_in_order_per_chat(database: Database, clock: ManualClock):
    people = await chats(database, clock, "ann", "bob")
    for i in range(4):
        await push(database, clock, people["ann"], f"ann-{i}")
        await push(database, clock, people["bob"], f"bob-{i}")
    sender = RecordingSender()
    dispatcher = Dispatcher(database, clock, {"telegram": sender}, batch_size=50)
    stats = await dispatcher.drain()
    assert stats.sent == 8 and stats.claimed == 8
    assert [t for r, t in sender.sent if r == "ann"] == ["ann-0", "ann-1", "ann-2", "ann-3"]
    assert [t for r, t in sender.sent if r == "bob"] == ["bob-0", "bob-1", "bob-2", "bob-3"]
    assert (await dispatcher.drain()).claimed == 0  # nothing is sent twice
    async with database.session() as session:
        first = (await session.exec(select(Notification).order_by(Notification.id))).first()
    assert first is not None
    assert (first.state, first.external_ref, first.sent_at) == ("sent", "m1", clock.now())


async def test_a_blocked_chat_stops_receiving_pushes(database: Database, clock: ManualClock):
    people = await chats(database, clock, "ann")
    await push(database, clock, people["ann"], "one")
    await push(database, clock, people["ann"], "two")
    stats = await Dispatcher(database, clock, {"telegram": RecordingSender([Blocked()])}).drain()
    assert stats.blocked == 1
    assert await states(database) == {
        "one": ("failed", 1, "blocked: blocked"),
        "two": ("cancelled", 0, "blocked by the recipient"),
    }
    async with database.transaction() as session:
        identity = await session.get(ChannelIdentity, people["ann"].id)
        assert identity is not None and identity.blocked_at == clock.now()
        assert await followers(session, 1) == []
        later = await enqueue(session, clock, CONFIG, identity, Reply.text("x"), "t", "k:later")
    assert later is None


async def test_rate_limited_pauses_the_channel_then_resumes_in_order(
    database: Database, clock: ManualClock
):
    people = await chats(database, clock, "ann", "bob")
    await push(database, clock, people["ann"], "ann-0")
    await push(database, clock, people["ann"], "ann-1")
    await push(database, clock, people["bob"], "bob-0")
    sender = RecordingSender([RateLimited(retry_after=30)])
    slack = RecordingSender()
    dispatcher = Dispatcher(
        database, clock, {"telegram": sender, "slack": slack}, batch_size=1, concurrency=1
    )
    stats = await dispatcher.drain()
    assert (stats.rate_limited, stats.sent) == (1, 0)
    assert (await states(database))["ann-0"] == ("pending", 0, "rate limited for 30s")
    clock.advance(seconds=29)
    assert (await dispatcher.drain()).claimed == 0  # the whole channel waits
    clock.advance(seconds=1)
    assert (await dispatcher.drain()).sent == 3
    assert [t for r, t in sender.sent if r == "ann"] == ["ann-0", "ann-1"]


async def test_transient_failures_back_off_exponentially_then_give_up(
    db: Database, clock: ManualClock
):
    people = await chats(db, clock, "ann")
    await push(db, clock, people["ann"], "one")
    await push(db, clock, people["ann"], "two")
    policy = RetryPolicy(max_attempts=4, base=timedelta(seconds=10), jitter=0)
    sender = RecordingSender([Transient("502 bad gateway")] * 4)
    dispatcher = Dispatcher(db, clock, {"telegram": sender}, retry=policy)
    waits = []
    for _ in range(3):
        before = clock.now()
        assert (await dispatcher.drain()).retried == 1
        async with db.session() as session:
            row = (await session.exec(select(Notification).order_by(Notification.id))).first()
        assert row is not None
        waits.append((row.not_before - before).total_seconds())
        clock.advance(seconds=1)
        assert (await dispatcher.drain()).claimed == 0  # "two" waits behind "one"
        clock.set(row.not_before)
    assert waits == [10, 20, 40]
    stats = await dispatcher.drain()
    assert (stats.failed, stats.sent) == (1, 1)
    assert (await states(db))["one"] == ("failed", 4, "gave up after 4 attempts: 502 bad gateway")
    assert sender.sent == [("ann", "two")]


def test_jitter_shortens_each_wait_by_at_most_its_share():
    policy = RetryPolicy(base=timedelta(seconds=15), cap=timedelta(minutes=2), jitter=0.5)
    rng = random.Random(7)
    for attempt, ceiling in [(1, 15), (2, 30), (3, 60), (4, 120), (9, 120)]:
        delays = {policy.delay(attempt, rng).total_seconds() for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 40  # spread out, not one value


async def test_permanent_failures_and_raising_senders(db: Database, clock: ManualClock):
    people = await chats(db, clock, "ann", "bob")
    await push(db, clock, people["ann"], "bad")
    await push(db, clock, people["bob"], "boom")
    await Dispatcher(
        db, clock, {"telegram": RecordingSender([Permanent("chat not found")])}, batch_size=1
    ).run_once()
    await Dispatcher(db, clock, {"telegram": RaisingSender()}).run_once()
    found = await states(db)
    assert found["bad"] == ("failed", 1, "chat not found")
    assert found["boom"] == ("pending", 1, "RuntimeError: sender exploded")


async def test_a_dead_dispatchers_claims_expire_and_are_sent(db: Database, clock: ManualClock):
    people = await chats(db, clock, "ann")
    await push(db, clock, people["ann"], "one")
    dead = Dispatcher(db, clock, {"telegram": RecordingSender()}, lease=timedelta(minutes=2))
    async with db.transaction() as session:
        claimed = await dead._claim(session, ["telegram"])  # claims, then "dies" before sending
    assert [c.id for c in claimed] == [1]
    alive = Dispatcher(db, clock, {"telegram": (sender := RecordingSender())})
    assert (await alive.drain()).claimed == 0  # the lease still holds
    clock.advance(minutes=2, seconds=1)
    stats = await alive.drain()
    assert (stats.reaped, stats.sent) == (1, 1)
    assert sender.sent == [("ann", "one")]


async def test_quiet_hours_do_not_hold_up_urgent_pushes_but_retries_keep_order(
    db: Database, clock: ManualClock
):
    clock.set(clock.now().replace(hour=22))
    people = await chats(db, clock, "ann")
    await push(db, clock, people["ann"], "tomorrow", urgent=False)
    await push(db, clock, people["ann"], "now")
    sender = RecordingSender()
    await Dispatcher(db, clock, {"telegram": sender}).drain()
    assert sender.sent == [("ann", "now")]


async def test_only_channels_with_a_sender_are_claimed(db: Database, clock: ManualClock):
    people = await chats(db, clock, "ann")
    await push(db, clock, people["ann"], "one")
    assert (await Dispatcher(db, clock, {"slack": RecordingSender()}).drain()).claimed == 0
    assert (await states(db))["one"][0] == "pending"


async def test_a_commit_that_enqueued_wakes_the_dispatcher(db: Database, clock: ManualClock):
    people = await chats(db, clock, "ann")
    dispatcher = Dispatcher(db, clock, {"telegram": RecordingSender()})
    wakes: list[int] = []
    dispatcher.on_wake(lambda: wakes.append(1))
    dispatcher.watch_commits()
    try:
        await push(db, clock, people["ann"], "one")
        assert wakes == [1]
        with pytest.raises(RuntimeError):
            async with db.transaction() as session:
                await enqueue(session, clock, CONFIG, people["ann"], Reply.text("x"), "t", "k:x")
                raise RuntimeError("the cause failed, so its push never existed")
        async with db.transaction() as session:
            session.add(
                ChannelIdentity(channel="telegram", external_id="z", created_at=clock.now())
            )
        assert wakes == [1]
    finally:
        dispatcher.close()


def busiest_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


async def test_the_rate_limit_holds_in_every_window_and_catches_up_after_a_pause():
    limiter = SlidingWindowLimiter(50, window=0.2)  # 50/s: 10 in any 0.2 s
    starts: list[float] = []

    async def send() -> None:
        async with limiter.slot():
            starts.append(time.monotonic())

    await asyncio.gather(*(send() for _ in range(25)))
    assert busiest_window(starts, 0.2) == 10
    assert starts[-1] - starts[0] >= 0.4  # 25 sends at 10 per 0.2 s need three windows
    assert starts[9] - starts[0] < 0.05  # a full window goes at once, no artificial spacing


async def test_on_shutdown_the_batch_in_flight_is_finished_and_no_new_one_started(
    db: Database, clock: ManualClock
):
    people = await chats(db, clock, "ann", "bob")
    await push(db, clock, people["ann"], "ann-0")
    await push(db, clock, people["ann"], "ann-1")
    await push(db, clock, people["bob"], "bob-0")
    gate, both_in_flight = asyncio.Event(), asyncio.Event()
    started: list[str] = []

    class SlowSender(RecordingSender):
        async def send(self, recipient, reply):  # type: ignore[no-untyped-def]
            started.append(recipient)
            if len(started) == 2:
                both_in_flight.set()
            await gate.wait()  # the platform is slow to answer
            return await super().send(recipient, reply)

    sender = SlowSender()
    dispatcher = Dispatcher(db, clock, {"telegram": sender})
    draining = asyncio.create_task(dispatcher.drain())
    await asyncio.wait_for(both_in_flight.wait(), 5)
    assert len(await _claimed(db)) == 2
    dispatcher.stop_after_batch()  # what finish() does first, on shutdown
    gate.set()
    assert await dispatcher.finish(within=5)
    await draining
    assert sorted(sender.sent) == [("ann", "ann-0"), ("bob", "bob-0")]
    found = await states(db)
    assert (found["ann-0"][0], found["bob-0"][0], found["ann-1"][0]) == ("sent", "sent", "pending")


async def _claimed(db: Database) -> list[Notification]:
    async with db.session() as session:
        rows = await session.exec(select(Notification).where(Notification.state == "claimed"))
        return list(rows)


async def test_each_outcome_is_written_before_its_send_slot_is_free(
    database: Database, clock: ManualClock
):
    """A kill can repeat only what was in flight: by the time a send's slot takes the
    next push, the previous push is already recorded as sent."""
    people = await chats(database, clock, "ann", "bob", "cy", "dee")
    for name in people:
        await push(database, clock, people[name], f"{name}-0")
    seen_sent: list[int] = []

    class Watching(RecordingSender):
        async def send(self, recipient: str, reply: Reply):  # type: ignore[no-untyped-def]
            async with database.session() as session:
                rows = await session.exec(select(Notification).where(Notification.state == "sent"))
                seen_sent.append(len(rows.all()))
            return await super().send(recipient, reply)

    dispatcher = Dispatcher(database, clock, {"telegram": Watching()}, concurrency=1)
    assert (await dispatcher.drain()).sent == 4
    assert seen_sent == [0, 1, 2, 3]  # one at a time, each written before the next went


async def test_an_outcome_whose_write_failed_is_written_after_the_batch(
    database: Database, clock: ManualClock
):
    people = await chats(database, clock, "ann", "bob")
    await push(database, clock, people["ann"], "one")
    await push(database, clock, people["bob"], "two")
    sender = RecordingSender()
    dispatcher = Dispatcher(database, clock, {"telegram": sender})
    failures = [ConnectionResetError("database went away")]
    record = dispatcher._record

    async def flaky(verdicts, stats):  # type: ignore[no-untyped-def]
        if failures:
            raise failures.pop()
        await record(verdicts, stats)

    dispatcher._record = flaky  # type: ignore[method-assign]
    stats = await dispatcher.drain()
    assert stats.sent == 2 and len(sender.sent) == 2  # each sent once, none repeated
    assert {k: v[0] for k, v in (await states(database)).items()} == {"one": "sent", "two": "sent"}
