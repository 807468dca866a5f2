"""Send limits that hold for the bot as a whole, however many replicas send (the SendPace port).

Telegram's 30 messages a second are per bot, not per process: three replicas pacing
themselves at 30/s each would send 90. `SharedPace` hands out send slots through the
database the replicas already share: one row per limited key in `joblock` holds the
next free slot, and taking a slot is one atomic upsert that moves it on by 1/rate —
PostgreSQL's row lock makes racing replicas queue, so no two get the same slot. Slots
are reckoned on the database's clock, so replicas' clocks need not agree. `headroom`
keeps the slots a little wider than 1/rate: a send reaches the platform a few
milliseconds after its slot, never exactly on it, and without slack two late and early
neighbours could put one message too many into a one-second window.

`LocalPace` is the same spacing within one process (SQLite runs one), and what
`SharedPace` falls back to while the database cannot be reached.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import text

from core.storage.db import Database

log = logging.getLogger(__name__)

PREFIX = "pace:"  # joblock rows named pace:<limit>:<key>
_HOLDER = "pace"
# Slot = max(the row's next slot, now); the row moves on one gap; the wait is slot - now.
_TAKE = text(
    """
    INSERT INTO joblock (name, holder, until)
    VALUES (:name, :holder, (clock_timestamp() AT TIME ZONE 'UTC') + make_interval(secs => :gap))
    ON CONFLICT (name) DO UPDATE
    SET until = GREATEST(joblock.until, clock_timestamp() AT TIME ZONE 'UTC')
                + make_interval(secs => :gap)
    RETURNING EXTRACT(EPOCH FROM (joblock.until - (clock_timestamp() AT TIME ZONE 'UTC')))
    """
)


class LocalPace:
    """Slots 1/rate seconds apart per key, within this process."""

    def __init__(
        self,
        per_second: float,
        *,
        headroom: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_second <= 0 or not 0 < headroom <= 1:
            raise ValueError("the rate must be positive and the headroom in (0, 1]")
        self.gap = 1.0 / (per_second * headroom)
        self._monotonic = monotonic
        self._sleep = sleep
        self._next: dict[str, float] = {}

    async def wait(self, key: str) -> None:
        """Sleep until `key`'s next slot, which this call takes."""
        now = self._monotonic()
        slot = max(now, self._next.get(key, 0.0))  # no await in between: atomic in asyncio
        self._next[key] = slot + self.gap
        if len(self._next) > 10_000:  # forget keys idle for a while; memory follows activity
            self._next = {k: at for k, at in self._next.items() if at > now}
        if slot > now:
            await self._sleep(slot - now)


class SharedPace:
    """Slots 1/rate seconds apart per key, for every replica on one PostgreSQL database."""

    def __init__(
        self,
        database: Database,
        limit: str,
        per_second: float,
        *,
        headroom: float = 0.93,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if database.is_sqlite:
            raise ValueError("SQLite runs one process: use LocalPace")
        if per_second <= 0 or not 0 < headroom <= 1:
            raise ValueError("the rate must be positive and the headroom in (0, 1]")
        self.database = database
        self.limit = limit
        self.gap = 1.0 / (per_second * headroom)
        self._monotonic = monotonic
        self._sleep = sleep
        self._fallback = LocalPace(per_second, headroom=headroom, monotonic=monotonic, sleep=sleep)
        self.late = 0  # slots let go because this process woke up too late for them

    async def wait(self, key: str) -> None:
        """Take `key`'s next slot from the database and sleep until it comes.

        A slot this process wakes up for too late (a busy event loop, a slow answer from
        the database) is let go and another taken: sent late, it would crowd the slots
        after it, which other replicas send on time.
        """
        name = f"{PREFIX}{self.limit}:{key}"[:64]
        while True:
            try:
                wait = await self._take(name)
            except Exception as exc:  # the database is away: keep this replica within the limit
                log.warning("send pace %s from the database failed (%s); pacing locally", name,
                            type(exc).__name__)  # fmt: skip
                await self._fallback.wait(key)
                return
            due = self._monotonic() + wait
            if wait > 0:
                await self._sleep(wait)
            if self._monotonic() - due <= self.gap / 2:
                return
            self.late += 1

    async def _take(self, name: str) -> float:
        """Seconds from now until the slot just taken for `name` begins."""
        async with self.database.engine.begin() as connection:
            result = await connection.execute(
                _TAKE, {"name": name, "holder": _HOLDER, "gap": self.gap}
            )
            ahead = float(result.scalar_one())
        return max(ahead - self.gap, 0.0)  # `ahead` is the end of our slot, as the row has it
