"""A shopper on Telegram reports a damaged parcel with a photo, and names an order by its parcel."""

from __future__ import annotations

from sqlmodel import select

from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.models import Flag, Order, Shipment
from tests.integration.telegram.conftest import Harness
from tests.integration.telegram.shop import Shop
from tests.integration.telegram.test_conversation import shown

PHOTO = [
    {"file_id": "AgACAgQAAxkBAAM-small", "file_unique_id": "AQADw", "width": 90, "height": 60},
    {"file_id": "AgACAgQAAxkBAAM-large", "file_unique_id": "AQADx", "width": 1280, "height": 960},
]


async def test_damaged_with_a_photo_reaches_the_flag_as_a_reference(
    telegram: Harness, db: Database, shop: Shop
) -> None:
    ada = telegram.chat(301)
    await ada.say("1002 ada@example.com")
    [report] = await ada.say("the socks in 1002 arrived torn")
    seen = shown(report.text)
    assert "I'm sorry order 1002 arrived damaged." in seen
    assert "Items in order 1002: Wool socks." in seen and "You mentioned: Wool socks." in seen
    assert "send me photos of it here" in seen
    labels = [b["text"] for row in report.reply_markup["inline_keyboard"] for b in row]
    assert labels == ["Start a return", "Talk to a person"]

    [thanks] = await ada.say(None, photo=PHOTO, caption="the box was wet too")
    assert "added the photo to your report (1 so far)" in shown(thanks.text)
    async with db.session() as session:
        flag = (await session.exec(select(Flag))).one()
    assert flag.kind == "damaged" and flag.source == "shopper"
    assert flag.evidence is not None
    assert flag.evidence["photos"] == ["telegram:AgACAgQAAxkBAAM-large"]
    assert flag.evidence["details"] == ["the box was wet too"]

    [again] = await ada.say("1002 arrived damaged!")
    assert "marked your case as urgent" in shown(again.text)
    async with db.session() as session:
        [flag] = (await session.exec(select(Flag))).all()
    assert flag.escalations == 1


async def test_a_tracking_number_on_telegram_opens_its_order_after_proof(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    async with db.transaction() as session:
        order_id = (await session.exec(select(Order.id).where(Order.number == "1001"))).one()
        session.add(
            Shipment(
                order_id=order_id,
                carrier="dhl",
                tracking_number="00340434630429788277",
                status="in_transit",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
    ada = telegram.chat(302)
    [ask] = await ada.say("where is 00340434630429788277")
    assert "00340434630429788277" in shown(ask.text) and "1001" not in shown(ask.text)
    [welcome, card] = await ada.say("ada@example.com")
    assert "that's you" in shown(welcome.text)
    assert "Order 1001" in shown(card.text)


async def test_every_kind_answers_from_the_orders_data_on_telegram(
    telegram: Harness, db: Database, shop: Shop
) -> None:
    ada = telegram.chat(303)
    await ada.say("1001 ada@example.com")
    for words, expected in [
        ("1002 says delivered but I don't have it", "was delivered"),
        ("wrong item in 1002", "didn't contain what you ordered"),
        ("the socks are missing from 1002", "You mentioned: Wool socks."),
        ("1001 is late", "Latest from DHL"),
        ("1001 is stuck", "There has been no new scan since"),
        ("they tried to deliver 1001 but nobody was home", "usually tries again"),
        ("tracking says 1001 is returned to sender", "on its way back to us"),
        ("where is my refund for 1002", "There's no return for order 1002 yet"),
        ("cancel 1001", "already shipped, so it can't be cancelled"),
        ("can I change the address for 1001", "can't change its address"),
    ]:
        replies = await ada.say(words)
        assert expected in "\n".join(shown(m.text) for m in replies), words
    async with db.session() as session:
        kinds = sorted((await session.exec(select(Flag.kind))).all())
    assert kinds == [
        "delayed",
        "delivered_not_received",
        "delivery_attempted",
        "missing_item",
        "returned_to_sender",
        "stuck",
        "wrong_item",
    ]
