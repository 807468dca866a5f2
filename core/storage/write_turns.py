"""One SQLite write transaction at a time in this process, in order, urgent ones first.

SQLite has one writer. Without this, a write transaction that finds the write lock taken
learns it only by failing (SQLITE_BUSY) and tries again after a growing pause
(core.storage.sqlite_driver), so under load the lock often stood free while the next
writer slept, and nothing decided who came next: a webhook update waiting to be kept (so
Telegram could hear 200) queued behind every shopper answer in progress. Here a
transaction waits for its turn on the event loop and gets it the moment the one before
it ends. An urgent transaction (a webhook update being kept: the platform waits on it)
goes before the others.

Other processes on the same file (a `wismo import` while `wismo run` serves) still meet
SQLite's lock and wait for it as before. A turn not given within the busy timeout fails
as SQLite's own wait would ("database is locked"): a transaction that waits for another
of its own task never hangs.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import OperationalError


class WriteTurns:
    """Turns to write, handed on in order as each one ends; urgent waiters first."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout  # seconds a transaction waits for its turn before failing
        self._taken = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._others: deque[asyncio.Future[None]] = deque()

    @asynccontextmanager
    async def turn(self, *, urgent: bool = False) -> AsyncIterator[None]:
        """Hold the turn for the block; OperationalError when it is not given in time."""
        await self._take(urgent)
        try:
            yield
        finally:
            self._hand_on()

    async def _take(self, urgent: bool) -> None:
        if not self._taken:  # free: nobody waits either (see _hand_on)
            self._taken = True
            return
        given: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._urgent if urgent else self._others).append(given)
        try:
            async with asyncio.timeout(self.timeout):
                await given
        except BaseException as exc:
            if given.done() and not given.cancelled():
                self._hand_on()  # given just as the wait ended: pass it on
            if isinstance(exc, TimeoutError):
                raise OperationalError(
                    "waiting for a turn to write",
                    None,
                    sqlite3.OperationalError("database is locked"),
                ) from None
            raise

    def _hand_on(self) -> None:
        for queue in (self._urgent, self._others):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():  # a cancelled or timed-out waiter is skipped
                    waiter.set_result(None)
                    return
        self._taken = False
