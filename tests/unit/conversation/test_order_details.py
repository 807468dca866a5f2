"""Details: the order card opens the tracking page (a Mini App in Telegram), and pressing it
where pages cannot open answers with the page's link — for the order's owner only."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import select

from core.conversation.service import Conversation
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import Order
from core.tracking_page.links import read_page_token
from tests.unit.conversation.conftest import Bot


async def test_without_an_https_address_the_card_has_no_details_button(jane: Bot) -> None:
    replies = await jane.say("where is my order 1001")
    assert "details" not in [action for action, _ in replies.actions()]


async def test_the_card_opens_the_page_inside_the_chat(
    db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    https = replace(config, public_url="https://track.acme.example/")
    jane = Bot(Conversation(db, clock, https))
    await jane.say("1001")
    await jane.say("jane@example.com")
    card = (await jane.say("where is my order 1001"))[0]
    details = [b for b in card.buttons if b.action == "details"]
    assert [(b.label, b.payload, b.web_app_url) for b in details] == [
        ("Details", "1001", "https://track.acme.example/app?order=1001")
    ]


async def test_pressing_details_gives_the_owner_the_pages_link(
    jane: Bot, config: CoreConfig, clock: ManualClock, db: Database
) -> None:
    replies = await jane.press("details", "1001")
    assert replies.intents == ["order_details"]
    url = replies.text.split(": ", 1)[1].strip()
    assert url.startswith(f"{config.public_url}/t/")
    link = read_page_token(config, url.rsplit("/", 1)[1], clock.now())
    async with db.session() as session:
        order = (await session.exec(select(Order).where(Order.number == "1001"))).one()
    assert link.order_id == order.id


async def test_a_stranger_pressing_details_learns_nothing(bot: Bot) -> None:
    stranger = bot.chat("stranger")
    replies = await stranger.press("details", "1001")
    assert "/t/" not in replies.text and replies.intents != ["order_details"]
    other = await stranger.press("details", "2001")
    assert replies.text.replace("1001", "N") == other.text.replace("2001", "N")
