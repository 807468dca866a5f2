"""A whole return on Telegram, through python-telegram-bot and the stand-in Bot API server."""

from __future__ import annotations

from sqlmodel import select

from core.conversation.identity import create_link_token
from core.storage.db import Database
from core.storage.models import ReturnItem, ReturnRequest
from tests.integration.telegram.conftest import Harness, core_config
from tests.integration.telegram.shop import Shop
from tests.integration.telegram.test_conversation import shown


async def test_a_shopper_returns_an_item_on_telegram(
    telegram: Harness, db: Database, clock, shop: Shop
) -> None:
    async with db.transaction() as session:
        token = await create_link_token(session, clock, core_config(), shop.ada_order)
    ada = telegram.chat(301)
    await ada.say(f"/start {token}")

    # 1001 is still on its way, so the delivered order 1002 is the only one offered.
    [picker] = await ada.say("I'd like to return something")
    assert "Which items would you like to send back?" in shown(picker.text)
    assert "Return from order 1002" in shown(picker.text)
    [picker] = await ada.press(picker, "Wool socks")
    assert any(b["text"].startswith("✓") for b in picker.buttons)
    [reasons] = await ada.press(picker, "Continue")
    assert "Why are you sending it back?" in shown(reasons.text)
    [comment] = await ada.press(reasons, "Too large")
    assert "Anything you'd like to add?" in shown(comment.text)
    [summary] = await ada.say("One size up would fit <better> & warmer")
    text = shown(summary.text)
    assert "One size up would fit <better> & warmer" in text  # escaped, shown as written
    assert "Too large" in text
    [done] = await ada.press(summary, "Send request")
    assert "Your return request for order 1002 is in." in shown(done.text)
    assert done.button("Withdraw request")

    async with db.session() as session:
        request = (await session.exec(select(ReturnRequest))).one()
        item = (await session.exec(select(ReturnItem))).one()
    assert (request.state, request.reason, item.qty) == ("requested", "too_large", 1)


async def test_a_closed_window_is_explained_on_telegram(
    telegram: Harness, db: Database, clock, shop: Shop
) -> None:
    async with db.transaction() as session:
        token = await create_link_token(session, clock, core_config(), shop.ada_order)
    ada = telegram.chat(302)
    await ada.say(f"/start {token}")
    clock.advance(days=20)  # 1002 was delivered 35 days ago now
    [answer] = await ada.say("return 1002")
    assert "the return window closed on" in shown(answer.text)
    assert answer.button("Talk to a person")
