"""Talking to a person, both ways, through the conversation and the core hand-off steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from core.conversation.service import Conversation
from core.handoff import threads as handoff
from core.replies.reply import Inbound, Reply
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import ConversationState, HandoffThread, Notification
from tests.unit.returns.conftest import Shop
from tests.unit.returns.test_return_flow import buttons, shown

TS = "1700000000.000100"


def text_of(notification: Notification) -> str:
    return shown([Reply.from_dict(notification.reply)])


@dataclass
class Scene:
    shop: Shop
    conversation: Conversation
    sender_id: str = "4242"

    async def say(self, text: str) -> list[Reply]:
        return await self.conversation.handle(Inbound("telegram", self.sender_id, text=text))

    async def press(self, action: str, payload: str = "") -> list[Reply]:
        inbound = Inbound("telegram", self.sender_id, action=action, payload=payload)
        return await self.conversation.handle(inbound)

    async def thread(self) -> HandoffThread:
        async with self.shop.db.session() as session:
            return (await session.exec(select(HandoffThread))).one()

    async def to_shopper(self) -> list[str]:
        return [text_of(n) for n in await self.shop.outbox() if n.identity_id is not None]

    async def to_slack(self, channel: str = "slack") -> list[Notification]:
        return [n for n in await self.shop.outbox() if n.channel == channel]

    async def step(self, step, *args, **kwargs):
        async with self.shop.db.transaction() as session:
            return await step(session, self.shop.clock, self.shop.config, *args, **kwargs)

    async def take(self, agent: str = "slack:U1", name: str = "Jane Agent") -> HandoffThread:
        thread = await self.thread()
        return await self.step(
            handoff.take_over,
            thread.id,
            agent_id=agent,
            agent_name=name,
            channel="C_SUPPORT",
            ts=TS,
        )

    async def agent_says(self, text: str, agent: str = "slack:U1", ts: str = "1.1") -> str:
        return await self.step(
            handoff.agent_reply,
            channel="C_SUPPORT",
            thread_ts=TS,
            message_ts=ts,
            agent_id=agent,
            text=text,
        )


@pytest.fixture
async def scene(shop: Shop) -> Scene:
    ada = await shop.customer("Ada Lovelace")
    await shop.chat(ada, sender_id="4242")
    await shop.order(ada, number="1001")
    return Scene(shop, Conversation(shop.db, shop.clock, shop.config))


async def test_asking_for_a_person_opens_a_thread_with_the_question(scene: Scene) -> None:
    await scene.say("where is my order 1001")
    ask = await scene.press("human", "1001")
    assert "what would you like to ask our team?" in shown(ask)
    assert "together with order 1001" in shown(ask)
    done = await scene.say("The box arrived crushed, what now?")
    assert shown(done) == (
        "Thanks — I've passed your message to our team. Someone will answer right here in "
        "this chat."
    )
    [card] = await scene.to_slack()
    assert (card.recipient, card.subject_type, card.kind) == (
        "C_SUPPORT",
        "handoff",
        "handoff_opened",
    )
    text = text_of(card)
    assert "Ada would like to talk to a person" in text
    assert "The box arrived crushed, what now?" in text
    assert "asked where an order is" in text  # what the shopper did before
    assert "Order 1001" in text or "1001" in text
    assert "c1001@example.com" not in text  # the staff order card masks the e-mail
    assert [b["action"] for b in card.reply["buttons"]] == [
        "handoff_take",
        "handoff_back",
        "handoff_note",
    ]
    assert (await scene.thread()).state == "waiting"


async def test_until_someone_takes_over_the_bot_answers_and_thread_replies_stay_in_slack(
    scene: Scene,
) -> None:
    await scene.say("talk to a person")
    await scene.say("Can I change the delivery address?")
    answer = await scene.say("where is my order 1001")
    assert answer[0].intent == "track_order"
    async with scene.shop.db.transaction() as session:
        await handoff.thread_opened(session, (await scene.thread()).id, "C_SUPPORT", TS)
    assert await scene.agent_says("who has this one?") == "not_taken"
    assert await scene.to_shopper() == []


async def test_take_over_then_messages_flow_both_ways(scene: Scene) -> None:
    await scene.say("talk to a person")
    await scene.say("My parcel is damaged")
    await scene.take()
    assert await scene.to_shopper() == ["Jane from Acme is here and will answer you in this chat."]

    silent = await scene.say("It's the blue mug, the handle broke")
    assert silent == []  # a person answers, not the bot
    [posted] = await scene.to_slack("slack_thread")
    assert posted.recipient == f"C_SUPPORT:{TS}"
    assert text_of(posted) == "Ada: It's the blue mug, the handle broke"

    assert await scene.agent_says("Sorry! I'll send a new one today.") == "forwarded"
    assert (await scene.to_shopper())[-1] == "Sorry! I'll send a new one today.\n— Jane"
    # Another agent's message in the same thread does not reach the shopper.
    assert await scene.agent_says("fyi stock is low", agent="slack:U2", ts="1.2") == "other_agent"
    assert len(await scene.to_shopper()) == 2


async def test_hand_back_returns_the_shopper_to_the_bot(scene: Scene) -> None:
    await scene.say("talk to a person")
    await scene.say("Question about my order")
    thread = await scene.take()
    await scene.step(handoff.hand_back, thread.id, actor="slack:U1")
    assert (await scene.to_shopper())[-1].startswith(
        "Jane has handed you back to me, the order assistant."
    )
    answer = await scene.say("where is my order 1001")
    assert answer[0].intent == "track_order"
    assert await scene.agent_says("one more thing") == "closed"
    async with scene.shop.db.session() as session:
        assert await session.get(ConversationState, thread.identity_id) is None
    with pytest.raises(handoff.ThreadClosed):
        await scene.step(handoff.hand_back, thread.id, actor="slack:U1")
    trail = [(e.actor, e.action, e.before, e.after) for e in await scene.shop.audit("handoff")]
    assert trail == [
        ("telegram:4242", "handoff.opened", None, {"order_id": None, "outside_hours": False}),
        (
            "slack:U1",
            "handoff.taken",
            {"state": "waiting"},
            {"state": "taken", "agent": "Jane Agent"},
        ),
        ("slack:U1", "handoff.handed_back", {"state": "taken"}, {"state": "closed"}),
    ]


async def test_a_day_of_silence_hands_back_and_tells_both_sides(scene: Scene) -> None:
    await scene.say("talk to a person")
    await scene.say("Hello?")
    await scene.take()
    scene.shop.clock.advance(hours=23)
    assert await scene.step(handoff.close_idle) == 0
    scene.shop.clock.advance(hours=1, seconds=1)
    assert await scene.step(handoff.close_idle) == 1
    assert (await scene.thread()).state == "closed"
    assert (await scene.to_shopper())[-1].startswith("It's been quiet for a while")
    [line] = await scene.to_slack("slack_thread")
    assert "back with the bot" in text_of(line)
    answer = await scene.say("where is my order 1001")
    assert answer[0].intent == "track_order"


async def test_a_message_after_the_idle_limit_goes_to_the_bot(scene: Scene) -> None:
    await scene.say("talk to a person")
    await scene.say("Hello?")
    await scene.take()
    scene.shop.clock.advance(hours=25)
    answer = await scene.say("where is my order 1001")
    assert answer and answer[0].intent == "track_order"
    assert (await scene.thread()).state == "closed"


async def test_the_first_agent_to_take_over_wins(scene: Scene) -> None:
    await scene.say("talk to a person")
    await scene.say("Hi")
    await scene.take("slack:U1", "Jane Agent")
    with pytest.raises(handoff.AlreadyTaken) as taken:
        await scene.take("slack:U2", "Omar")
    assert taken.value.agent_name == "Jane Agent"
    again = await scene.take("slack:U1", "Jane Agent")  # a double click changes nothing
    assert again.agent_id == "slack:U1"
    assert len(await scene.to_shopper()) == 1


async def test_outside_support_hours_the_shopper_is_told_when(scene: Scene) -> None:
    scene.shop.clock.set(datetime(2026, 11, 7, 10, 0, tzinfo=UTC))  # Saturday
    await scene.say("talk to a person")
    done = await scene.say("Is my order insured?")
    assert "They're offline right now and will answer from Mon 9 Nov, 09:00 (UTC)." in shown(done)
    [card] = await scene.to_slack()
    assert "told the shopper: from Mon 9 Nov, 09:00 (UTC)" in text_of(card)
    # Silence is counted from the opening, not from Saturday.
    scene.shop.clock.advance(hours=40)
    assert await scene.step(handoff.close_idle) == 0


async def test_asking_twice_does_not_open_a_second_thread(scene: Scene) -> None:
    await scene.say("talk to a person")
    await scene.say("Hi")
    again = await scene.say("talk to a person")
    assert "You've already asked for a person" in shown(again)
    await scene.take()
    assert await scene.say("talk to a person") == []  # goes to Jane, not the bot
    assert len(await scene.to_slack()) == 1


async def test_cancel_before_anything_is_sent(scene: Scene) -> None:
    ask = await scene.say("I want to speak to a person")
    stopped = await scene.press(*buttons(ask)["Cancel"])
    assert "I won't pass anything on" in shown(stopped)
    assert await scene.to_slack() == []
    stale = await scene.press("handoff_cancel")
    assert shown(stale) == "That button is no longer active."


async def test_the_thread_ts_is_learnt_from_the_outbox(scene: Scene) -> None:
    await scene.say("talk to a person")
    await scene.say("Hi")
    async with scene.shop.db.transaction() as session:
        card = (await session.exec(select(Notification))).one()
        card.external_ref = f"C_SUPPORT:{TS}"  # what the dispatcher keeps after sending
        session.add(card)
    async with scene.shop.db.transaction() as session:
        found = await handoff.thread_at(session, "C_SUPPORT", TS)
    assert found is not None and found.slack_thread_ts == TS
    async with scene.shop.db.transaction() as session:
        assert await handoff.thread_at(session, "C_SUPPORT", "9.9") is None


async def test_without_a_support_channel_the_shop_contact_is_shown(db: Database, clock) -> None:
    shop = Shop(db, clock, CoreConfig(shop_name="Acme", support_contact="help@acme.example"))
    scene = Scene(shop, Conversation(db, clock, shop.config))
    replies = await scene.say("talk to a person")
    assert "help@acme.example" in shown(replies)
    assert await shop.outbox() == []


async def test_an_unverified_chat_can_reach_a_person(scene: Scene) -> None:
    stranger = Scene(scene.shop, scene.conversation, sender_id="999")
    await stranger.conversation.handle(
        Inbound("telegram", "999", text="talk to a person", display_name="Bo Stranger")
    )
    await stranger.say("I can't find my order number")
    [card] = await scene.to_slack()
    assert "Bo would like to talk to a person" in text_of(card)


async def test_a_question_long_after_asking_goes_to_the_bot(scene: Scene) -> None:
    await scene.say("talk to a person")
    scene.shop.clock.advance(minutes=31)
    answer = await scene.say("where is my order 1001")
    assert answer[0].intent == "track_order"
    assert await scene.to_slack() == []


async def test_only_text_is_passed_on_to_the_agent(scene: Scene) -> None:
    await scene.say("talk to a person")
    await scene.say("Hi")
    await scene.take()
    replies = await scene.say("")  # a sticker or a photo arrives without text
    assert shown(replies) == (
        "I can only pass text messages on to our team — please describe it in words."
    )
    assert await scene.to_slack("slack_thread") == []
