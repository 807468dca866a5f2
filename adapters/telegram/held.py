"""Long polling: updates the database was down for, handled once it answers again.

In polling mode PTB confirms each batch of updates to Telegram on its next getUpdates,
whatever became of them, so Telegram never delivers one again. An update that failed
because the database could not be reached is therefore held here, in order, instead of
answered with an apology; a probe asks the database every `probe_every` seconds and,
once it answers, puts the held updates back on the Application's queue, oldest first.
A chat's newer update that arrives meanwhile waits behind its held ones, so a shopper's
messages are still answered in order. The conversation recognises an update it did
answer (by update_id), so none is answered twice. Held in memory: a replica that dies
meanwhile loses them — webhook mode (where Telegram redelivers until answered 200) has
no such gap.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from telegram import Update

from core.storage import Database

log = logging.getLogger(__name__)


class HeldUpdates:
    """Updates waiting for the database; `hold(update)` keeps one, False when full."""

    def __init__(
        self,
        database: Database,
        requeue: Callable[[Update], Awaitable[None]],
        *,
        probe_every: float = 2.0,
        limit: int = 10_000,
    ) -> None:
        self.database = database
        self.requeue = requeue
        self.probe_every = probe_every
        self.limit = limit
        self.updates: dict[int, Update] = {}  # by update_id, in arrival order
        self._probe: asyncio.Task[None] | None = None

    def waiting_for(self, update: Update) -> bool:
        """Whether an earlier update of the same chat is held (this one must wait behind it)."""
        chat = update.effective_chat
        if chat is None or not self.updates:
            return False
        return any(
            held.effective_chat is not None and held.effective_chat.id == chat.id
            for held in self.updates.values()
        )

    def hold(self, update: Update) -> bool:
        """Keep `update` until the database is back (False when too many are held)."""
        if len(self.updates) >= self.limit and update.update_id not in self.updates:
            return False
        self.updates[update.update_id] = update
        if self._probe is None or self._probe.done():
            self._probe = asyncio.ensure_future(self._replay_when_back())
        return True

    async def _replay_when_back(self) -> None:
        while True:
            await asyncio.sleep(self.probe_every)
            try:
                async with self.database.session() as session:
                    await session.execute(text("SELECT 1"))
            except Exception:
                continue
            break
        held, self.updates = sorted(self.updates.values(), key=lambda u: u.update_id), {}
        log.warning("database reachable again: handling %d held telegram updates", len(held))
        for update in held:
            await self.requeue(update)

    async def close(self) -> None:
        """Stop probing (on shutdown); what is still held is dropped, and said so."""
        if self._probe is not None and not self._probe.done():
            self._probe.cancel()
        if self.updates:
            log.error("stopped with %d telegram updates held for the database", len(self.updates))
