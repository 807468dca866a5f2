"""Send limits that hold for the bot as a whole, however many replicas send (the SendPace port).

Telegram's 30 messages a second are per bot, not per process: three replicas pacing
themselves at 30/s each would send 90. `SharedPace` keeps a sliding window through the
database the replicas already share: a limit of N per second is N slot rows in `joblock`.
A send takes a free slot (one atomic UPDATE … FOR UPDATE SKIP LOCKED, so racing replicas
never share one), holds it while in flight, and on finishing frees it one window later —
as core.pushes.pacing does within one process. A message reaches the platform after its
send started and before it finished, so two sends on one slot arrive at least a window
apart, and no window holds more than N — however late a busy replica's event loop gets
round to a send. Times are the database's clock, so replicas' clocks need not agree; a
replica that dies mid-send leaves its slot to come free after `hold` seconds.

`LocalPace` is the same window within one process (SQLite runs one), and what
`SharedPace` falls back to while the database cannot be reached.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import String

from core.pushes.pacing import SlidingWindowLimiter
from core.storage.db import Database

log = logging.getLogger(__name__)

PREFIX = "pace:"  # joblock rows named pace:<limit>:<key>:<slot>
_NOW = "(clock_timestamp() AT TIME ZONE 'UTC')"
_SLOTS = bindparam("names", type_=ARRAY(String))
_CREATE = text(
    "INSERT INTO joblock (name, holder, until) SELECT n, 'pace', '2000-01-01' "
    "FROM unnest(:names) AS n ON CONFLICT (name) DO NOTHING"
).bindparams(_SLOTS)
_TAKE = text(
    f"""
    WITH free AS (
        SELECT name FROM joblock WHERE name = ANY(:names) AND until <= {_NOW}
        ORDER BY until LIMIT 1 FOR UPDATE SKIP LOCKED
    )
    UPDATE joblock SET until = {_NOW} + make_interval(secs => :hold), holder = :holder
    FROM free WHERE joblock.name = free.name
    RETURNING joblock.name
    """
).bindparams(_SLOTS)
_NEXT_FREE = text(
    f"SELECT EXTRACT(EPOCH FROM (min(until) - {_NOW})) FROM joblock WHERE name = ANY(:names)"
).bindparams(_SLOTS)
# Free one window after the send finished: `after` is the window less how long ago the
# send finished, measured just before the statement leaves; so the wait for a pooled
# connection does not count, while the time on the wire still does (never too early).
_FREE_AFTER = text(
    f"UPDATE joblock SET until = {_NOW} + make_interval(secs => :after) "
    "WHERE name = :name AND holder = :holder"
)


def capacity_and_window(per_second: float) -> tuple[int, float]:
    """N slots per window: 30/s is 30 per second; 0.5/s is 1 per 2 seconds."""
    if per_second <= 0:
        raise ValueError("the rate must be positive")
    if per_second >= 1:
        return math.floor(per_second), 1.0
    return 1, 1.0 / per_second


class LocalPace:
    """A sliding window per key, within this process."""

    def __init__(self, per_second: float) -> None:
        capacity_and_window(per_second)  # refuses a rate that is not positive
        self.per_second = per_second
        self._limiters: dict[str, SlidingWindowLimiter] = {}

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        """Wait for a free slot under `key`'s limit and hold it while the block sends."""
        limiter = self._limiters.get(key)
        if limiter is None:
            limiter = self._limiters[key] = SlidingWindowLimiter(self.per_second)
        async with limiter.slot():
            yield


class SharedPace:
    """A sliding window per key for every replica on one PostgreSQL database."""

    def __init__(
        self,
        database: Database,
        limit: str,
        per_second: float,
        *,
        holder: str | None = None,
        hold: float = 30.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if database.is_sqlite:
            raise ValueError("SQLite runs one process: use LocalPace")
        self.capacity, self.window = capacity_and_window(per_second)
        self.database = database
        self.limit = limit
        # Who holds a slot: a slot whose hold ran out and was taken again is not freed
        # by its first taker's late give-back.
        self.holder = (holder or f"pace:{os.getpid()}:{secrets.token_hex(4)}")[:64]
        self.hold = hold  # seconds a slot stays taken if its sender never gives it back
        self._sleep = sleep
        self._fallback = LocalPace(per_second)
        self._created: set[str] = set()
        # One taker per key in this process asks the database at a time; the others queue
        # here, so a backlog of sends does not turn into a storm of polling queries.
        self._takers: dict[str, asyncio.Lock] = {}

    def _names(self, key: str) -> list[str]:
        return [f"{PREFIX}{self.limit}:{key}"[:56] + f":{slot}" for slot in range(self.capacity)]

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        """Take a free slot of `key` from the database, send, and free it a window later."""
        try:
            async with self._takers.setdefault(key, asyncio.Lock()):
                name = await self._take(self._names(key))
        except Exception as exc:  # the database is away: keep this replica within the limit
            log.warning("send pace %s:%s unavailable (%s); pacing locally", self.limit, key,
                        type(exc).__name__)  # fmt: skip
            async with self._fallback.turn(key):
                yield
            return
        try:
            yield
        finally:
            await self._free_after_window(name, time.monotonic())

    async def _take(self, names: list[str]) -> str:
        while True:
            async with self.database.engine.begin() as connection:
                if names[0] not in self._created:
                    await connection.execute(_CREATE, {"names": names})
                    self._created.add(names[0])
                taken = await connection.execute(
                    _TAKE, {"names": names, "hold": self.hold, "holder": self.holder}
                )
                name = taken.scalar_one_or_none()
                if name is not None:
                    return str(name)
                wait = (await connection.execute(_NEXT_FREE, {"names": names})).scalar_one()
            # Every slot is in flight or cooling down: sleep until the first comes free (a
            # slot still in flight has no end yet; look again soon).
            await self._sleep(min(max(float(wait or 0.0), 0.002), self.window / 4))

    async def _free_after_window(self, name: str, finished: float) -> None:
        try:
            async with self.database.engine.begin() as connection:
                since = time.monotonic() - finished
                await connection.execute(
                    _FREE_AFTER,
                    {"name": name, "after": self.window - since, "holder": self.holder},
                )
        except Exception as exc:  # the slot comes free after `hold` anyway
            log.warning("could not give back send slot %s: %s", name, type(exc).__name__)
