"""A return's state and its staff-step pushes reach the shopper in their chat's language:
the state label (not its code) when it is too late to withdraw, and the push after a
staff step in the requesting chat's catalogue, English where it has no wording."""

from __future__ import annotations

import pytest

from core.replies import messages
from core.replies.reply import Reply
from core.returns import requests as returns
from core.storage.models import ChannelIdentity
from tests.unit.returns.conftest import Shop
from tests.unit.returns.test_return_flow import Chat, _requests, shown

GERMAN = {
    "return_state.approved": "Genehmigt — wir warten auf das Paket",
    "return_notice.approved.title": "Rücksendung genehmigt — Bestellung {number}",
}


@pytest.fixture
def german(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(messages.CATALOGUES, "de", GERMAN)


async def _approved_return(shop: Shop, locale: str | None) -> Chat:
    ada = await shop.customer()
    identity = await shop.chat(ada)
    async with shop.db.transaction() as session:
        row = await session.get(ChannelIdentity, identity.id)
        assert row is not None
        row.locale = locale
        session.add(row)
    chat = Chat(shop, identity)
    _order, (shirt, *_rest) = await shop.order(ada, number="9001")
    await chat.press("return", "9001")
    await chat.press("ret_item", str(shirt.id))
    await chat.press("ret_next")
    await chat.press("ret_reason", "wrong_item")
    await chat.press("ret_skip")
    await chat.press("ret_confirm")
    [request] = await _requests(shop)
    assert request.id is not None
    async with shop.db.transaction() as session:
        await returns.approve(session, shop.clock, shop.config, request.id, actor="slack:U1")
    return chat


async def test_too_late_to_withdraw_names_the_state_in_the_shoppers_words(
    shop: Shop, german: None
) -> None:
    chat = await _approved_return(shop, "de")
    [request] = await _requests(shop)
    screen = await chat.press("ret_withdraw", str(request.id))
    assert shown(screen) == (
        "That return request can't be withdrawn here any more (status: Genehmigt — wir warten "
        'auf das Paket). Tap "Talk to a person" if you need to change it.'
    )
    [push] = [Reply.from_dict(n.reply) for n in await shop.outbox() if n.kind == "return_approved"]
    assert push.sections[0].title == "Rücksendung genehmigt — Bestellung 9001"
    assert push.sections[0].text is not None
    assert push.sections[0].text.startswith("Good news: your return is approved.")


async def test_in_english_the_state_is_its_english_label(shop: Shop) -> None:
    chat = await _approved_return(shop, None)
    [request] = await _requests(shop)
    screen = await chat.press("ret_withdraw", str(request.id))
    assert "(status: Approved — waiting for the parcel)." in shown(screen)
    assert "approved," not in shown(screen)
