"""The same conversation on PostgreSQL, the deployment database (skipped without a server)."""

from __future__ import annotations

import asyncio

from core.conversation.identity import create_link_token
from core.conversation.service import Conversation
from core.replies.reply import Inbound
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from tests.unit.conversation.conftest import Bot
from tests.unit.conversation.shop import build_shop


async def test_verify_track_follow_and_lockout_on_postgres(
    pg_db: Database, clock: ManualClock, config: CoreConfig
) -> None:
    await build_shop(pg_db, clock)
    bot = Bot(Conversation(pg_db, clock, config))
    await bot.say("where is my order 1002")
    replies = await bot.say("jane@example.com")
    assert [(r.intent, r.order_number) for r in replies] == [
        ("verify", "1002"),
        ("track_order", "1002"),
    ]
    assert "Parcel 2 of 2 · DPD" in replies.text
    assert ("unfollow", "1002") in replies.actions()  # verified chats follow their open orders
    assert (await bot.say("stop updates for 1002")).intents == ["unfollow"]
    assert ("follow", "1002") in (await bot.press("refresh", "1002")).actions()
    assert "1003 · Delivered" in (await bot.say("my orders")).text

    guesser = bot.chat("guesser")
    for _ in range(5):
        await guesser.say("2001")
        assert "couldn't match" in (await guesser.say("nope@example.com")).text
    assert "Too many attempts" in (await guesser.say("2001 SW1A 1AA")).text

    async with pg_db.transaction() as session:
        token = await create_link_token(session, clock, config, "2001")
    linked = await bot.chat("bob").say(f"/start {token}")
    assert [r.intent for r in linked] == ["link", "track_order"]
    assert "Status: Delayed" in linked.text


async def test_one_link_raced_by_chats_on_postgres_verifies_one(
    pg_db: Database, clock: ManualClock, config: CoreConfig
) -> None:
    import asyncio

    await build_shop(pg_db, clock)
    conversation = Conversation(pg_db, clock, config)
    async with pg_db.transaction() as session:
        token = await create_link_token(session, clock, config, "1001")
    results = await asyncio.gather(
        *(Bot(conversation, f"tap-{n}").say(f"/start {token}") for n in range(5))
    )
    assert sorted(r.intents for r in results).count(["link", "track_order"]) == 1
    assert sum("already been used" in r.text for r in results) == 4


async def test_a_repeated_delivery_is_answered_once_on_postgres(
    pg_db: Database, clock: ManualClock, config: CoreConfig
) -> None:
    conversation = Conversation(pg_db, clock, config)
    hello = Inbound("test", "41", text="hi", delivery_key="update-1")
    answers = await asyncio.gather(*(conversation.handle(hello) for _ in range(3)))
    assert sorted(len(a) for a in answers) == [0, 0, 1]  # at once, too: exactly one answer
    assert await conversation.handle(hello) == []
    assert len(await conversation.handle(Inbound("test", "41", text="hi", delivery_key="2"))) == 1


async def test_a_problem_report_its_words_and_its_repeat_on_postgres(
    pg_db: Database, clock: ManualClock, config: CoreConfig
) -> None:
    from sqlmodel import select

    from core.storage.models import Flag

    await build_shop(pg_db, clock)
    bot = Bot(Conversation(pg_db, clock, config))
    await bot.say("1002 jane@example.com")
    assert (await bot.say("order 1002 arrived but the bulbs are missing")).intents == [
        "missing_item"
    ]
    assert "added that to your report" in (await bot.say("only one bulb was in the box")).text
    assert "urgent" in (await bot.say("1002 is missing an item!")).text
    async with pg_db.session() as session:
        [flag] = (await session.exec(select(Flag))).all()
    assert (flag.kind, flag.escalations) == ("missing_item", 1)
    assert flag.evidence is not None
    assert flag.evidence["details"] == ["only one bulb was in the box"]
    assert len(flag.evidence["reports"]) == 2
