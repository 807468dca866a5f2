"""A strict send-rate limit: never more than `rate` sends in any one-second window."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager


class SlidingWindowLimiter:
    """At most `capacity` sends start within any `window` seconds, wherever the window falls.

    A send holds its slot while in flight and for one window after it *finished*: since
    it started before it finished, the next send that reuses the slot starts at least a
    window after it — the limit holds even if the event loop was slow to start a send.
    Unlike a token bucket (a burst of its capacity on top of the rate), this holds for
    every window, while a pause in sending (claiming the next batch) is made up at once.
    """

    def __init__(
        self,
        rate: float,
        *,
        window: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        # A fractional rate (0.5/s) becomes one send per 2-second window.
        self.capacity = max(1, math.floor(rate * window))
        self.window = window if rate * window >= 1 else 1 / rate
        self._finished: deque[float] = deque()
        self._in_flight = 0
        self._monotonic = monotonic
        self._changed = asyncio.Condition()

    def _free_at(self) -> float | None:
        """0 when a slot is free now; when the next one frees up; None if only a send can."""
        now = self._monotonic()
        while self._finished and self._finished[0] <= now - self.window:
            self._finished.popleft()
        if len(self._finished) + self._in_flight < self.capacity:
            return 0.0
        if self._finished:
            return self._finished[0] + self.window - now
        return None

    async def acquire(self) -> None:
        """Wait for a free slot and hold it (until `release`)."""
        async with self._changed:
            while (wait := self._free_at()) != 0.0:
                try:
                    await asyncio.wait_for(self._changed.wait(), timeout=wait)
                except TimeoutError:
                    pass
            self._in_flight += 1

    async def release(self) -> None:
        """The send that held a slot has finished; its slot frees one window from now."""
        async with self._changed:
            self._in_flight -= 1
            self._finished.append(self._monotonic())
            self._changed.notify_all()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """`async with limiter.slot(): send(...)`."""
        await self.acquire()
        try:
            yield
        finally:
            await self.release()
