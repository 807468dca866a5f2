"""Which language the conversation answers in: the message's, the chat's, the app's, the shop's
default — and never a switch on a number, a word of data or the middle of a step."""

from __future__ import annotations

from sqlmodel import select

from core.conversation.service import Conversation
from core.replies.reply import Inbound
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import ChannelIdentity
from tests.unit.conversation.shop import Replies


async def _say(conversation: Conversation, text: str, locale: str | None = None) -> Replies:
    return Replies(await conversation.handle(Inbound("test", "77", text=text, locale=locale)))


async def _stored(db: Database) -> str | None:
    async with db.session() as session:
        return (await session.exec(select(ChannelIdentity))).one().locale


async def test_the_shops_default_language_answers_a_chat_that_says_none(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    conversation = Conversation(db, clock, CoreConfig(secret_key="t", default_language="fr"))
    replies = await _say(conversation, "1001", locale="it-IT")  # no Italian: the default
    assert "l'adresse e-mail ou le code postal" in replies.text
    assert await _stored(db) == "fr"
    assert "c'est bien vous" in (await _say(conversation, "jane@example.com")).text
    replies = await _say(conversation, "where is my order 1001?")  # English says English
    assert "Order 1001" in replies.text and "On its way" in replies.text
    assert await _stored(db) == "en"


async def test_the_apps_language_starts_the_chat_and_a_number_keeps_it(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    conversation = Conversation(db, clock, CoreConfig(secret_key="t"))
    assert "Bestellung 1001" in (await _say(conversation, "1001", locale="de-CH")).text
    assert await _stored(db) == "de"
    # A postcode in the middle of verification is data, and the chat stays German.
    replies = await _say(conversation, "SW1A 1AA", locale="en-GB")
    assert "Leider konnte ich diese Bestellnummer nicht" in replies.text
    assert await _stored(db) == "de"


async def test_a_button_press_keeps_the_chats_language(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    conversation = Conversation(db, clock, CoreConfig(secret_key="t"))
    await _say(conversation, "Hola, ¿me puede ayudar?")
    replies = Replies(
        await conversation.handle(Inbound("test", "77", action="help", locale="en-US"))
    )
    assert "Esto es lo que puedo hacer" in replies.text
    assert replies[0].locale == "es"
