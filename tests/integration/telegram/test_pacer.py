"""The outgoing pacer: never more than N per second overall or M per second per chat."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from typing import TypeVar

from adapters.telegram.ratelimit import SendPacer

T = TypeVar("T")


class FakeTime:
    """Virtual time: sleepers wake in order of their deadline; the clock jumps to it."""

    def __init__(self) -> None:
        self.now = 100.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._count = 0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._count += 1
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), self._count, future))
        await future

    async def run(self, work: Awaitable[T]) -> T:
        """Run `work`, advancing time whenever every task is asleep."""
        task = asyncio.ensure_future(work)
        while not task.done():
            for _ in range(20):  # let every runnable task reach its next sleep
                await asyncio.sleep(0)
            if self._sleepers and not task.done():
                wake_at, _, future = heapq.heappop(self._sleepers)
                self.now = max(self.now, wake_at)
                future.set_result(None)
        return task.result()


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """The largest number of sends in any half-open window [t, t + window)."""
    ordered = sorted(times)
    return max(sum(1 for u in ordered if t <= u < t + window - 1e-9) for t in ordered)


async def _send_all(pacer: SendPacer, clock: FakeTime, chats: list[str]) -> dict[str, list[float]]:
    sent: dict[str, list[float]] = {}

    async def one(chat: str) -> None:
        await pacer.wait(chat)
        sent.setdefault(chat, []).append(clock.now)

    await clock.run(asyncio.gather(*(one(chat) for chat in chats)))
    return sent


async def test_global_rate_is_never_exceeded_not_even_at_the_start() -> None:
    clock = FakeTime()
    pacer = SendPacer(30, 1, monotonic=clock.monotonic, sleep=clock.sleep)
    sent = await _send_all(pacer, clock, [f"chat{i}" for i in range(120)])
    times = [t for ts in sent.values() for t in ts]
    assert len(times) == 120
    assert max_in_window(times) <= 30
    # ... and it is not needlessly slow: 120 sends at 30/s take about 4 seconds.
    assert max(times) - min(times) <= 4.0


async def test_one_chat_gets_at_most_one_message_per_second() -> None:
    clock = FakeTime()
    pacer = SendPacer(30, 1, monotonic=clock.monotonic, sleep=clock.sleep)
    sent = await _send_all(pacer, clock, ["busy"] * 5 + ["quiet"])
    busy = sent["busy"]
    assert all(later - earlier >= 1.0 - 1e-9 for earlier, later in itertools.pairwise(busy))
    # The busy chat does not hold the other one up.
    assert sent["quiet"][0] - 100.0 < 0.1


async def test_back_off_after_429_delays_only_that_chat() -> None:
    clock = FakeTime()
    pacer = SendPacer(30, 1, monotonic=clock.monotonic, sleep=clock.sleep)
    pacer.back_off("flooded", 7)
    sent = await _send_all(pacer, clock, ["flooded", "other"])
    assert sent["flooded"][0] >= 107.0
    assert sent["other"][0] < 101.0
