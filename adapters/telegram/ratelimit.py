"""Outgoing message pacing within Telegram's limits: N per second overall, M per second per chat.

Sends are spaced, not bucketed: the global slots are 1/N seconds apart and one chat's slots
1/M seconds apart, so no window of one second ever holds more than N (or M for a chat) —
there is no burst at the start of a second. PTB's AIORateLimiter does not pace private chats
at 1/s, hence this small limiter. A 429 from Telegram pushes the chat's next slot back.
With several replicas (PostgreSQL) the overall limit is the core's shared pace (the
`SendPace` port, a sliding window through the database): N holds for the bot, not for
each process; one chat's spacing stays this process's.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from core.replies import SendPace

_PRUNE_ABOVE = 10_000  # chats remembered before idle ones are forgotten


class SendPacer:
    """Hands out send times; `await pacer.wait(chat_id)` returns when that chat may send."""

    def __init__(
        self,
        global_per_second: float,
        per_chat_per_second: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        shared: SendPace | None = None,
    ) -> None:
        if global_per_second <= 0 or per_chat_per_second <= 0:
            raise ValueError("send rates must be positive")
        self._global_gap = 1.0 / global_per_second
        self._chat_gap = 1.0 / per_chat_per_second
        self._monotonic = monotonic
        self._sleep = sleep
        self.shared = shared  # the bot-wide pace, when replicas share one database
        self._global_next = 0.0
        self._chat_next: dict[str, float] = {}
        self._chat_locks: dict[str, asyncio.Lock] = {}

    def _reserve(self, chat_id: str, earliest: float) -> float:
        # No await between reading and writing the schedule: asyncio makes this atomic.
        slot = max(earliest, self._global_next)
        self._global_next = slot + self._global_gap
        self._chat_next[chat_id] = slot + self._chat_gap
        return slot

    async def wait(self, chat_id: str) -> None:
        """Sleep until `chat_id` may send one message without exceeding either rate."""
        lock = self._chat_locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            # One chat's messages take their slots in order; other chats are not held up.
            now = self._monotonic()
            chat_ready = self._chat_next.get(chat_id, 0.0)
            if chat_ready > now:
                await self._sleep(chat_ready - now)
                now = self._monotonic()
            if self.shared is not None:  # the overall limit is the shared pace's (see turn)
                self._chat_next[chat_id] = now + self._chat_gap
                self._prune()
                return
            slot = self._reserve(chat_id, max(now, self._chat_next.get(chat_id, 0.0)))
        delay = slot - self._monotonic()
        if delay > 0:
            await self._sleep(delay)
        self._prune()

    @asynccontextmanager
    async def turn(self, chat_id: str) -> AsyncIterator[None]:
        """`async with pacer.turn(chat_id): send` — paced for the chat and overall.

        With a shared pace the overall slot is held while the send is in flight, so the
        limit holds for every replica together, however late a send leaves.
        """
        await self.wait(chat_id)
        if self.shared is None:
            yield
            return
        async with self.shared.turn("all"):
            yield

    def back_off(self, chat_id: str, seconds: float) -> None:
        """Telegram answered 429 for `chat_id`: send nothing more there for `seconds`."""
        until = self._monotonic() + seconds
        self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), until)

    def _prune(self) -> None:
        if len(self._chat_next) <= _PRUNE_ABOVE:
            return
        now = self._monotonic()
        for chat_id in [c for c, ready in self._chat_next.items() if ready <= now]:
            lock = self._chat_locks.get(chat_id)
            if lock is None or not lock.locked():
                self._chat_next.pop(chat_id, None)
                self._chat_locks.pop(chat_id, None)
