"""Talking to a person across both platforms: a Telegram shopper, a Slack agent, the outbox
between them delivered by the real dispatcher — including replies in an untaken thread,
which stay in Slack.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import select

from adapters.telegram import TelegramChannel
from core.conversation.identity import create_link_token
from core.conversation.service import Conversation
from core.pushes.dispatch import Dispatcher
from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.models import HandoffThread
from tests.integration.slack.conftest import AGENT, SUPPORT, Desk
from tests.integration.telegram.botapi import BotApiServer
from tests.integration.telegram.conftest import Harness, channel_config
from tests.integration.telegram.shop import Shop
from tests.integration.telegram.test_conversation import shown

CHAT = 4401


@dataclass
class Both:
    telegram: Harness
    desk: Desk
    dispatcher: Dispatcher

    async def deliver(self) -> None:
        """What the scheduler's dispatch job does: send everything due in the outbox."""
        await self.dispatcher.drain()

    def shopper_saw(self) -> list[str]:
        return [shown(m.text) for m in self.telegram.botapi.sent_to(CHAT)]

    def card(self) -> Any:
        [card] = [c for c in self.desk.api.of("chat.postMessage") if "thread_ts" not in c.args]
        return card

    async def agent_writes(self, ts: str, text: str, n: int, user: str = AGENT) -> None:
        event = {
            "type": "message",
            "channel": SUPPORT,
            "channel_type": "channel",
            "user": user,
            "text": text,
            "ts": f"1700000200.{n:06d}",
            "thread_ts": ts,
        }
        assert (await self.desk.event(event, event_id=f"Ev{n:04d}")).status_code == 200

    async def click(self, label: str, ts: str) -> None:
        calls = [c for c in self.desk.api.calls if c.method in ("chat.postMessage", "chat.update")]
        button = next(b for c in reversed(calls) for b in c.buttons() if b["text"]["text"] == label)
        await self.desk.click(button, channel=SUPPORT, message_ts=ts)


@pytest.fixture
async def both(
    desk: Desk, botapi: BotApiServer, db: Database, clock: ManualClock, shop: Shop
) -> AsyncIterator[Both]:
    config = desk.services.config  # the support channel is set there
    channel = TelegramChannel(channel_config(botapi), Conversation(db, clock, config), db, clock)
    harness = Harness(botapi, channel)
    await channel.start()
    senders = {"telegram": channel.sender, **desk.services.senders}
    yield Both(harness, desk, Dispatcher(db, clock, senders))
    await channel.stop()


async def _until(condition: Any, within: float = 5.0) -> None:
    """Poll `condition` (async) until true: Slack listeners finish after the HTTP ack."""
    for _ in range(int(within / 0.02)):
        if await condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


async def test_a_conversation_with_a_person_both_ways(
    both: Both, db: Database, clock: ManualClock, shop: Shop
) -> None:
    async with db.transaction() as session:
        token = await create_link_token(session, clock, both.desk.services.config, shop.ada_order)
    ada = both.telegram.chat(CHAT, first_name="Ada")
    await ada.say(f"/start {token}")

    [ask] = await ada.say("I need to talk to a person")
    assert "what would you like to ask our team?" in shown(ask.text)
    [ack] = await ada.say("My tea arrived open & wet <b>twice</b>")
    assert "Someone will answer right here in this chat" in shown(ack.text)
    await both.deliver()
    card = both.card()
    assert card.args["channel"] == SUPPORT
    assert "Ada would like to talk to a person" in card.text
    assert "My tea arrived open &amp; wet &lt;b&gt;twice&lt;/b&gt;" in card.text
    ts = "1700000000.000001"  # the stand-in's first ts: the thread

    # Nobody has taken over: agents talk among themselves, the shopper hears nothing.
    seen = len(both.shopper_saw())
    await both.agent_writes(ts, "Is this the customer from last week? I'll take it", 1)

    async def reply_handled() -> bool:  # the listener learnt the thread from the outbox
        async with db.session() as session:
            thread = (await session.exec(select(HandoffThread))).one()
        return thread.slack_thread_ts == ts

    await _until(reply_handled)
    await both.deliver()
    assert len(both.shopper_saw()) == seen
    # ...and the shopper is still talking to the bot.
    [answer] = await ada.say("where is my order 1001")
    assert "Order 1001" in shown(answer.text)
    assert not any("I'll take it" in text for text in both.shopper_saw())

    await both.click("Take over", ts)
    await both.desk.api.wait_for("chat.update")
    await both.deliver()
    assert (
        both.shopper_saw()[-1]
        == "jane.agent from the shop is here and will answer you in this chat."
    )

    # The shopper's messages go into the thread instead of to the bot.
    assert await ada.say("Hello? Are you there?") == []
    await both.deliver()
    posted = [c for c in both.desk.api.of("chat.postMessage") if c.args.get("thread_ts") == ts]
    assert any("Ada: Hello? Are you there?" in c.text for c in posted)

    # The agent's reply reaches the shopper on Telegram, signed.
    before = len(both.shopper_saw())
    await both.agent_writes(ts, "Sorry about that! A new box of tea is on its way.", 3)

    async def forwarded() -> bool:
        await both.deliver()
        return len(both.shopper_saw()) > before

    await _until(forwarded)
    assert both.shopper_saw()[-1] == (
        "Sorry about that! A new box of tea is on its way.\n\n— jane.agent"
    )

    await both.click("Hand back to the bot", ts)
    await both.desk.api.wait_for("chat.update", 2)
    await both.deliver()
    assert both.shopper_saw()[-1].startswith(
        "jane.agent has handed you back to me, the order assistant"
    )
    [answer] = await ada.say("where is my order 1001")
    assert "Order 1001" in shown(answer.text)
    assert not any("I'll take it" in text for text in both.shopper_saw())
