"""A second language for the return flow is a catalogue, nothing more: words it has are
used for a chat in that language, the others fall back to English."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.conversation.service import Conversation
from core.replies import messages
from core.replies.reply import Inbound, Reply
from core.returns.notices import shopper_notice
from core.storage.models import Order, ReturnRequest
from tests.unit.returns.conftest import Shop
from tests.unit.returns.test_return_flow import buttons, shown

GERMAN = {
    "return.pick_order": "Aus welcher Bestellung möchtest du etwas zurückschicken?",
    "return.pick_items": "Welche Artikel möchtest du zurückschicken? Tippe einen Artikel an "
    "und dann auf Weiter. Rücksendungen sind bis {deadline} möglich.",
    "return.button.continue": "Weiter",
    "return.button.cancel": "Abbrechen",
    "return.button.send": "Anfrage senden",
    "return.sent": "Deine Rücksendeanfrage für Bestellung {number} ist da.",
    "return_notice.received": "Dein Paket ist wieder bei uns.",
    "date.weekdays": "Mo Di Mi Do Fr Sa So",
}


@pytest.fixture
def german(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(messages.CATALOGUES, "de", GERMAN)


async def test_a_return_in_a_second_language_falls_back_to_english_per_key(
    shop: Shop, german: None
) -> None:
    ada = await shop.customer()
    await shop.chat(ada, sender_id="4242")
    await shop.order(ada, number="1001")
    await shop.order(ada, number="1002")
    conversation = Conversation(shop.db, shop.clock, shop.config)

    async def tap(replies: list[Reply], label: str) -> list[Reply]:
        action, payload = buttons(replies)[label]
        inbound = Inbound("telegram", "4242", action=action, payload=payload, locale="de-DE")
        return await conversation.handle(inbound)

    screen = await conversation.handle(
        Inbound("telegram", "4242", text="Ich möchte etwas zurückschicken", locale="de-DE")
    )
    assert shown(screen) == GERMAN["return.pick_order"]
    # "return.button.order" has no German wording: English, filled in as usual.
    assert set(buttons(screen)) == {"Order 1001", "Order 1002", "Abbrechen"}

    screen = await tap(screen, "Order 1001")
    text = shown(screen)
    assert "Return from order 1001" in text  # untranslated title
    assert "Rücksendungen sind bis Mo 30 Nov möglich." in text  # German weekday, English month
    assert "Sale hat was sold as final sale, so it can't be returned." in text
    assert set(buttons(screen)) == {"Blue shirt", "Socks", "Weiter", "Abbrechen"}

    screen = await tap(await tap(screen, "Blue shirt"), "Weiter")
    assert "Why are you sending it back?" in shown(screen)
    screen = await tap(await tap(screen, "Too small"), "Skip")
    assert "Reason: Too small" in shown(screen)
    screen = await tap(screen, "Anfrage senden")
    assert shown(screen) == "Deine Rücksendeanfrage für Bestellung 1001 ist da."
    assert set(buttons(screen)) == {"Withdraw request"}
    async with shop.db.session() as session:
        [request] = (await session.exec(select(ReturnRequest))).all()
    assert request.reason == "too_small"


async def test_the_return_notices_take_a_language(shop: Shop, german: None) -> None:
    request = ReturnRequest(state="received")
    order = Order(number="1001")
    german_notice = shopper_notice(shop.config, request, order, [], locale="de")
    assert german_notice.sections[0].text == "Dein Paket ist wieder bei uns."
    assert german_notice.sections[0].title == "Return received — order 1001"
    english = shopper_notice(shop.config, request, order, [])
    assert english.sections[0].text == "Your parcel is back with us. We will refund you shortly."
