"""Reliability with real processes: several dispatchers on one PostgreSQL, a killed one, a
platform that refuses before it accepts. Each test prints its figures."""

from __future__ import annotations

import asyncio
import json
import signal
import time

import pytest
from sqlalchemy import func, select

from core.storage.db import Database
from core.storage.models import Notification
from tests.integration.jobs.recorder import Recorder, load_pushes, start_worker, text_of

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
N = Notification.__table__  # type: ignore[attr-defined]


async def states(database: Database) -> dict[str, int]:
    async with database.session() as session:
        rows = await session.execute(select(N.c.state, func.count()).group_by(N.c.state))
        return {state: int(n) for state, n in rows.all()}


async def finish(process: asyncio.subprocess.Process, within: float = 120) -> dict[str, int]:
    stdout, stderr = await asyncio.wait_for(process.communicate(), within)
    assert process.returncode == 0, stderr.decode()
    return json.loads(stdout.decode().strip().splitlines()[-1])


async def test_three_dispatchers_drain_5000_pushes_once_each_in_order(pg_db: Database):
    expected = await load_pushes(pg_db, chats=500, per_chat=10)
    async with Recorder() as recorder:
        workers = [
            await start_worker(pg_db.url, recorder.url, "--until-empty", "--batch-size", "100")
            for _ in range(3)
        ]
        stats = [await finish(w) for w in workers]
    delivered = [text for _, text in recorder.delivered]
    lost = len(expected - set(delivered))
    print(f"\n3 dispatchers: {len(delivered)} delivered, {recorder.duplicates()} duplicates, "
          f"{lost} lost; sent per process {[s['sent'] for s in stats]}")  # fmt: skip
    assert recorder.duplicates() == 0 and lost == 0 and len(delivered) == 5000
    assert all(s["sent"] > 0 for s in stats), "every process took part"
    for chat, texts in recorder.per_chat().items():
        assert texts == sorted(texts), f"{chat} got its pushes out of order"
    assert await states(pg_db) == {"sent": 5000}


async def claims_of(database: Database, pid: int) -> set[str]:
    """The pushes (their texts) that the dispatcher process `pid` holds claimed."""
    async with database.session() as session:
        rows = await session.execute(
            select(N.c.dedupe_key).where(N.c.state == "claimed", N.c.claimed_by.like(f"%:{pid}:%"))
        )
        return {key for (key,) in rows}


async def test_a_dispatcher_killed_mid_batch_repeats_only_its_sends_in_flight(pg_db: Database):
    # A lease a loaded CI machine's heartbeats can keep (a stall past it looks like a death).
    batch, concurrency, lease = 200, 8, 6.0
    expected = await load_pushes(pg_db, chats=1500, per_chat=1)
    async with Recorder() as recorder:
        args = ("--until-empty", "--batch-size", str(batch), "--lease-seconds", str(lease),
                "--rate", "100", "--concurrency", str(concurrency))  # fmt: skip
        victim = await start_worker(pg_db.url, recorder.url, *args)
        survivor = await start_worker(pg_db.url, recorder.url, *args)
        async with asyncio.timeout(60):
            await recorder.reach(300)
        victim.send_signal(signal.SIGKILL)
        await victim.wait()
        killed_at, at_kill = time.monotonic(), len(recorder.delivered)
        held = await claims_of(pg_db, victim.pid)  # claimed, unsent or sent and not written
        stats = await finish(survivor)
    delivered = {text for _, text in recorder.delivered}
    lost = len(expected - delivered)
    duplicates = recorder.duplicates()
    sends = zip(recorder.delivered, recorder.delivered_at, strict=True)
    picked_up = [at - killed_at for (_, text), at in sends if text in held and at > killed_at]
    print(
        f"\nSIGKILL after {at_kill} of 1500 sends, {len(held)} claims held by the dead "
        f"dispatcher: {duplicates} duplicates (concurrency {concurrency}), {lost} lost; "
        f"first picked up {min(picked_up):.1f} s after the kill, all by "
        f"{max(picked_up):.1f} s (lease {lease:g} s); survivor reclaimed {stats['reaped']}"
    )
    assert lost == 0
    assert duplicates <= concurrency, "only the sends in flight at the kill are repeated"
    assert held and len(picked_up) >= len(held), "every claim of the dead one was sent after"
    # One lease, then the survivor's next claim round, behind the second of work it claimed
    # ahead (its claims are a second's sends at its rate).
    assert min(picked_up) <= lease + 3, "the dead dispatcher's claims wait one lease at most"
    assert stats["reaped"] >= len(held)
    assert await states(pg_db) == {"sent": 1500}


async def test_a_slow_batch_keeps_its_claims_alive_past_the_lease(pg_db: Database):
    """Sending 60 pushes two at a time at 0.1 s each takes 3 s, three times the 1 s lease:
    the heartbeat renews it, so a second dispatcher never takes over a live claim."""
    expected = await load_pushes(pg_db, chats=60, per_chat=1)
    async with Recorder(latency=0.1) as recorder:
        args = ("--until-empty", "--batch-size", "60", "--lease-seconds", "1",
                "--concurrency", "2")  # fmt: skip
        first = await start_worker(pg_db.url, recorder.url, *args)
        async with asyncio.timeout(30):
            await recorder.reach(5)  # the first one holds the whole outbox now
        second = await start_worker(pg_db.url, recorder.url, *args)
        stats = [await finish(w) for w in (first, second)]
    print(
        f"\n60 pushes at 0.1 s each with a 1 s lease: {recorder.duplicates()} duplicates; "
        f"reaped {[s['reaped'] for s in stats]}"
    )
    assert recorder.duplicates() == 0 and {t for _, t in recorder.delivered} == expected
    assert stats[1]["reaped"] == 0 and stats[0]["sent"] == 60


async def test_429_then_5xx_then_success_delivers_once_in_order(pg_db: Database):
    await load_pushes(pg_db, chats=2, per_chat=3)
    first = text_of(0, 0)

    def platform(text: str, seen: int):  # type: ignore[no-untyped-def]
        if text == first and seen == 0:
            return 429, {"Retry-After": "1"}
        if text == first and seen == 1:
            return 503, {}
        return None

    async with Recorder(platform) as recorder:
        worker = await start_worker(pg_db.url, recorder.url, "--until-empty",
                                    "--retry-base-seconds", "0.2")  # fmt: skip
        stats = await finish(worker, within=60)
    print(f"\n429 then 503 then 200: attempts {dict(recorder.seen)}; {stats}")
    assert recorder.seen[first] == 3
    assert recorder.duplicates() == 0 and len(recorder.delivered) == 6
    assert recorder.per_chat()["chat0"] == [text_of(0, i) for i in range(3)]
    assert (stats["rate_limited"], stats["retried"]) == (1, 1)
    assert await states(pg_db) == {"sent": 6}
