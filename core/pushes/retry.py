"""How long to wait before trying a failed push again: exponential back-off with jitter."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """Attempt n waits base·2^(n-1), capped, then shortened by up to `jitter` of itself.

    The jitter spreads retries of many pushes that failed together (a platform outage)
    so they do not all come back at the same second.
    """

    max_attempts: int = 8
    base: timedelta = timedelta(seconds=15)
    cap: timedelta = timedelta(hours=1)
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")

    def ceiling(self, attempt: int) -> timedelta:
        """The longest wait after failed attempt number `attempt` (1-based)."""
        exponent = min(max(attempt - 1, 0), 32)  # 2**32 · base is past any cap
        return min(self.cap, self.base * (2**exponent))

    def delay(self, attempt: int, rng: random.Random) -> timedelta:
        """The wait after failed attempt number `attempt`: in [ceiling·(1-jitter), ceiling]."""
        ceiling = self.ceiling(attempt)
        return ceiling * (1 - self.jitter * rng.random())

    def gives_up(self, attempts: int) -> bool:
        """True when `attempts` tries are all this policy allows."""
        return attempts >= self.max_attempts
