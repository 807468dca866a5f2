"""The return conversation, step by step, as the shopper sees it (flow module called directly)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import select

from core.conversation.flows import returns as flow
from core.replies.reply import Reply
from core.storage.models import ChannelIdentity, ConversationState, ReturnItem, ReturnRequest
from tests.unit.returns.conftest import Shop


def shown(replies: list[Reply]) -> str:
    """Everything the shopper reads, as one string."""
    parts: list[str] = []
    for reply in replies:
        for section in reply.sections:
            parts += [section.title or "", section.text or ""]
            parts += [f"{f.label}: {f.value}" for f in section.fields]
    return "\n".join(p for p in parts if p)


def buttons(replies: list[Reply]) -> dict[str, tuple[str, str]]:
    """Button label -> (action, payload) of the last reply."""
    return {b.label: (b.action, b.payload) for b in replies[-1].buttons}


@dataclass
class Chat:
    shop: Shop
    identity: ChannelIdentity

    async def press(self, action: str, payload: str = "") -> list[Reply]:
        async with self.shop.db.transaction() as session:
            identity = await session.get(ChannelIdentity, self.identity.id)
            return await flow.on_action(
                session, self.shop.clock, self.shop.config, identity, action, payload
            )

    async def tap(self, replies: list[Reply], label: str) -> list[Reply]:
        action, payload = buttons(replies)[label]
        return await self.press(action, payload)

    async def say(self, text: str) -> list[Reply] | None:
        async with self.shop.db.transaction() as session:
            identity = await session.get(ChannelIdentity, self.identity.id)
            return await flow.on_text(session, self.shop.clock, self.shop.config, identity, text)

    async def step(self) -> str | None:
        async with self.shop.db.session() as session:
            state = await session.get(ConversationState, self.identity.id)
            return f"{state.flow}:{state.step}" if state else None


async def _requests(shop: Shop) -> list[ReturnRequest]:
    async with shop.db.session() as session:
        return list((await session.exec(select(ReturnRequest))).all())


async def test_a_whole_return_from_button_to_request(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    order, (shirt, socks, _hat) = await shop.order(ada, number="1001")

    screen = await chat.press("return", "")
    text = shown(screen)
    assert "Which items would you like to send back?" in text
    assert "Sale hat was sold as final sale, so it can't be returned." in text
    assert "until Mon 30 Nov" in text  # delivered 31 Oct + 30 days
    assert set(buttons(screen)) == {"Blue shirt", "Socks", "Continue", "Cancel"}

    screen = await chat.tap(screen, "Socks")
    assert {"✓ Socks", "✓ 1 × Socks", "2 × Socks", "3 × Socks"} <= set(buttons(screen))
    screen = await chat.tap(screen, "2 × Socks")
    assert "✓ 2 × Socks" in buttons(screen)
    screen = await chat.tap(screen, "Blue shirt")
    screen = await chat.tap(screen, "Continue")
    assert "Why are you sending them back?" in shown(screen)
    screen = await chat.tap(screen, "Too small")
    assert "Anything you'd like to add?" in shown(screen)
    assert await chat.step() == "return:comment"

    screen = await chat.say("The socks run small")
    summary = shown(screen)
    assert "Order: 1001" in summary
    assert "Items: Blue shirt\n2 × Socks" in summary
    assert "Reason: Too small" in summary
    assert "Comment: The socks run small" in summary
    screen = await chat.tap(screen, "Send request")

    assert "Your return request for order 1001 is in." in shown(screen)
    [request] = await _requests(shop)
    assert (request.order_id, request.reason, request.comment) == (
        order.id,
        "too_small",
        "The socks run small",
    )
    async with shop.db.session() as session:
        items = (await session.exec(select(ReturnItem))).all()
    assert {(i.order_item_id, i.qty) for i in items} == {(shirt.id, 1), (socks.id, 2)}
    assert await chat.step() is None
    assert buttons(screen)["Withdraw request"] == ("ret_withdraw", str(request.id))


async def test_several_orders_are_offered_and_only_delivered_ones(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    await shop.order(ada, number="2001")
    await shop.order(ada, number="2002")
    await shop.order(ada, number="2003", delivered_days_ago=None)
    screen = await chat.press("return")
    assert "Which order would you like to return something from?" in shown(screen)
    assert set(buttons(screen)) == {"Order 2001", "Order 2002", "Cancel"}
    screen = await chat.tap(screen, "Order 2002")
    assert "Return from order 2002" in shown(screen)


async def test_outside_the_window_is_explained_before_anything_is_chosen(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    await shop.order(ada, number="3001", delivered_days_ago=45)
    screen = await chat.press("return", "3001")
    assert shown(screen) == (
        "Order 3001 was delivered on Fri 18 Sep. Returns are accepted for 30 days after "
        "delivery, so the return window closed on Sun 18 Oct. If something is wrong with an "
        'item, tap "Talk to a person".'
    )
    assert buttons(screen) == {"Talk to a person": ("human", "3001")}
    assert await chat.step() is None


async def test_an_order_of_only_final_sale_items_is_explained(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    await shop.order(ada, [("Clearance coat", 1, False)], number="4001")
    screen = await chat.press("return", "4001")
    assert shown(screen) == (
        "Nothing in order 4001 can be returned:\n"
        "Clearance coat was sold as final sale, so it can't be returned."
    )


async def test_an_undelivered_order_is_explained(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    await shop.order(ada, number="5001", delivered_days_ago=None)
    screen = await chat.press("return", "")
    assert "Order 5001 hasn't been delivered yet, so it can't be returned." in shown(screen)


async def test_someone_elses_order_is_not_even_acknowledged(shop: Shop) -> None:
    ada, bob = await shop.customer(), await shop.customer("Bob")
    await shop.order(bob, number="6001")
    chat = Chat(shop, await shop.chat(ada))
    screen = await chat.press("return", "6001")
    assert shown(screen) == "I can't find order 6001 among your orders."
    screen = await chat.press("ret_order", "6001")
    assert shown(screen) == "I can't find order 6001 among your orders."


async def test_an_unverified_chat_is_asked_to_prove_the_order_first(shop: Shop) -> None:
    chat = Chat(shop, await shop.chat(None))
    screen = await chat.press("return", "1001")
    assert "send me your order number" in shown(screen)
    assert await chat.step() is None


@pytest.mark.parametrize(
    ("action", "payload"),
    [("ret_item", "999999"), ("ret_item", "x"), ("ret_qty", "1:9"), ("ret_qty", "1:0")],
)
async def test_forged_item_payloads_are_refused(shop: Shop, action: str, payload: str) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    await shop.order(ada, number="7001")
    _other, (foreign, *_rest) = await shop.order(await shop.customer("Eve"), number="7002")
    await chat.press("return", "7001")
    payload = payload.replace("999999", str(foreign.id))
    screen = await chat.press(action, payload)
    assert "That item isn't part of order 7001. Please choose from the buttons." in shown(screen)
    screen = await chat.press("ret_next")
    assert "Please select at least one item first." in shown(screen)
    assert await _requests(shop) == []


async def test_a_final_sale_item_forged_into_the_choice_is_explained(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    _order, (_shirt, _socks, hat) = await shop.order(ada, number="7101")
    await chat.press("return", "7101")
    screen = await chat.press("ret_item", str(hat.id))
    assert "Sale hat was sold as final sale" in shown(screen)
    assert "✓ Sale hat" not in buttons(screen)


async def test_buttons_without_a_return_in_progress_are_stale(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    for action in ("ret_item", "ret_reason", "ret_confirm", "ret_next", "ret_cancel"):
        screen = await chat.press(action, "1")
        assert "That button belongs to a return that is already sent or stopped." in shown(screen)
    assert await _requests(shop) == []


async def test_confirm_is_refused_until_the_confirm_step(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    _order, (shirt, *_rest) = await shop.order(ada, number="7201")
    await chat.press("return", "7201")
    await chat.press("ret_item", str(shirt.id))
    screen = await chat.press("ret_confirm")
    assert "already sent or stopped" in shown(screen)
    assert await _requests(shop) == []


async def test_cancel_by_button_or_word_stops_without_sending(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    _order, (shirt, *_rest) = await shop.order(ada, number="8001")
    screen = await chat.press("return", "8001")
    screen = await chat.tap(screen, "Cancel")
    assert shown(screen) == "OK, I've stopped the return. Nothing was sent."
    await chat.press("return", "8001")
    await chat.press("ret_item", str(shirt.id))
    assert shown(await chat.say("cancel")) == "OK, I've stopped the return. Nothing was sent."
    assert await chat.step() is None
    assert await _requests(shop) == []


async def test_other_words_mid_flow_are_left_to_the_conversation(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    await shop.order(ada, number="8101")
    await chat.press("return", "8101")
    assert await chat.say("where is my order 8101") is None
    assert await chat.step() == "return:items"


async def test_a_too_long_comment_is_asked_again(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    _order, (shirt, *_rest) = await shop.order(ada, number="8201")
    await chat.press("return", "8201")
    await chat.press("ret_item", str(shirt.id))
    await chat.press("ret_next")
    await chat.press("ret_reason", "defective")
    screen = await chat.say("x" * 1001)
    assert "please keep it under 1000 characters" in shown(screen)
    screen = await chat.press("ret_skip")
    assert "Reason: Defective or damaged" in shown(screen)


async def test_the_window_closing_mid_flow_is_explained_at_confirm(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    _order, (shirt, *_rest) = await shop.order(ada, number="8301", delivered_days_ago=29.9)
    await chat.press("return", "8301")
    await chat.press("ret_item", str(shirt.id))
    await chat.press("ret_next")
    await chat.press("ret_reason", "changed_mind")
    await chat.press("ret_skip")
    shop.clock.advance(hours=12)
    screen = await chat.press("ret_confirm")
    assert "the return window closed on" in shown(screen)
    assert await _requests(shop) == []


async def test_the_shopper_withdraws_before_a_decision(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    _order, (shirt, *_rest) = await shop.order(ada, number="9001")
    await chat.press("return", "9001")
    await chat.press("ret_item", str(shirt.id))
    await chat.press("ret_next")
    await chat.press("ret_reason", "wrong_item")
    await chat.press("ret_skip")
    sent = await chat.press("ret_confirm")
    screen = await chat.tap(sent, "Withdraw request")
    assert shown(screen) == "Your return request for order 9001 is withdrawn."
    [request] = await _requests(shop)
    assert request.state == "cancelled"
    # Someone else's chat pressing a forged withdraw is treated as a stale button.
    eve = Chat(shop, await shop.chat(await shop.customer("Eve")))
    assert "already sent or stopped" in shown(await eve.press("ret_withdraw", str(request.id)))


async def test_many_of_one_item_keep_the_keyboard_small(shop: Shop) -> None:
    ada = await shop.customer()
    chat = Chat(shop, await shop.chat(ada))
    _order, (pens,) = await shop.order(ada, [("Pen", 40, True)], number="9101")
    await chat.press("return", "9101")
    screen = await chat.press("ret_item", str(pens.id))
    quantities = [b.payload for b in screen[-1].buttons if b.action == "ret_qty"]
    assert quantities == [f"{pens.id}:{n}" for n in (1, 2, 3, 4, 5, 40)]
    await chat.press("ret_qty", f"{pens.id}:17")  # not offered, but any quantity up to 40 is
    await chat.press("ret_next")
    await chat.press("ret_reason", "changed_mind")
    summary = await chat.press("ret_skip")
    assert "Items: 17 × Pen" in shown(summary)
