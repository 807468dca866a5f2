"""Fixtures: the stand-in Bot API server, a PTB bot talking to it, and the wismo channel."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot, Update
from telegram.ext import TypeHandler

from adapters.telegram import TelegramChannel, TelegramConfig
from adapters.telegram.request import WismoRequest
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from tests.integration.telegram.botapi import BOT_USERNAME, BotApiServer, SentMessage
from tests.integration.telegram.shop import Shop, seed_shop

SECRET = "test-secret-key"


@pytest.fixture
async def botapi() -> AsyncIterator[BotApiServer]:
    """A stand-in Bot API server on 127.0.0.1 (port 0)."""
    server = await BotApiServer().start()
    yield server
    await server.stop()


@pytest.fixture
async def ptb_bot(botapi: BotApiServer) -> AsyncIterator[Bot]:
    """A real python-telegram-bot Bot pointed at the stand-in server, initialized."""
    bot = Bot(botapi.token, base_url=botapi.api_url, request=WismoRequest())
    await bot.initialize()
    yield bot
    await bot.shutdown()


class ShopperChat:
    """One shopper's private chat with the bot; methods return what the shopper then sees."""

    def __init__(
        self, harness: Harness, chat_id: int, first_name: str, language_code: str | None
    ) -> None:
        self.harness = harness
        self.chat_id = chat_id
        self.first_name = first_name
        self.language_code = language_code

    async def say(self, text: str | None, **extra: Any) -> list[SentMessage]:
        """Send a message (text, or None with `extra` fields for a sticker, photo, ...)."""
        update = self.harness.botapi.message_update(
            self.chat_id,
            text,
            first_name=self.first_name,
            language_code=self.language_code,
            extra=extra or None,
        )
        return await self.harness.deliver(update, self.chat_id)

    async def press(self, message: SentMessage, label: str) -> list[SentMessage]:
        """Tap the button labelled like `label` on `message`."""
        data = message.button(label)["callback_data"]
        return await self.press_data(message, data)

    async def press_data(self, message: SentMessage, data: str) -> list[SentMessage]:
        """Send a callback query with any data at all (what a tampering client can do)."""
        update = self.harness.botapi.callback_update(
            self.chat_id,
            data,
            message,
            first_name=self.first_name,
            language_code=self.language_code,
        )
        return await self.harness.deliver(update, self.chat_id)

    def last(self) -> SentMessage:
        return self.harness.botapi.sent_to(self.chat_id)[-1]


class Harness:
    """The wismo Telegram channel running against the stand-in server, in polling mode."""

    def __init__(self, botapi: BotApiServer, channel: TelegramChannel) -> None:
        self.botapi = botapi
        self.channel = channel
        self._done: dict[int, asyncio.Event] = {}
        # Runs after wismo's own handlers have finished with an update (group 99 > 0).
        channel.application.add_handler(TypeHandler(Update, self._mark_done), group=99)

    async def _mark_done(self, update: Update, context: object) -> None:
        self._done.setdefault(update.update_id, asyncio.Event()).set()

    def chat(
        self, chat_id: int, first_name: str = "Ada", language_code: str | None = "en"
    ) -> ShopperChat:
        return ShopperChat(self, chat_id, first_name, language_code)

    async def deliver(self, update: dict[str, Any], chat_id: int) -> list[SentMessage]:
        """Queue `update` for getUpdates, wait until it is handled; new or edited messages."""
        before = {m.message_id: len(m.edits) for m in self.botapi.sent_to(chat_id)}
        update_id = self.botapi.push_update(update)
        await self.processed(update_id)
        return [
            m
            for m in self.botapi.sent_to(chat_id)
            if m.message_id not in before or len(m.edits) != before[m.message_id]
        ]

    async def processed(self, update_id: int) -> None:
        event = self._done.setdefault(update_id, asyncio.Event())
        await asyncio.wait_for(event.wait(), 10)


def core_config() -> CoreConfig:
    return CoreConfig(secret_key=SECRET, shop_name="Test shop", telegram_bot_username=BOT_USERNAME)


def channel_config(botapi: BotApiServer, **overrides: Any) -> TelegramConfig:
    values: dict[str, Any] = {
        "token": botapi.token,
        "secret_key": SECRET,
        "api_url": botapi.api_url,
        # Pacing is tested on its own; here it would only slow the conversation down.
        "rate_global": 10_000,
        "rate_per_chat": 10_000,
        "bot_username": BOT_USERNAME,
        "timezone": "Europe/Berlin",
        "poll_timeout": 1,
    }
    values.update(overrides)
    return TelegramConfig(**values)


@pytest.fixture
async def shop(db: Database, clock: ManualClock) -> Shop:
    return await seed_shop(db, clock)


@pytest.fixture
async def telegram(
    botapi: BotApiServer, db: Database, clock: ManualClock, shop: Shop
) -> AsyncIterator[Harness]:
    """wismo's Telegram channel with the real conversation, polling the stand-in server."""
    from core.conversation.service import Conversation

    channel = TelegramChannel(
        channel_config(botapi), Conversation(db, clock, core_config()), db, clock
    )
    harness = Harness(botapi, channel)
    await channel.start()
    yield harness
    await channel.stop()
