"""A shopper on Telegram: linking, asking where the order is, every button, hostile names."""

from __future__ import annotations

import html
import re

from sqlmodel import select

from core.conversation.identity import create_link_token
from core.storage.db import Database
from core.storage.models import ChannelIdentity
from tests.integration.telegram.conftest import Harness, core_config
from tests.integration.telegram.shop import HOSTILE_NAME, Shop

_TAG = re.compile(r"<[^>]+>")


def shown(html_text: str) -> str:
    """What the shopper reads once Telegram has parsed the HTML."""
    return html.unescape(_TAG.sub("", html_text))


async def identity(db: Database, chat_id: int) -> ChannelIdentity:
    async with db.session() as session:
        row = (
            await session.exec(
                select(ChannelIdentity).where(
                    ChannelIdentity.channel == "telegram",
                    ChannelIdentity.external_id == str(chat_id),
                )
            )
        ).one()
    return row


async def test_start_greets_and_stores_language_code(telegram: Harness, db: Database) -> None:
    ada = telegram.chat(101, first_name="Ada", language_code="de-AT")
    [greeting] = await ada.say("/start")
    assert greeting.parse_mode == "HTML"
    assert "Bestellnummer" in shown(greeting.text)  # the app's language: German
    stored = await identity(db, 101)
    assert stored.locale == "de"
    assert stored.display_name == "Ada"


async def test_link_by_deep_link_then_track(
    telegram: Harness, db: Database, clock, shop: Shop
) -> None:
    async with db.transaction() as session:
        token = await create_link_token(session, clock, core_config(), shop.ada_order)
    ada = telegram.chat(102)
    replies = await ada.say(f"/start {token}")
    text = "\n".join(shown(m.text) for m in replies)
    assert "that's you" in text
    assert (await identity(db, 102)).customer_id is not None
    [card] = await ada.say("/track 1001")
    assert "Order 1001" in shown(card.text)


async def test_forged_deep_link_links_nothing(telegram: Harness, db: Database) -> None:
    ada = telegram.chat(103)
    [reply] = await ada.say("/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert "doesn't work" in shown(reply.text)
    assert (await identity(db, 103)).customer_id is None


async def test_wismo_by_order_number_and_email(telegram: Harness, shop: Shop) -> None:
    ada = telegram.chat(104)
    [ask] = await ada.say("where is my order 1001?")
    assert "e-mail address or the postcode" in shown(ask.text)
    # Nothing about the order before the shopper proves it is theirs.
    assert "On its way" not in shown(ask.text)
    replies = await ada.say(shop.ada_email)
    text = "\n".join(shown(m.text) for m in replies)
    assert "that's you" in text
    card = replies[-1]
    assert "Order 1001" in shown(card.text)
    assert "On its way" in shown(card.text)
    assert "DHL" in shown(card.text)
    assert '<a href="https://track.example/JD0001">' in card.text
    assert [b["text"] for b in card.buttons][:1] == ["Refresh"]


async def test_wrong_email_reveals_nothing(telegram: Harness, shop: Shop) -> None:
    mallory = telegram.chat(105, first_name="Mallory")
    await mallory.say("where is order 2001")
    [refusal] = await mallory.say("ada@example.com")
    assert "couldn't match" in shown(refusal.text)
    assert "Hammer" not in shown(refusal.text)


async def verified(telegram: Harness, chat_id: int, shop: Shop):
    chat = telegram.chat(chat_id)
    await chat.say("where is my order 1001?")
    replies = await chat.say(shop.ada_email)
    return chat, replies[-1]


async def test_hostile_product_name_is_shown_literally(telegram: Harness, shop: Shop) -> None:
    _, card = await verified(telegram, 106, shop)
    assert "<b>bold</b>" not in card.text
    assert 'href="https://evil.example"' not in card.text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href=&quot;https://evil.example&quot;&gt;" in (
        card.text
    )
    assert HOSTILE_NAME in shown(card.text)
    assert "Arrived at <hub> & sorted" in shown(card.text)


async def test_refresh_button_redraws_the_same_card(telegram: Harness, shop: Shop) -> None:
    ada, card = await verified(telegram, 107, shop)
    before = len(telegram.botapi.sent_to(107))
    changed = await ada.press(card, "Refresh")
    # Nothing changed since: the card stays, no new message, the button's spinner stops.
    assert changed == []
    assert len(telegram.botapi.sent_to(107)) == before
    assert telegram.botapi.callback_answers[-1].get("text") is None


async def test_my_orders_and_order_buttons(telegram: Harness, shop: Shop) -> None:
    ada, _ = await verified(telegram, 108, shop)
    [listing] = await ada.say("/orders")
    assert "1001" in shown(listing.text) and "1002" in shown(listing.text)
    assert "2001" not in shown(listing.text)  # Bob's order
    [card] = await ada.press(listing, "1002")
    assert "Order 1002" in shown(card.text)
    assert "Delivered" in shown(card.text)


async def test_follow_and_unfollow_buttons(telegram: Harness, shop: Shop) -> None:
    ada, card = await verified(telegram, 109, shop)
    labels = [b["text"] for b in card.buttons]
    if "Stop updates" in labels:
        [off] = await ada.press(card, "Stop updates")
        assert "no more updates about order 1001" in shown(off.text)
        [card] = await ada.say("/track 1001")
    [on] = await ada.press(card, "Follow")
    assert "message you here when order 1001 moves" in shown(on.text)


async def test_talk_to_a_person_button(telegram: Harness, shop: Shop) -> None:
    ada, card = await verified(telegram, 110, shop)
    replies = await ada.press(card, "Talk to a person")
    assert replies, "the shopper hears back"
    assert any(
        "team" in shown(m.text).lower() or "person" in shown(m.text).lower() for m in replies
    )


async def test_help_command_and_buttons_on_unknown_text(telegram: Harness) -> None:
    ada = telegram.chat(111)
    [confused] = await ada.say("blorp")
    assert "didn't quite get that" in shown(confused.text)
    [helped] = await ada.press(confused, "Help")
    assert "Here's what I can do" in shown(helped.text)
    [helped_again] = await ada.say("/help")
    assert shown(helped_again.text) == shown(helped.text)


async def test_cancel_button_leaves_verification(telegram: Harness) -> None:
    ada = telegram.chat(112)
    [ask] = await ada.say("where is my order 1001?")
    [cancelled] = await ada.press(ask, "Cancel")
    assert "leave it there" in shown(cancelled.text)


async def test_stop_then_start_turns_pushes_off_and_on(telegram: Harness, db: Database) -> None:
    ada = telegram.chat(113)
    [stopped] = await ada.say("/stop")
    assert "Updates are off" in shown(stopped.text)
    assert (await identity(db, 113)).pushes_enabled is False
    await ada.say("/start")
    assert (await identity(db, 113)).pushes_enabled is True


async def test_refresh_after_a_change_redraws_the_card_in_place(
    telegram: Harness, db: Database, clock, shop: Shop
) -> None:
    from core.ingest.tracking_update import TrackingUpdate
    from core.ingest.updates import apply_tracking_update
    from core.tracking.statuses import ShipmentStatus

    ada, card = await verified(telegram, 114, shop)
    assert "Out for delivery" not in shown(card.text)
    clock.advance(hours=1)
    async with db.transaction() as session:
        await apply_tracking_update(
            session,
            clock,
            core_config(),
            TrackingUpdate(
                source="test",
                source_event_id="ofd-114",
                tracking_number="JD0001",
                status=ShipmentStatus.OUT_FOR_DELIVERY,
                occurred_at=clock.now(),
                text="Out for delivery",
            ),
        )
    sent_before = len(telegram.botapi.sent_to(114))
    [redrawn] = await ada.press(card, "Refresh")
    assert redrawn.message_id == card.message_id  # the same message, edited
    assert len(redrawn.edits) == 1
    assert "out for delivery" in shown(redrawn.text).lower()
    assert len(telegram.botapi.sent_to(114)) == sent_before
    assert telegram.botapi.calls_of("editMessageText")


async def test_my_orders_button(telegram: Harness, shop: Shop) -> None:
    ada, _ = await verified(telegram, 115, shop)
    [confused] = await ada.say("blorp")
    [listing] = await ada.press(confused, "My orders")
    assert "1001" in shown(listing.text) and "1002" in shown(listing.text)


async def test_return_buttons_walk_through_the_return_flow(telegram: Harness, shop: Shop) -> None:
    ada = telegram.chat(116)
    await ada.say("where is my order 1002?")
    card = (await ada.say(shop.ada_email))[-1]
    assert "Delivered" in shown(card.text)
    [picker] = await ada.press(card, "return")
    assert "Return from order 1002" in shown(picker.text)
    assert "Wool socks" in [b["text"] for b in picker.buttons]
    # Ticking an item redraws the picker in place, with the item marked.
    [ticked] = await ada.press(picker, "Wool socks")
    assert ticked.message_id == picker.message_id
    assert "✓ Wool socks" in [b["text"] for b in ticked.buttons]
    following = await ada.press(ticked, "Continue")
    assert following, "the flow goes on"
    assert all("something went wrong" not in m.text for m in following)
    [reasons] = following
    assert "Why are you sending it back?" in shown(reasons.text)
    [confirm_step] = await ada.press(reasons, "Too small")
    assert "something went wrong" not in confirm_step.text
    assert shown(confirm_step.text).strip()
