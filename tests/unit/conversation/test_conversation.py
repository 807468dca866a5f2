"""Conversations as a shopper has them, through `Conversation.handle`."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from core.conversation.flow_context import FlowContext
from core.conversation.identity import create_link_token
from core.conversation.service import Conversation
from core.replies.reply import Inbound, Reply
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import ChannelIdentity, ConversationState, InboundLog, Subscription
from tests.unit.conversation.conftest import Bot


async def test_a_new_shopper_is_greeted_and_asked_for_an_order_number(bot: Bot) -> None:
    replies = await bot.say("hi")
    assert replies.intents == ["greeting"]
    assert replies.text.startswith("Hi Jane! I'm the order assistant for Acme.")
    assert "send me your order number" in replies.text


async def test_a_verified_shopper_asks_where_their_order_is(jane: Bot) -> None:
    replies = await jane.say("where is my order 1001")
    assert [(r.intent, r.order_number) for r in replies] == [("track_order", "1001")]
    text = replies.text
    for expected in (
        "Order 1001",
        "Status: On its way",
        "Items: Blue mug ×2",
        "Carrier: DHL",
        "Tracking number: JD0001",
        "Track it: https://www.dhl.com/",
        "Last seen: Leipzig hub",
        "Expected: tomorrow",
        "On its way – Arrived at hub (Leipzig hub)",
    ):
        assert expected in text, expected
    assert replies.actions() == [("refresh", "1001"), ("unfollow", "1001"), ("human", "1001")]


async def test_typos_and_punctuation(jane: Bot) -> None:
    for text in ("wher is my ordr #1001??", "1001", "Order: 1001!", "my order number is 1001"):
        replies = await jane.say(text)
        assert (replies[0].intent, replies[0].order_number) == ("track_order", "1001"), text


async def test_without_a_number_the_open_orders_are_offered(jane: Bot) -> None:
    replies = await jane.say("where's my stuff?")
    assert replies.intents == ["track_order"]
    assert "Which one do you mean?" in replies.text
    assert replies.actions() == [("track", "1004"), ("track", "1001"), ("track", "1002")]
    picked = await jane.press("track", "1002")
    assert "Parcel 1 of 2 · UPS" in picked.text and "Parcel 2 of 2 · DPD" in picked.text


async def test_with_one_open_order_it_is_shown_straight_away(bot: Bot) -> None:
    await bot.say("2001")
    await bot.say("SW1A 1AA")
    replies = await bot.say("where is my parcel")
    assert (replies[0].intent, replies[0].order_number) == ("track_order", "2001")
    assert "Status: Delayed" in replies.text and "lost" not in replies.text.lower()


async def test_list_my_orders(jane: Bot) -> None:
    replies = await jane.say("show my orders")
    assert replies.intents == ["list_orders"]
    # A list says what the parcels say when they agree; two parcels apart say "Shipped".
    assert "1001 · On its way · placed Fri 30 Oct" in replies.text
    assert "1002 · Shipped · placed Wed 28 Oct" in replies.text
    assert "1003 · Delivered" in replies.text
    assert "1004 · Order received · placed today" in replies.text
    assert [a for a, _ in replies.actions()] == ["track"] * 4


async def test_an_unverified_list_request_asks_who_you_are_first(bot: Bot) -> None:
    assert (await bot.press("orders")).intents == ["verify"]
    await bot.say("1001")
    replies = await bot.say("jane@example.com")
    assert replies.intents == ["verify", "list_orders"]


async def test_follow_and_stop_updates(jane: Bot, db: Database) -> None:
    replies = await jane.say("stop updates for 1001")
    assert replies.intents == ["unfollow"]
    assert replies.text == "OK, no more updates about order 1001.\n[Follow updates]"
    assert (await jane.say("follow 1001")).text.startswith(
        "Done! I'll message you here when order 1001 moves."
    )
    assert (await jane.say("follow 1001")).text.startswith("You're already following order 1001")
    assert "has arrived" in (await jane.press("follow", "1003")).text
    async with db.session() as session:
        active = (
            await session.exec(select(Subscription.order_id).where(col(Subscription.active)))
        ).all()
    assert len(active) == 3


async def test_stop_and_start_all_pushes(jane: Bot, db: Database) -> None:
    stopped = await jane.say("/stop")
    assert stopped.intents == ["stop_pushes"]
    assert stopped.actions() == [("start_pushes", "")]
    async with db.session() as session:
        identity = (await session.exec(select(ChannelIdentity))).one()
        assert not identity.pushes_enabled
    refused = await jane.say("follow 1001")
    assert "Updates are turned off" in refused.text
    started = await jane.say("/start")
    assert started.intents == ["greeting", "start_pushes"]
    async with db.session() as session:
        identity = (await session.exec(select(ChannelIdentity))).one()
        assert identity.pushes_enabled


async def test_the_stop_and_start_methods_match_the_actions(
    conversation: Conversation, db: Database
) -> None:
    inbound = Inbound(channel="test", sender_id="x")
    assert [r.intent for r in await conversation.stop_pushes(inbound)] == ["stop_pushes"]
    assert [r.intent for r in await conversation.start_pushes(inbound)] == ["start_pushes"]


async def test_a_deep_link_verifies_and_shows_the_order(
    bot: Bot, db: Database, clock: ManualClock, config: CoreConfig
) -> None:
    async with db.transaction() as session:
        token = await create_link_token(session, clock, config, "1002")
    replies = await bot.say(f"/start {token}")
    assert [(r.intent, r.order_number) for r in replies] == [
        ("link", "1002"),
        ("track_order", "1002"),
    ]
    assert "Parcel 2 of 2 · DPD" in replies.text
    stranger = bot.chat("stranger")
    used = await stranger.say(f"/start {token}")
    assert used.intents == ["link"] and "already been used" in used.text
    assert "DPD" not in used.text


async def test_expired_and_forged_links(
    bot: Bot, db: Database, clock: ManualClock, config: CoreConfig
) -> None:
    async with db.transaction() as session:
        token = await create_link_token(session, clock, config, "1001")
    forged = await bot.conversation.link(
        bot.inbound(), token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    )
    assert "this link doesn't work" in forged[0].sections[0].text  # type: ignore[operator]
    clock.advance(config.link_token_ttl)
    expired = await bot.press("link", token)
    assert "This link has expired" in expired.text


async def test_returns_and_people_fall_back_to_the_shop_contact(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    from core.conversation.flow_context import ContactShopFlow

    config = CoreConfig(secret_key="s", shop_name="Acme", support_contact="help@acme.example")
    flows = {"return": ContactShopFlow("return"), "human": ContactShopFlow("human")}
    bot = Bot(Conversation(db, clock, config, flows=flows))
    human = await bot.say("can I talk to a person")
    assert human.intents == ["human"]
    assert human.text.startswith(
        "To talk to a person, contact Acme at help@acme.example (mon-fri, 09:00-17:00)."
    )
    ret = await bot.press("return", "1001")
    assert (ret[0].intent, ret[0].order_number) == ("start_return", "1001")
    assert "please contact Acme at help@acme.example" in ret.text


class RecordingFlow:
    """A stand-in flow that records what the conversation hands it."""

    name = "return"
    action_prefix = "ret_"
    needs_verification = True

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    async def start(self, ctx: FlowContext, payload: str) -> list[Reply]:
        self.calls.append(("start", payload))
        await ctx.set_state("return", "reason", {"number": payload})
        return [Reply.text("Why?", intent="start_return", order_number=payload)]

    async def step(self, ctx: FlowContext, inbound: Inbound) -> list[Reply] | None:
        self.calls.append(("step", inbound.action or inbound.text or ""))
        if inbound.text == "where is 1001":
            return None  # not an answer: the conversation takes it
        return [Reply.text("Noted", intent="start_return")]


async def test_flows_get_their_intents_buttons_and_text(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    flow = RecordingFlow()
    bot = Bot(Conversation(db, clock, config, flows={"return": flow}))
    asked = await bot.say("I want to return order 1001")
    assert asked.intents == ["verify"]  # needs_verification: prove it first
    resumed = await bot.say("jane@example.com")
    assert resumed.intents == ["verify", "start_return"]
    assert flow.calls == [("start", "1001")]
    await bot.say("it's too small")
    await bot.press("ret_reason", "size")
    answered = await bot.say("where is 1001")
    assert answered.intents == ["track_order"]
    assert flow.calls[1:] == [
        ("step", "it's too small"),
        ("step", "ret_reason"),
        ("step", "where is 1001"),
    ]
    async with db.session() as session:
        assert (await session.exec(select(ConversationState))).all() == []


async def test_help_thanks_bye_and_the_fallback(bot: Bot) -> None:
    help_ = await bot.say("help")
    assert help_.intents == ["help"] and "Where is my order 1001?" in help_.text
    assert (await bot.say("thanks!")).text == "You're welcome! Message me any time."
    assert (await bot.say("bye")).intents == ["bye"]
    fallback = await bot.say("the weather is nice")
    assert fallback.intents == ["unknown"]
    assert "didn't quite get that" in fallback.text
    assert fallback.actions() == [("orders", ""), ("help", "")]
    assert (await bot.press("no_such_action")).intents == ["unknown"]


async def test_a_phone_number_is_not_taken_for_an_order(jane: Bot) -> None:
    replies = await jane.say("please call me on +49 170 1234567")
    assert all(r.order_number is None for r in replies)


async def test_every_message_is_logged_with_its_intent(jane: Bot, db: Database) -> None:
    await jane.say("where is 1001")
    await jane.say("what?")
    async with db.session() as session:
        rows = (await session.exec(select(InboundLog).order_by(col(InboundLog.id)))).all()
    assert [r.intent for r in rows] == ["verify", "verify", "track_order", "help"]
    assert {r.channel for r in rows} == {"test"}


async def test_a_repeated_delivery_is_answered_once(
    conversation: Conversation, db: Database
) -> None:
    first = Inbound("test", "8", text="hi", delivery_key="update-1")
    assert [r.intent for r in await conversation.handle(first)] == ["greeting"]
    assert await conversation.handle(first) == []  # the platform sent it again
    again = Inbound("test", "8", text="hi", delivery_key="update-2")
    assert [r.intent for r in await conversation.handle(again)] == ["greeting"]
    async with db.session() as session:
        rows = (await session.exec(select(InboundLog))).all()
    assert len(rows) == 2  # the repeat left no trace


async def test_a_delivery_that_failed_is_answered_when_it_comes_again(
    conversation: Conversation, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.conversation import service as conversation_module

    real = conversation_module.chat_identity

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk I/O error")

    monkeypatch.setattr(conversation_module, "chat_identity", broken)
    inbound = Inbound("test", "9", text="hi", delivery_key="update-7")
    with pytest.raises(OSError):
        await conversation.handle(inbound)
    monkeypatch.setattr(conversation_module, "chat_identity", real)
    assert [r.intent for r in await conversation.handle(inbound)] == ["greeting"]


async def test_last_seen_is_written_at_most_every_five_minutes(
    conversation: Conversation, db: Database, clock: ManualClock
) -> None:
    async def last_seen() -> object:
        async with db.session() as session:
            return (await session.exec(select(ChannelIdentity))).one().last_seen_at

    first = clock.now()
    await conversation.handle(Inbound("test", "10", text="hi"))
    assert await last_seen() == first
    clock.advance(minutes=4)
    await conversation.handle(Inbound("test", "10", text="hi"))
    assert await last_seen() == first
    clock.advance(minutes=1)
    await conversation.handle(Inbound("test", "10", text="hi", display_name="Ann"))
    assert await last_seen() == clock.now()
    async with db.session() as session:
        assert (await session.exec(select(ChannelIdentity))).one().display_name == "Ann"


async def test_the_identity_keeps_the_latest_name_and_the_language_it_writes_in(
    conversation: Conversation, db: Database
) -> None:
    await conversation.handle(Inbound("test", "7", text="hi", locale="en", display_name="Al"))
    await conversation.handle(Inbound("test", "7", text="hi", locale="en-GB", display_name="Alan"))
    async with db.session() as session:
        identity = (await session.exec(select(ChannelIdentity))).one()
    assert (identity.display_name, identity.locale) == ("Alan", "en")
    await conversation.handle(Inbound("test", "7", text="Hallo, wo ist mein Paket?", locale="en"))
    async with db.session() as session:
        assert (await session.exec(select(ChannelIdentity))).one().locale == "de"


async def test_follow_without_a_number_asks_which_order(jane: Bot) -> None:
    replies = await jane.say("keep me posted")
    assert replies.intents == ["follow"]
    assert "Which order should I keep you posted about?" in replies.text
    assert replies.actions() == [("follow", "1004"), ("follow", "1001"), ("follow", "1002")]


async def test_a_cancelled_order_says_so_without_an_eta(
    jane: Bot, db: Database, shop: dict[str, int]
) -> None:
    from core.storage.models import Order

    async with db.transaction() as session:
        order = await session.get(Order, shop["1004"])
        assert order is not None
        order.status = "cancelled"
    replies = await jane.press("track", "1004")
    assert "Status: Cancelled" in replies.text
    assert "This order was cancelled." in replies.text
    assert "Expected" not in replies.text
    assert [a for a, _ in replies.actions()] == ["refresh", "human"]


async def test_two_first_messages_at_once_make_one_identity(
    conversation: Conversation, db: Database
) -> None:
    import asyncio

    first, second = await asyncio.gather(
        conversation.handle(Inbound("test", "new", text="hi")),
        conversation.handle(Inbound("test", "new", text="where is 1001")),
    )
    assert [r.intent for r in first] == ["greeting"]
    assert [r.intent for r in second] == ["verify"]
    async with db.session() as session:
        assert len((await session.exec(select(ChannelIdentity))).all()) == 1


async def test_one_link_tapped_in_two_chats_at_once_verifies_one(
    conversation: Conversation, db: Database, clock: ManualClock, config: CoreConfig
) -> None:
    import asyncio

    async with db.transaction() as session:
        token = await create_link_token(session, clock, config, "1001")
    results = await asyncio.gather(
        *(
            conversation.handle(Inbound("test", f"tap-{n}", text=f"/start {token}"))
            for n in range(4)
        )
    )
    opened = [
        replies for replies in results if [r.intent for r in replies] == ["link", "track_order"]
    ]
    assert len(opened) == 1
    async with db.session() as session:
        verified = (
            await session.exec(
                select(ChannelIdentity).where(col(ChannelIdentity.verified_at).is_not(None))
            )
        ).all()
    assert len(verified) == 1


async def test_two_orders_in_one_question_get_two_answers(jane: Bot) -> None:
    replies = await jane.say("where are 1001 and 1003?")
    assert [(r.intent, r.order_number) for r in replies] == [
        ("track_order", "1001"),
        ("track_order", "1003"),
    ]


async def test_a_shop_that_has_not_set_its_name_still_speaks_in_whole_sentences(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    from core.conversation.flow_context import ContactShopFlow

    config = CoreConfig(secret_key="s")  # WISMO_SHOP_NAME left at its default
    flows = {"return": ContactShopFlow("return"), "human": ContactShopFlow("human")}
    bot = Bot(Conversation(db, clock, config, flows=flows))
    hello = await bot.say("hi")
    assert hello.text.startswith("Hi Jane! I'm the order assistant for the shop. I can tell")
    human = await bot.say("can I talk to a person")
    assert human.text.startswith(
        "To talk to a person, contact the shop using the contact details in your order "
        "confirmation e-mail"
    )
    ret = await bot.press("return", "1001")
    assert "please contact the shop using the contact details" in ret.text
    for reply in [*hello, *human, *ret]:
        for section in reply.sections:
            assert "Our shop" not in section.text and "the the " not in section.text
