"""The Bot API request object: a bounded number of requests in flight, over real HTTP."""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram import Bot
from telegram.error import TelegramError, TimedOut

from adapters.telegram.request import WismoRequest
from tests.integration.telegram.botapi import BotApiServer


@asynccontextmanager
async def bot_on(
    botapi: BotApiServer, request: WismoRequest, base_url: str | None = None
) -> AsyncIterator[Bot]:
    """A PTB bot sending through `request` to the stand-in server, initialized (getMe)."""
    bot = Bot(botapi.token, base_url=base_url or botapi.api_url, request=request)
    await bot.initialize()
    try:
        yield bot
    finally:
        await bot.shutdown()


async def test_no_more_requests_in_flight_than_allowed(botapi: BotApiServer) -> None:
    botapi.latency = 0.02  # a slow network: requests would pile up
    async with bot_on(botapi, WismoRequest(in_flight=2)) as bot:
        sent = await asyncio.gather(*(bot.send_message(300 + i, f"hello {i}") for i in range(6)))
    assert sorted(m.chat.id for m in sent) == [300, 301, 302, 303, 304, 305]
    assert botapi.busiest == 2
    assert sorted(m.text for m in botapi.messages) == [f"hello {i}" for i in range(6)]


async def test_an_answer_slower_than_the_read_timeout_is_timed_out(botapi: BotApiServer) -> None:
    async with bot_on(botapi, WismoRequest(read_timeout=0.05)) as bot:
        botapi.latency = 0.5
        with pytest.raises(TimedOut):
            await bot.send_message(42, "hello")


async def test_files_go_as_multipart_with_the_other_parameters(botapi: BotApiServer) -> None:
    async with bot_on(botapi, WismoRequest()) as bot:
        # The stand-in server has no sendDocument; it records the call, then refuses it.
        with pytest.raises(TelegramError):
            await bot.send_document(42, document=b"order,status\n1001,shipped\n", caption="x")
    call = botapi.calls[-1]
    assert call.method == "sendDocument"
    assert call.params["chat_id"] == 42
    assert call.params["caption"] == "x"
    assert "document" in call.params


async def test_a_request_before_initialize_is_refused(botapi: BotApiServer) -> None:
    request = WismoRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(f"{botapi.api_url}{botapi.token}/getMe", "POST")


async def test_requests_go_through_the_proxy_the_environment_names(
    botapi: BotApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stand-in server plays the proxy: Telegram's host cannot be reached but through it.
    _clear_proxies(monkeypatch)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{botapi.port}")
    unreachable = "http://api.telegram.invalid/bot"
    async with bot_on(botapi, WismoRequest(), base_url=unreachable) as bot:
        sent = await bot.send_message(42, "through the proxy")
    assert sent.text == "through the proxy"


async def test_no_proxy_for_hosts_the_environment_exempts(
    botapi: BotApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clear_proxies(monkeypatch)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    async with bot_on(botapi, WismoRequest()) as bot:
        sent = await bot.send_message(42, "straight there")
    assert sent.text == "straight there"


def _clear_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


async def test_a_timed_out_request_does_not_carry_the_token(botapi: BotApiServer) -> None:
    # One connection, held by a slow answer: the second request times out waiting for it.
    request = WismoRequest(connection_pool_size=1, pool_timeout=0.05, connect_timeout=0.05)
    async with bot_on(botapi, request) as bot:
        botapi.latency = 0.5
        outcomes = await asyncio.gather(
            bot.send_message(42, "first"), bot.send_message(43, "second"), return_exceptions=True
        )
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(failed) == 1 and isinstance(failed[0], TimedOut)
    shown = "".join(traceback.format_exception(failed[0]))
    assert botapi.token not in shown
    assert "127.0.0.1" in shown  # where it went is still said


async def test_each_phase_has_its_own_timeout(botapi: BotApiServer) -> None:
    # Waiting for the one connection (0.3 s) and then for the answer (0.3 s) together take
    # longer than the read timeout; neither phase alone does, so both requests go through.
    request = WismoRequest(connection_pool_size=1, pool_timeout=1, read_timeout=0.4)
    async with bot_on(botapi, request) as bot:
        botapi.latency = 0.3
        sent = await asyncio.gather(bot.send_message(42, "one"), bot.send_message(43, "two"))
    assert sorted(m.text for m in sent) == ["one", "two"]
