"""TelegramSender against the stand-in Bot API: outcomes for every answer Telegram can give."""

from __future__ import annotations

import asyncio
import time
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot

from adapters.telegram.callbacks import CallbackCodec
from adapters.telegram.ratelimit import SendPacer
from adapters.telegram.request import WismoRequest
from adapters.telegram.sender import TelegramSender
from core.replies.reply import Button, Reply, Section
from core.replies.sender import Blocked, Permanent, RateLimited, Sent, Transient
from tests.integration.telegram.botapi import BotApiServer

CODEC = CallbackCodec("test-secret")


def make_sender(bot: Bot, rate_global: float = 1000, rate_per_chat: float = 1000) -> TelegramSender:
    sender = TelegramSender(bot, SendPacer(rate_global, rate_per_chat), CODEC, ZoneInfo("UTC"))
    sender.ready = True
    return sender


async def test_sent_with_html_and_signed_keyboard(botapi: BotApiServer, ptb_bot: Bot) -> None:
    sender = make_sender(ptb_bot)
    reply = Reply(
        sections=[Section(title="Order 1001", text="Out for delivery & nearly there")],
        buttons=[Button("Refresh", "refresh", "1001")],
    )
    outcome = await sender.send("42", reply)
    [message] = botapi.sent_to(42)
    assert outcome == Sent(ref=f"42:{message.message_id}")
    assert message.parse_mode == "HTML"
    assert message.text == "<b>Order 1001</b>\nOut for delivery &amp; nearly there"
    [button] = message.buttons
    assert button["text"] == "Refresh"
    assert CODEC.decode("42", button["callback_data"]) is not None


async def test_a_details_button_opens_the_mini_app(botapi: BotApiServer, ptb_bot: Bot) -> None:
    sender = make_sender(ptb_bot)
    reply = Reply(
        sections=[Section(title="Order 1001")],
        buttons=[
            Button("Refresh", "refresh", "1001"),
            Button("Details", "details", "1001", web_app_url="https://t.example/app?order=1001"),
        ],
    )
    await sender.send("42", reply)
    [message] = botapi.sent_to(42)
    refresh, details = message.buttons
    assert "callback_data" in refresh
    assert details == {"text": "Details", "web_app": {"url": "https://t.example/app?order=1001"}}


async def test_a_silent_push_goes_without_a_sound(botapi: BotApiServer, ptb_bot: Bot) -> None:
    sender = make_sender(ptb_bot)
    await sender.send("42", Reply(sections=[Section(text="Shipped")], silent=True))
    await sender.send("42", Reply(sections=[Section(text="Delivered")]))
    quiet, loud = botapi.calls_of("sendMessage")
    assert quiet.params.get("disable_notification") is True
    assert not loud.params.get("disable_notification")


async def test_long_reply_is_several_messages_ref_of_the_last(
    botapi: BotApiServer, ptb_bot: Bot
) -> None:
    sender = make_sender(ptb_bot)
    text = "\n".join(f"Line {i} " + "x" * 90 for i in range(100))  # about 10,000 characters
    outcome = await sender.send(
        "42", Reply(sections=[Section(text=text)], buttons=[Button("Help", "help")])
    )
    messages = botapi.sent_to(42)
    assert len(messages) == 3
    assert all(len(m.text) <= 4096 for m in messages)
    assert [bool(m.buttons) for m in messages] == [False, False, True]
    assert outcome == Sent(ref=f"42:{messages[-1].message_id}")


@pytest.mark.parametrize("timedelta_mode", ["false", "1"], ids=["seconds", "PTB_TIMEDELTA=1"])
async def test_429_is_rate_limited_with_retry_after(
    botapi: BotApiServer, ptb_bot: Bot, monkeypatch: pytest.MonkeyPatch, timedelta_mode: str
) -> None:
    # Read through PTB's public RetryAfter.retry_after: the same wait whether the library
    # gives seconds (today's default) or a timedelta (opted in now, PTB's next major
    # version always).
    monkeypatch.setenv("PTB_TIMEDELTA", timedelta_mode)
    sender = make_sender(ptb_bot)
    botapi.fail("sendMessage", 429, retry_after=17)
    assert await sender.send("42", Reply.text("hi")) == RateLimited(retry_after=17.0)
    assert botapi.sent_to(42) == []


def test_the_wait_is_read_through_the_public_attribute() -> None:
    import warnings

    from telegram.error import RetryAfter

    from adapters.telegram.sender import retry_after_seconds

    plain = RetryAfter(3)  # PTB warns here itself (its message reads the property)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert retry_after_seconds(plain) == 3.0  # and wismo's reading adds no warning

    class Renamed(RetryAfter):
        # Should PTB rename its private field, only the public property still works.
        @property
        def retry_after(self) -> int:  # type: ignore[override]
            return 9

    error = Renamed(3)
    del error._retry_after
    assert retry_after_seconds(error) == 9.0


async def test_403_blocked(botapi: BotApiServer, ptb_bot: Bot) -> None:
    sender = make_sender(ptb_bot)
    botapi.fail("sendMessage", 403)
    outcome = await sender.send("42", Reply.text("hi"))
    assert isinstance(outcome, Blocked)
    assert "blocked" in outcome.reason


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_5xx_is_transient(botapi: BotApiServer, ptb_bot: Bot, status: int) -> None:
    sender = make_sender(ptb_bot)
    botapi.fail("sendMessage", status)
    assert isinstance(await sender.send("42", Reply.text("hi")), Transient)


@pytest.mark.parametrize("status", [400, 404, 409, 413, 422])
async def test_other_4xx_is_permanent(botapi: BotApiServer, ptb_bot: Bot, status: int) -> None:
    sender = make_sender(ptb_bot)
    botapi.fail("sendMessage", status, "Bad Request: something about this message")
    assert isinstance(await sender.send("42", Reply.text("hi")), Permanent)


async def test_network_error_is_transient(botapi: BotApiServer) -> None:
    bot = Bot(botapi.token, base_url=botapi.api_url, request=WismoRequest(connect_timeout=1))
    await bot.initialize()
    sender = make_sender(bot)
    await botapi.stop()  # nobody listens on the port any more
    try:
        assert isinstance(await sender.send("42", Reply.text("hi")), Transient)
    finally:
        await bot.shutdown()


async def test_not_started_is_transient_without_calling_telegram(
    botapi: BotApiServer, ptb_bot: Bot
) -> None:
    sender = make_sender(ptb_bot)
    sender.ready = False
    assert isinstance(await sender.send("42", Reply.text("hi")), Transient)
    assert botapi.calls_of("sendMessage") == []


async def test_after_a_429_the_chat_waits_before_the_next_send(
    botapi: BotApiServer, ptb_bot: Bot
) -> None:
    sender = make_sender(ptb_bot)
    botapi.fail("sendMessage", 429, retry_after=1)
    assert isinstance(await sender.send("42", Reply.text("one")), RateLimited)
    assert await sender.send("42", Reply.text("two")) == Sent(
        ref=f"42:{botapi.messages[-1].message_id}"
    )
    refused, accepted = botapi.calls_of("sendMessage")
    assert accepted.at - refused.at >= 0.95


async def test_server_sees_paced_sends(botapi: BotApiServer, ptb_bot: Bot) -> None:
    """Measured at the stand-in server: 20/s overall and 5/s per chat, never bursting.

    The pacer releases its k-th send no earlier than k gaps after the first could go,
    and a request reaches the server only after its release, so the k-th arrival is at
    least k gaps after the start. Load can only delay arrivals, never bring one
    forward, so this bound holds on a busy machine; unpaced, all 16 land at once.
    """
    sender = make_sender(ptb_bot, rate_global=20, rate_per_chat=5)
    chats = ["1", "2", "3", "4"] * 4  # 16 messages, 4 per chat
    start = time.monotonic()  # the stand-in stamps calls with the same clock
    outcomes = await asyncio.gather(*(sender.send(c, Reply.text("x")) for c in chats))
    assert all(isinstance(o, Sent) for o in outcomes)
    early = 0.001  # asyncio may fire a timer up to its clock resolution early

    def offsets(chat_id: int | None = None) -> list[float]:
        calls = botapi.calls_of("sendMessage")
        return sorted(c.at - start for c in calls if chat_id in (None, c.params["chat_id"]))

    overall = offsets()
    assert len(overall) == len(chats)
    assert all(at >= k / 20 - early for k, at in enumerate(overall)), overall
    for chat in set(chats):
        mine = offsets(int(chat))
        assert len(mine) == 4
        assert all(at >= k / 5 - early for k, at in enumerate(mine)), (chat, mine)
