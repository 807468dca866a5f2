"""A `bot` to talk to: `await bot.say("where is my order 1001")` returns the replies."""

from __future__ import annotations

import pytest

from core.conversation.service import Conversation
from core.replies.reply import Inbound
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from tests.unit.conversation.shop import Replies, build_shop


class Bot:
    """One chat (channel + sender id) talking to a conversation."""

    def __init__(
        self, conversation: Conversation, sender_id: str = "chat-1", name: str = "Jane"
    ) -> None:
        self.conversation = conversation
        self.sender_id = sender_id
        self.name = name

    def inbound(self, **kwargs: str) -> Inbound:
        return Inbound(channel="test", sender_id=self.sender_id, display_name=self.name, **kwargs)

    async def say(self, text: str) -> Replies:
        return Replies(await self.conversation.handle(self.inbound(text=text)))

    async def press(self, action: str, payload: str = "") -> Replies:
        return Replies(await self.conversation.handle(self.inbound(action=action, payload=payload)))

    def chat(self, sender_id: str, name: str = "") -> Bot:
        """Another chat on the same conversation."""
        return Bot(self.conversation, sender_id, name)


@pytest.fixture
def config() -> CoreConfig:
    return CoreConfig(secret_key="test-secret", shop_name="Acme")


@pytest.fixture
async def shop(db: Database, clock: ManualClock) -> dict[str, int]:
    """Ids of the hand-built shop (see shop.build_shop)."""
    return await build_shop(db, clock)


@pytest.fixture
def conversation(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> Conversation:
    return Conversation(db, clock, config)


@pytest.fixture
def bot(conversation: Conversation) -> Bot:
    """An unverified chat."""
    return Bot(conversation)


@pytest.fixture
async def jane(bot: Bot) -> Bot:
    """Jane's chat, verified with order 1001 and her e-mail address."""
    await bot.say("1001")
    replies = await bot.say("jane@example.com")
    assert replies.intents[0] == "verify" and "that's you" in replies.text
    return bot
