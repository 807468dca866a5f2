"""Strangers guessing at an order over Telegram cannot lock its owner out (issue 15)."""

from __future__ import annotations

from core.conversation.identity import create_link_token
from core.runtime.clock import ManualClock
from core.storage.db import Database
from tests.integration.telegram.conftest import Harness, core_config
from tests.integration.telegram.shop import Shop
from tests.integration.telegram.test_conversation import identity, shown


def _read(replies: list) -> str:
    return "\n".join(shown(m.text) for m in replies)


async def test_five_chats_guessing_emails_leave_the_owner_able_to_prove_the_order(
    telegram: Harness, db: Database, shop: Shop
) -> None:
    for n in range(1, 6):
        attacker = telegram.chat(900 + n, first_name=f"Mallory {n}")
        assert "couldn't match" in _read(await attacker.say(f"1001 attacker{n}@example.org"))
    ada = telegram.chat(950, first_name="Ada")
    text = _read(await ada.say(f"1001 {shop.ada_email}"))
    assert "Too many attempts" not in text
    assert "that's you" in text and "Order 1001" in text
    assert (await identity(db, 950)).customer_id is not None


async def test_postcode_guesses_pause_the_postcode_and_leave_the_email_and_the_link(
    telegram: Harness, db: Database, clock: ManualClock, shop: Shop
) -> None:
    for n in range(5):
        guesser = telegram.chat(960 + n, first_name="Mallory")
        await guesser.say("1001")
        assert "couldn't match" in _read(await guesser.say(f"2011{n}"))
    ada = telegram.chat(970, first_name="Ada")
    await ada.say("1001")
    paused = _read(await ada.say(shop.ada_postcode))
    assert "can't check postcodes for order 1001" in paused and "Order 1001" not in paused
    assert "Order 1001" in _read(await ada.say(shop.ada_email))
    # A chat that ran out of attempts by its own typos still opens the shop's deep link.
    clumsy = telegram.chat(980, first_name="Ada")
    for n in range(5):
        await clumsy.say(f"1001 ada{n}@example.con")
    assert "Too many attempts" in _read(await clumsy.say(f"1001 {shop.ada_email}"))
    async with db.transaction() as session:
        token = await create_link_token(session, clock, core_config(), "1001")
    assert "Order 1001" in _read(await clumsy.say(f"/start {token}"))
