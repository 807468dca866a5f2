"""Webhook requests that wait for their update's outcome, so an outage is never acknowledged.

Telegram delivers an update again only when the webhook did not answer 2xx. So a webhook
request waits (up to `within` seconds) until its update has been handled: `DONE` answers
200; `RETRY` — the database could not be reached — answers 503, and Telegram sends the
update again later, when it is answered properly instead of with an apology. An update
still being handled when the wait runs out is acknowledged: it is in hand.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from enum import StrEnum


class Handled(StrEnum):
    DONE = "done"  # handled, or still being handled: acknowledge
    RETRY = "retry"  # could not be handled now: ask Telegram to deliver it again


class WebhookWaits:
    """The webhook requests waiting for their update, by update_id."""

    def __init__(self) -> None:
        self._waiting: dict[int, asyncio.Future[Handled]] = {}

    async def run(
        self, update_id: int, queue: Callable[[], Awaitable[None]], within: float
    ) -> Handled:
        """Queue the update with `queue()` and wait for its outcome (DONE after `within` s)."""
        if update_id in self._waiting:  # Telegram's retry while the first is in hand
            await queue()  # the conversation recognises it as a duplicate
            return Handled.DONE
        outcome: asyncio.Future[Handled] = asyncio.get_running_loop().create_future()
        self._waiting[update_id] = outcome
        try:
            await queue()
            return await asyncio.wait_for(asyncio.shield(outcome), within)
        except TimeoutError:
            return Handled.DONE
        finally:
            del self._waiting[update_id]

    def finish(self, update_id: int, outcome: Handled) -> bool:
        """Tell a waiting request how its update went; False when none waits any more."""
        waiting = self._waiting.get(update_id)
        if waiting is None or waiting.done():
            return False
        waiting.set_result(outcome)
        return True
