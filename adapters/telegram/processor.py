"""Updates processed concurrently across chats, in order within one chat.

PTB's SimpleUpdateProcessor runs updates concurrently with no regard for who sent them, so
a shopper's two quick messages could be answered out of order. This processor (PTB's
documented extension point for `concurrent_updates`) holds one lock per chat, and takes a
working slot only once the chat's turn has come: one chat sending fifty messages at once
cannot occupy every slot while other shoppers wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

_QUEUED_PER_SLOT = 16  # updates that may wait for their chat's turn, per working slot


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Up to `working` updates at once; one at a time for each chat."""

    def __init__(self, working: int) -> None:
        # PTB's own semaphore bounds updates in flight (working or waiting for their chat).
        super().__init__(working * _QUEUED_PER_SLOT)
        self.working = working
        self._slots = asyncio.Semaphore(working)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        # Told of every update once PTB is done with it (handlers and error handler alike).
        self.finished: Callable[[object], None] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await self._in_turn(update, coroutine)
        finally:
            if self.finished is not None:
                self.finished(update)

    async def _in_turn(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._slots:
                await coroutine
            return
        key = chat.id
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # forget idle chats, so memory follows active chats
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
