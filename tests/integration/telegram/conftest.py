"""Fixtures: the stand-in Bot API server, a PTB bot talking to it, and the wismo channel."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from adapters.telegram.request import WismoRequest
from tests.integration.telegram.botapi import BotApiServer


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
