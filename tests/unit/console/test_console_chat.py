"""The console channel on the real conversation: a verified demo shopper asks, and gets pushes."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from adapters.carriers.simulated import SimulatedCarrier
from adapters.console import ConsoleChannel, ConsoleScreen, ConsoleSender
from core.conversation.service import Conversation
from core.pushes.dispatch import Dispatcher
from core.replies.reply import Reply
from core.replies.sender import Permanent, Sent
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.sample import demo_shop as sample
from core.storage.db import Database

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
# start == end: no quiet hours, so a push is due at once.
CONFIG = CoreConfig(
    secret_key="test", shop_name="Acme", quiet_hours_start=time(0), quiet_hours_end=time(0)
)


class Terminal:
    """A console user at a terminal whose output we can read."""

    def __init__(self, conversation: Conversation, *, json_mode: bool = False) -> None:
        self.out = io.StringIO()
        self.screen = ConsoleScreen(self.out, ZoneInfo("UTC"), json_mode=json_mode)
        self.channel = ConsoleChannel(
            conversation.handle, self.screen, sender_id="demo", display_name="Alex Morgan"
        )

    async def say(self, line: str) -> str:
        start = self.out.tell()
        await self.channel.say(line)
        return self.out.getvalue()[start:]


@pytest.fixture
async def shop(db: Database, clock: ManualClock) -> None:
    clock.set(NOW)
    async with db.engine.begin() as connection:
        await sample.seed(connection, now=NOW, count=40)
        await sample.add_verified_identity(
            connection, now=NOW, channel="console", external_id="demo", follow=["1002"]
        )


@pytest.fixture
def conversation(db: Database, clock: ManualClock, shop: None) -> Conversation:
    return Conversation(db, clock, CONFIG)


async def test_the_verified_demo_shopper_is_greeted_by_name(conversation: Conversation) -> None:
    said = await Terminal(conversation).say("hi")
    assert said.startswith("wismo › Hi Alex!")
    assert "[1] My orders" in said


async def test_where_is_my_order_lists_the_shoppers_orders_with_real_statuses(
    conversation: Conversation,
) -> None:
    said = await Terminal(conversation).say("where is my order?")
    for line in ("1001 · On its way", "1002 · Out for delivery", "1005 · Being prepared"):
        assert line in said
    assert "1007" not in said  # someone else's order


async def test_typing_a_number_presses_that_button(conversation: Conversation) -> None:
    terminal = Terminal(conversation)
    listed = await terminal.say("my orders")
    number = next(
        part.split("]")[0].strip("[")
        for part in listed.splitlines()[-2].split("  ")
        if part.endswith("Order 1004")
    )
    said = await terminal.say(number)
    assert "Order 1004" in said
    assert "Parcel 1 of 2" in said and "Parcel 2 of 2" in said


async def test_an_order_number_is_not_mistaken_for_a_button(conversation: Conversation) -> None:
    terminal = Terminal(conversation)
    await terminal.say("hi")
    said = await terminal.say("1003")
    assert "Order 1003" in said


async def test_json_mode_prints_one_object_per_reply(conversation: Conversation) -> None:
    terminal = Terminal(conversation, json_mode=True)
    said = await terminal.say("where is order 1002")
    objects = [json.loads(line) for line in said.splitlines()]
    assert objects[0]["intent"] == "track_order"
    assert objects[0]["order_number"] == "1002"
    assert {"label": "Refresh", "action": "refresh", "payload": "1002"} in objects[0]["buttons"]


async def test_a_blank_line_is_not_sent(conversation: Conversation) -> None:
    terminal = Terminal(conversation)
    assert await terminal.say("   ") == ""


async def test_run_answers_every_line_until_the_input_ends(conversation: Conversation) -> None:
    terminal = Terminal(conversation, json_mode=True)

    async def lines() -> AsyncIterator[str]:
        for line in ("hello", "", "thanks"):
            yield line

    assert await terminal.channel.run(lines()) == 2
    intents = [json.loads(line)["intent"] for line in terminal.out.getvalue().splitlines()]
    assert intents == ["greeting", "thanks"]


async def test_slash_quit_ends_piped_input_too_but_a_plain_word_is_said(
    conversation: Conversation,
) -> None:
    terminal = Terminal(conversation, json_mode=True)  # not a keyboard: piped lines

    async def lines() -> AsyncIterator[str]:
        for line in ("hello", "exit", "/quit", "thanks"):
            yield line

    assert await terminal.channel.run(lines()) == 2
    intents = [json.loads(line)["intent"] for line in terminal.out.getvalue().splitlines()]
    assert intents[0] == "greeting" and len(intents) == 2  # "exit" answered; nothing after /quit


async def test_the_console_sender_shows_pushes_only_to_its_own_user() -> None:
    out = io.StringIO()
    screen = ConsoleScreen(out, ZoneInfo("UTC"))
    sender = ConsoleSender(screen, {"demo"})
    outcome = await sender.send("demo", Reply.text("Order 1002 was delivered."))
    assert isinstance(outcome, Sent) and outcome.ref == "console:1"
    assert "🔔 update › Order 1002 was delivered." in out.getvalue()
    refused = await sender.send("someone-else", Reply.text("not for you"))
    assert isinstance(refused, Permanent)
    assert "not for you" not in out.getvalue()


async def test_a_simulated_scan_on_a_followed_order_appears_as_a_push(
    db: Database, clock: ManualClock, conversation: Conversation
) -> None:
    terminal = Terminal(conversation)
    sender = ConsoleSender(terminal.screen, {"demo"})
    dispatcher = Dispatcher(db, clock, {"console": sender})
    carrier = SimulatedCarrier(clock, seed=1, per_tick=0)
    clock.advance(minutes=5)
    result = await carrier.tick(db, CONFIG)
    assert result.updates >= 1 and result.status_changes >= 1 and result.pushes == 1
    stats = await dispatcher.drain()
    assert stats.sent == 1
    ((recipient, push),) = sender.sent
    assert recipient == "demo" and push.order_number == "1002"
    assert "🔔 update ›" in terminal.out.getvalue()
    assert "1002" in terminal.out.getvalue()


async def test_typing_a_buttons_label_presses_that_button(conversation: Conversation) -> None:
    terminal = Terminal(conversation)
    await terminal.say("my orders")
    for typed in ("Order 1004", "order  1004", "[3] Order 1004"):  # as shown, any case
        pressed = terminal.channel.inbound_for(typed)
        assert pressed is not None and (pressed.action, pressed.payload) == ("track", "1004")
    text = terminal.channel.inbound_for("order 1004 please")
    assert text is not None and text.action is None  # not a label: read as text


async def test_skip_at_anything_to_add_skips_rather_than_saving_the_word(
    conversation: Conversation,
) -> None:
    terminal = Terminal(conversation)
    said = await terminal.say("I want to return order 1003")
    assert "[1] Packable rain jacket, S" in said
    await terminal.say("Packable rain jacket, S")  # typed as shown: selects the item
    said = await terminal.say("continue")
    assert "Why are you sending it back?" in said, said
    reason = terminal.screen.choices[0].label
    said = await terminal.say(reason)
    assert "Anything you'd like to add?" in said, said
    said = await terminal.say("Skip")
    assert "Please check and tap" in said, said
    assert "Skip" not in said.split("[")[0], said  # not saved as the comment "Skip"
