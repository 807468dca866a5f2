"""Talking to a person in a second language: the chat's catalogue, English where it has no
wording, for the flow's answers and for the notices pushed when an agent takes over."""

from __future__ import annotations

import pytest

from core.conversation.service import Conversation
from core.handoff import threads as handoff
from core.replies import messages
from core.replies.reply import Inbound
from tests.unit.handoff.test_handoff import TS, Scene
from tests.unit.returns.conftest import Shop
from tests.unit.returns.test_return_flow import shown

GERMAN = {
    "handoff.ask": "Klar — was möchtest du unser Team fragen? Schreib es in eine Nachricht, "
    "ich leite sie weiter{about}.",
    "handoff_notice.taken": "{agent} von {shop} ist jetzt da und antwortet dir in diesem Chat.",
    "button.cancel": "Abbrechen",
}


@pytest.fixture
def german(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(messages.CATALOGUES, "de", GERMAN)


async def test_a_hand_off_in_a_second_language(shop: Shop, german: None) -> None:
    ada = await shop.customer("Ada Lovelace")
    await shop.chat(ada, sender_id="4242")
    await shop.order(ada, number="1001")
    scene = Scene(shop, Conversation(shop.db, shop.clock, shop.config))

    ask = await scene.conversation.handle(
        Inbound("telegram", "4242", action="human", payload="1001", locale="de")
    )
    # The sentence is German; "handoff.about" has no German wording yet, so it is English.
    assert shown(ask) == (
        "Klar — was möchtest du unser Team fragen? Schreib es in eine Nachricht, ich leite "
        "sie weiter together with order 1001."
    )
    assert [b.label for b in ask[-1].buttons] == ["Abbrechen"]

    done = await scene.conversation.handle(
        Inbound("telegram", "4242", text="Das Paket kam beschädigt an", locale="de")
    )
    assert shown(done).startswith("Thanks — I've passed your message to our team.")

    thread = await scene.thread()
    await scene.step(
        handoff.take_over,
        thread.id,
        agent_id="slack:U1",
        agent_name="Jane Agent",
        channel="C_SUPPORT",
        ts=TS,
    )
    assert await scene.to_shopper() == [
        "Jane von Acme ist jetzt da und antwortet dir in diesem Chat."
    ]
    await scene.step(handoff.hand_back, thread.id, actor="slack:U1")
    assert (await scene.to_shopper())[-1].startswith(
        "Jane has handed you back to me, the order assistant."
    )
