"""Push outcomes written as they come, so a killed dispatcher repeats only what was in flight.

A dispatcher that dies between sending a push and writing that it was sent repeats that
push. Writing a batch's outcomes once every push of it had been sent left the whole batch to
repeat; here each send keeps its working slot until its own outcome is committed, so at most
the sends in flight — the dispatcher's concurrency — can repeat. Outcomes that arrive while
a write is under way go together in the next one (a group commit), so under load the
writes stay few. While pushes are claimed, `keep_claims` renews their lease, so the lease
can be short: a dead dispatcher's unsent claims go back to the others within one lease.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import update

from core.pushes.outcomes import Verdict
from core.runtime.clock import Clock
from core.storage.db import Database
from core.storage.models import Notification

log = logging.getLogger(__name__)

N = Notification.__table__  # type: ignore[attr-defined]
Write = Callable[[list[Verdict]], Awaitable[None]]


class OutcomeWriter:
    """Writes verdicts in group commits; `await writer.written(v)` returns once `v` is stored."""

    def __init__(self, write: Write) -> None:
        self._write = write
        self._queue: list[tuple[Verdict, asyncio.Future[None]]] = []
        self._writing: asyncio.Future[None] | None = None

    async def written(self, verdict: Verdict) -> None:
        """Queue `verdict` and wait until it is committed (raises what the write raised)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((verdict, done))
        if self._writing is None:
            self._writing = asyncio.ensure_future(self._drain())
        await asyncio.shield(done)

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                try:
                    await self._write([verdict for verdict, _ in batch])
                except Exception as exc:
                    for _, done in batch:
                        done.set_exception(exc)
                else:
                    for _, done in batch:
                        done.set_result(None)
        finally:
            # No await between the last look at the queue and this: a verdict queued from
            # now on starts a new drain.
            self._writing = None
            for _, done in self._queue:  # only when cancelled: nobody waits forever
                if not done.done():
                    done.set_exception(RuntimeError("outcome writer stopped"))


async def renew_claims(database: Database, clock: Clock, worker: str, lease: timedelta) -> int:
    """Extend the lease of every push `worker` holds to `now + lease`; how many it holds."""
    async with database.transaction() as session:
        result = await session.execute(
            update(N)
            .where(N.c.state == "claimed", N.c.claimed_by == worker)
            .values(lease_until=clock.now() + lease)
        )
    return int(getattr(result, "rowcount", 0) or 0)


async def keep_claims(database: Database, clock: Clock, worker: str, lease: timedelta) -> None:
    """Renew `worker`'s claims now and every third of a lease until cancelled (a heartbeat).

    The first beat is at once: a batch claimed ahead, while the one before it was sent, has
    been waiting since its claim. A renewal that fails (the database is away) is tried
    again at the next beat; the claims may then lapse and be sent by another dispatcher,
    as if this one had died.
    """
    beat = max(lease.total_seconds() / 3, 0.05)
    while True:
        try:
            await renew_claims(database, clock, worker, lease)
        except Exception as exc:
            log.warning("could not renew the lease on claimed pushes: %s", type(exc).__name__)
        await asyncio.sleep(beat)
