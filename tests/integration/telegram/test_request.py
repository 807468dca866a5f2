"""The Bot API request object: a bounded number of requests in flight, over real HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from adapters.telegram.request import WismoRequest
from tests.integration.telegram.botapi import BotApiServer


async def test_no_more_requests_in_flight_than_allowed(
    botapi: BotApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_flight = busiest = 0
    original = HTTPXRequest.do_request

    async def counting(self: HTTPXRequest, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        nonlocal in_flight, busiest
        in_flight += 1
        busiest = max(busiest, in_flight)
        try:
            await asyncio.sleep(0.01)  # a slow network: requests would pile up
            return await original(self, *args, **kwargs)
        finally:
            in_flight -= 1

    monkeypatch.setattr(HTTPXRequest, "do_request", counting)
    bot = Bot(botapi.token, base_url=botapi.api_url, request=WismoRequest(in_flight=2))
    await bot.initialize()
    try:
        sent = await asyncio.gather(*(bot.send_message(300 + i, f"hello {i}") for i in range(6)))
    finally:
        await bot.shutdown()
    assert sorted(m.chat.id for m in sent) == [300, 301, 302, 303, 304, 305]
    assert busiest == 2
    assert sorted(m.text for m in botapi.messages) == [f"hello {i}" for i in range(6)]
