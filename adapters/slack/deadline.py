"""Slack's 3 seconds: an interactive request is acknowledged (and a `trigger_id` used) in time.

A listener that must answer inside the ack (a modal's errors, a refusal) does the fast local
work first and waits for a Web API call (`conversations.members`, `users.info`) only as long
as the window allows; when the call is slower — a 429 and its Retry-After, a slow Slack —
the listener acknowledges (or opens its modal) and finishes after, telling the person
privately what the ack could not.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")

# Slack allows 3 s from sending the request; the network and bolt's own work take the rest.
ACK_BUDGET = 2.0
# A trigger_id also lives about 3 s; views.open itself needs a round trip of those.
OPEN_BUDGET = 1.5


class AckWindow:
    """The time left to answer one request; `ack` once, whether early or late."""

    def __init__(
        self,
        ack: Callable[..., Awaitable[Any]],
        budget: float = ACK_BUDGET,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ack = ack
        self._timer = timer
        self._ends = timer() + budget
        self.acked = False

    def remaining(self) -> float:
        """Seconds left before the answer would come too late (never negative)."""
        return max(0.0, self._ends - self._timer())

    async def ack(self, **answer: Any) -> None:
        """Acknowledge with `answer` (errors, an updated view), unless already done."""
        if not self.acked:
            self.acked = True
            await self._ack(**answer)

    async def within(self, work: Awaitable[T], on_late: Callable[[], Awaitable[None]]) -> T:
        """`work`'s result; when it outlasts the window, `on_late()` runs first, in time."""
        task = asyncio.ensure_future(work)
        done, _ = await asyncio.wait({task}, timeout=self.remaining())
        if not done:
            await on_late()
        return await task


# Work left running past a deadline (a users.info that fills a cache): held here, or the
# loop's weak reference alone would let it be collected mid-call.
_LEFT_RUNNING: set[asyncio.Future[Any]] = set()


async def in_time(work: Awaitable[T], seconds: float) -> tuple[bool, asyncio.Future[T]]:
    """Start `work` and wait at most `seconds`: (finished?, its future, still running if not).

    Unfinished work goes on; whoever does not await it loses nothing but its result.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=max(0.0, seconds))
    if not done:
        _LEFT_RUNNING.add(task)
        task.add_done_callback(_finished)
    return bool(done), task


def _finished(task: asyncio.Future[Any]) -> None:
    _LEFT_RUNNING.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved, so an abandoned failure is not reported as unhandled
