"""The return flow through the conversation: words and buttons as an adapter sends them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from core.conversation.service import Conversation
from core.replies.reply import Inbound, Reply
from core.storage.models import ReturnRequest
from tests.unit.returns.conftest import Shop
from tests.unit.returns.test_return_flow import buttons, shown


@dataclass
class Shopper:
    conversation: Conversation
    sender_id: str

    async def say(self, text: str) -> list[Reply]:
        return await self.conversation.handle(Inbound("telegram", self.sender_id, text=text))

    async def tap(self, replies: list[Reply], label: str) -> list[Reply]:
        action, payload = buttons(replies)[label]
        inbound = Inbound("telegram", self.sender_id, action=action, payload=payload)
        return await self.conversation.handle(inbound)


async def _shopper(shop: Shop) -> Shopper:
    ada = await shop.customer()
    await shop.chat(ada, sender_id="4242")
    await shop.order(ada, number="1001")
    await shop.order(ada, number="1002", delivered_days_ago=40)
    return Shopper(Conversation(shop.db, shop.clock, shop.config), "4242")


async def test_return_by_words_through_the_conversation(shop: Shop) -> None:
    shopper = await _shopper(shop)
    screen = await shopper.say("I want to return something")
    assert screen[0].intent == "start_return"
    assert set(buttons(screen)) == {"Order 1001", "Order 1002", "Cancel"}

    late = await shopper.tap(screen, "Order 1002")
    assert "the return window closed on" in shown(late)

    screen = await shopper.say("return 1001")
    screen = await shopper.tap(screen, "Blue shirt")
    screen = await shopper.tap(screen, "Continue")
    screen = await shopper.tap(screen, "Wrong item sent")
    screen = await shopper.say("I ordered the red one")  # the comment, not a new question
    assert "Comment: I ordered the red one" in shown(screen)
    screen = await shopper.tap(screen, "Send request")
    assert "Your return request for order 1001 is in." in shown(screen)

    async with shop.db.session() as session:
        [request] = (await session.exec(select(ReturnRequest))).all()
    assert (request.reason, request.comment) == ("wrong_item", "I ordered the red one")
    staff = [n for n in await shop.outbox() if n.identity_id is None]
    assert [n.kind for n in staff] == ["return_requested"]


async def test_a_question_mid_return_is_answered_and_leaves_the_flow(shop: Shop) -> None:
    shopper = await _shopper(shop)
    await shopper.say("return 1001")
    answer = await shopper.say("where is my order 1001")
    assert answer[0].intent == "track_order"
    stale = await shopper.conversation.handle(
        Inbound("telegram", "4242", action="ret_next", payload="")
    )
    assert "already sent or stopped" in shown(stale)


async def test_an_unverified_chat_is_asked_for_proof_before_a_return(shop: Shop) -> None:
    conversation = Conversation(shop.db, shop.clock, shop.config)
    replies = await conversation.handle(Inbound("telegram", "777", text="return my order"))
    assert "order number" in shown(replies).lower()
    async with shop.db.session() as session:
        assert (await session.exec(select(ReturnRequest))).all() == []
