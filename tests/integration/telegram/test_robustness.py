"""Updates a bot meets in the wild: duplicates, groups, channels, edits, stickers, photos, huge
or empty messages, tampered buttons, Telegram refusing to deliver, and our own failures.
None of them may stop the bot; each gets a sensible reply or is ignored."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import func, select

from adapters.telegram.callbacks import CallbackCodec
from core.replies.reply import Inbound, Reply
from core.storage.db import Database
from core.storage.models import InboundLog, ProcessedUpdate
from tests.integration.telegram.botapi import BotApiServer
from tests.integration.telegram.conftest import SECRET, Harness
from tests.integration.telegram.shop import Shop
from tests.integration.telegram.test_conversation import shown, verified

STICKER = {
    "sticker": {
        "file_id": "CAACAgIAAxkBAAE",
        "file_unique_id": "AgADuQADVp29Cg",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
}
PHOTO = [{"file_id": "AgACAgQAAxkBAAM", "file_unique_id": "AQADw", "width": 90, "height": 60}]


async def count(db: Database, model: Any) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def test_duplicate_update_is_handled_once(telegram: Harness, db: Database) -> None:
    botapi = telegram.botapi
    update = botapi.message_update(201, "/help")
    botapi.push_update(update)
    botapi.push_update(dict(update))  # the same update_id again, as after a restart
    # One chat is processed in order: once the next message is answered, both are done.
    await telegram.chat(201).say("thanks")
    texts = [shown(m.text) for m in botapi.sent_to(201)]
    assert sum("Here's what I can do" in t for t in texts) == 1
    assert len(texts) == 2
    assert await count(db, InboundLog) == 2


async def test_group_command_points_to_a_private_chat(telegram: Harness) -> None:
    botapi = telegram.botapi
    updates = [
        botapi.message_update(-100500, "/track 1001", chat_type="supergroup"),
        botapi.message_update(-100500, "where is my order 1001", chat_type="supergroup"),
        botapi.message_update(-100500, "/start@some_other_bot", chat_type="supergroup"),
    ]
    for update in updates:
        botapi.push_update(update)
    for update in updates:
        await telegram.processed(update["update_id"])
    [notice] = botapi.sent_to(-100500)  # one answer: to the command meant for us
    assert "private chat" in notice.text
    [button] = notice.buttons
    assert button["url"] == "https://t.me/wismo_test_bot"
    assert "1001" not in notice.text


@pytest.mark.parametrize("kind", ["channel_post", "edited_message"])
async def test_channel_posts_and_edits_are_ignored(
    telegram: Harness, db: Database, kind: str
) -> None:
    botapi = telegram.botapi
    chat_type = "channel" if kind == "channel_post" else "private"
    ignored = botapi.message_update(203, "where is my order 1001", chat_type=chat_type, kind=kind)
    await telegram.deliver(ignored, 203)
    assert botapi.sent_to(203) == []
    assert await count(db, InboundLog) == 0
    [answer] = await telegram.chat(203).say("/help")  # and the bot carries on
    assert "Here's what I can do" in shown(answer.text)


async def test_wordless_messages_get_a_gentle_reply(telegram: Harness) -> None:
    [reply] = await telegram.chat(204).say(None, **STICKER)
    assert "didn't quite get that" in shown(reply.text)


async def test_a_photo_without_a_report_says_how_to_report_first(telegram: Harness) -> None:
    [reply] = await telegram.chat(204).say(None, photo=PHOTO)
    assert "To add it to a report, tell me what's wrong first" in shown(reply.text)


async def test_photo_caption_is_read_as_the_message(telegram: Harness) -> None:
    [reply] = await telegram.chat(205).say(None, photo=PHOTO, caption="help")
    assert "Here's what I can do" in shown(reply.text)


async def test_empty_and_huge_messages(telegram: Harness) -> None:
    shopper = telegram.chat(206)
    [empty] = await shopper.say("")
    assert "didn't quite get that" in shown(empty.text)
    replies = await shopper.say("where is my order " * 600)  # about 10,000 characters
    assert replies and all(len(m.text) <= 4096 for m in replies)


async def test_tampered_button_is_refused(telegram: Harness, shop: Shop) -> None:
    ada, card = await verified(telegram, 207, shop)
    data = card.button("Refresh")["callback_data"]
    forged = data.replace("1001", "2001")  # Bob's order, signature left as it was
    before = len(telegram.botapi.sent_to(207))
    assert await ada.press_data(card, forged) == []
    assert len(telegram.botapi.sent_to(207)) == before
    answer = telegram.botapi.callback_answers[-1]
    assert answer["show_alert"] is True
    assert "no longer works" in answer["text"]


async def test_button_from_another_chat_is_refused(telegram: Harness, shop: Shop) -> None:
    _, card = await verified(telegram, 208, shop)
    mallory = telegram.chat(209, first_name="Mallory")
    # Mallory copies Ada's callback data byte for byte: signed for Ada's chat only.
    assert await mallory.press_data(card, card.button("Refresh")["callback_data"]) == []
    assert telegram.botapi.sent_to(209) == []


async def test_correctly_signed_button_for_someone_elses_order_shows_nothing(
    telegram: Harness, shop: Shop
) -> None:
    ada, card = await verified(telegram, 210, shop)
    # Even a genuinely signed press cannot open Bob's order: the conversation checks ownership.
    data = CallbackCodec(SECRET).encode("210", "track", shop.bob_order)
    replies = await ada.press_data(card, data)
    text = "\n".join(shown(m.text) for m in replies)
    assert "Hammer" not in text and "JD2001" not in text


async def test_429_on_an_answer_is_waited_out(telegram: Harness) -> None:
    botapi = telegram.botapi
    botapi.fail("sendMessage", 429, retry_after=1, chat_id=211)
    [answer] = await telegram.chat(211).say("/help")
    assert "Here's what I can do" in shown(answer.text)
    refused, accepted = [c for c in botapi.calls_of("sendMessage") if c.params["chat_id"] == 211]
    assert accepted.at - refused.at >= 0.95


@pytest.mark.parametrize("status", [403, 500, 400])
async def test_undeliverable_answer_does_not_stop_the_bot(telegram: Harness, status: int) -> None:
    botapi = telegram.botapi
    botapi.fail("sendMessage", status, chat_id=212)
    assert await telegram.chat(212).say("/help") == []
    [answer] = await telegram.chat(212).say("/help")
    assert "Here's what I can do" in shown(answer.text)


class ExplodingConversation:
    """A conversation that fails on "boom" and otherwise answers "ok"."""

    async def handle(self, inbound: Inbound) -> list[Reply]:
        if inbound.text == "boom":
            raise RuntimeError("database on fire")
        return [Reply.text("ok")]


async def test_a_failure_on_our_side_apologises_and_carries_on(
    botapi: BotApiServer, db: Database, clock, caplog
) -> None:
    from adapters.telegram import TelegramChannel
    from tests.integration.telegram.conftest import channel_config

    channel = TelegramChannel(channel_config(botapi), ExplodingConversation(), db, clock)
    harness = Harness(botapi, channel)
    await channel.start()
    try:
        [apology] = await harness.chat(213).say("boom")
        assert "something went wrong on our side" in apology.text
        assert "database on fire" in caplog.text  # logged for us, not shown to the shopper
        assert "database on fire" not in apology.text
        [fine] = await harness.chat(213).say("hello")
        assert fine.text == "ok"
    finally:
        await channel.stop()


async def test_updates_are_remembered_as_processed(telegram: Harness, db: Database) -> None:
    await telegram.chat(214).say("/help")
    assert await count(db, ProcessedUpdate) == 1


async def test_when_the_duplicate_check_fails_nothing_is_answered_twice(
    botapi: BotApiServer, db: Database, clock, monkeypatch
) -> None:
    from adapters.telegram import TelegramChannel
    from core.conversation import service as conversation_module
    from core.conversation.service import Conversation
    from core.runtime.config import CoreConfig
    from tests.integration.telegram.conftest import channel_config

    async def broken(*args: object, **kwargs: object) -> bool:
        raise OSError("disk I/O error")

    monkeypatch.setattr(conversation_module, "first_delivery", broken)
    conversation = Conversation(db, clock, CoreConfig(secret_key=SECRET))
    channel = TelegramChannel(channel_config(botapi), conversation, db, clock)
    await channel.start()
    try:
        botapi.push_update(botapi.message_update(215, "where is my order 1001"))
        botapi.push_update(botapi.message_update(215, "hello?"))
        # One chat's updates are handled in order: two answers mean both are done.
        await botapi.wait_for(lambda: len(botapi.sent_to(215)) >= 2)
        apologies = botapi.sent_to(215)
        assert len(apologies) == 2  # one per message, not one plus an answer
        assert all("something went wrong on our side" in m.text for m in apologies)
        assert await count(db, InboundLog) == 0
    finally:
        await channel.stop()


async def test_an_update_that_failed_half_way_is_answered_when_telegram_sends_it_again(
    telegram: Harness, db: Database, monkeypatch
) -> None:
    from core.conversation import service as conversation_module

    real = conversation_module.chat_identity
    failures = [OSError("disk I/O error")]

    async def fails_once(*args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return await real(*args, **kwargs)

    monkeypatch.setattr(conversation_module, "chat_identity", fails_once)
    botapi = telegram.botapi
    update = botapi.message_update(217, "/help")
    botapi.push_update(update)
    await telegram.processed(update["update_id"])
    [apology] = botapi.sent_to(217)
    assert "something went wrong on our side" in apology.text
    # The failed attempt's duplicate mark was rolled back with it: the retry is answered.
    botapi.push_update(dict(update))
    await botapi.wait_for(lambda: len(botapi.sent_to(217)) >= 2)
    texts = [shown(m.text) for m in botapi.sent_to(217)]
    assert len(texts) == 2
    assert "Here's what I can do" in texts[1]
    assert await count(db, ProcessedUpdate) == 1


async def test_a_button_still_works_when_its_query_is_too_old_to_answer(
    telegram: Harness,
) -> None:
    shopper = telegram.chat(216)
    [confused] = await shopper.say("blorp")
    telegram.botapi.fail(
        "answerCallbackQuery", 400, "Bad Request: query is too old and response timeout expired"
    )
    [helped] = await shopper.press(confused, "Help")
    assert "Here's what I can do" in shown(helped.text)
