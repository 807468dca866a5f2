"""Webhook updates stored before Telegram hears 200, handled after, never lost or doubled.

Telegram delivers an update again only when the webhook did not answer 2xx, and holds
the bot's next updates while it waits. So the webhook answers as soon as the update is
durable — kept in the database (core.storage.UpdateInbox), milliseconds — and PTB handles
it afterwards. `RETRY` (the database could not be reached, nothing was kept) answers 503:
Telegram sends the update again later.

Exactly once: a redelivery of a kept update is not queued again; a handled update is
forgotten (in batches, a few times a second); an update this process took but could not
finish (the database went away mid-way, or the process died) stays kept, and once its
lease runs out any replica takes it up and handles it — the conversation's duplicate
check (ProcessedUpdate) answers one that had in fact been handled with silence.

Backpressure: with `backlog` updates in hand, a new one is kept as overdue at once and
not queued here; whichever replica has room takes it up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any

from telegram import Update

from core.storage import UpdateInbox, database_unavailable

log = logging.getLogger(__name__)


class Handled(StrEnum):
    DONE = "done"  # kept (now or before): acknowledge
    RETRY = "retry"  # could not be kept now: ask Telegram to deliver it again


class WebhookInbox:
    """The webhook's side of UpdateInbox: keep, queue for PTB, forget when handled."""

    def __init__(
        self,
        inbox: UpdateInbox,
        decode: Callable[[dict[str, Any]], Update | None],
        enqueue: Callable[[Update], Awaitable[None]],
        *,
        backlog: int = 1_000,
        every: float = 0.25,
    ) -> None:
        self.inbox = inbox
        self.decode = decode
        self.enqueue = enqueue
        self.backlog = backlog
        self.every = every  # seconds between forgetting handled and taking up overdue ones
        self._in_hand: set[int] = set()
        self._again: set[int] = set()  # in hand, but to be handled again (database was down)
        self._handled: list[str] = []
        self._task: asyncio.Task[None] | None = None

    async def accept(self, update: Update, body: str) -> Handled:
        """Keep `update` (its raw JSON `body`) and queue it; RETRY when it could not be kept."""
        room = len(self._in_hand) < self.backlog
        try:
            kept = await self.inbox.keep(str(update.update_id), body, hold=room)
        except Exception as error:
            if database_unavailable(error):
                log.warning("telegram update %s not kept: database unreachable", update.update_id)
                return Handled.RETRY
            raise
        if kept and room:  # a redelivery of a kept update is in hand already
            self._in_hand.add(update.update_id)
            await self.enqueue(update)
        return Handled.DONE

    def again_later(self, update_id: int) -> bool:
        """Leave an update in hand kept, to be handled again once its lease runs out."""
        if update_id not in self._in_hand:
            return False
        self._again.add(update_id)
        return True

    def finished(self, update_id: int) -> None:
        """PTB is done with `update_id`: forget it, unless it is to be handled again."""
        if update_id not in self._in_hand:
            return
        self._in_hand.discard(update_id)
        if update_id in self._again:
            self._again.discard(update_id)
        else:
            self._handled.append(str(update_id))

    @property
    def in_hand(self) -> int:
        return len(self._in_hand)

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="telegram webhook inbox")

    async def stop(self) -> None:
        """Stop taking up overdue updates; forget the handled ones one last time; give back
        the inbox's connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            await self.tidy()
        finally:
            await self.inbox.close()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                await self.tidy()
                await self.take_up_overdue()
            except Exception as error:  # the next turn tries again; the updates stay kept
                if not database_unavailable(error):
                    log.exception("telegram webhook inbox: tidying failed")

    async def tidy(self) -> None:
        """Forget the updates handled since the last call."""
        keys, self._handled = self._handled, []
        try:
            await self.inbox.forget(keys)
        except Exception:
            self._handled[:0] = keys  # forgotten next time
            raise

    async def take_up_overdue(self) -> int:
        """Queue kept updates whose lease ran out (as much as there is room for); how many."""
        room = self.backlog - len(self._in_hand)
        if room <= 0:
            return 0
        taken = await self.inbox.overdue(min(room, 100))
        stale: list[str] = []
        for key, body in taken:
            update = self.decode(json.loads(body))
            if update is None or update.update_id in self._in_hand:
                stale.append(key)
                continue
            log.info("telegram update %s taken up again", update.update_id)
            self._in_hand.add(update.update_id)
            await self.enqueue(update)
        if stale:
            await self.inbox.forget([k for k in stale if int(k) not in self._in_hand])
        return len(taken)
