"""A strict send-rate limit: never more than `rate` sends in any one-second window."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable


class SlidingWindowLimiter:
    """Remembers the last `rate` send times; a send waits until the oldest is a window old.

    Unlike a token bucket (which allows a burst of its capacity on top of the rate), this
    holds for every window, so a platform limit such as "1,000 per second" is never
    exceeded, while a pause in sending is made up straight after.
    """

    def __init__(
        self,
        rate: float,
        *,
        window: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        # A fractional rate (0.5/s) becomes one send per 2-second window.
        self.capacity = max(1, math.floor(rate * window)) if rate * window >= 1 else 1
        self.window = window if rate * window >= 1 else 1 / rate
        self._times: deque[float] = deque()
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait for a free slot and take it."""
        async with self._lock:
            while True:
                now = self._monotonic()
                while self._times and self._times[0] <= now - self.window:
                    self._times.popleft()
                if len(self._times) < self.capacity:
                    self._times.append(now)
                    return
                await self._sleep(self._times[0] + self.window - now)
