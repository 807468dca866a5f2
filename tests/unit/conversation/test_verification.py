"""An unverified chat learns nothing about orders until it proves who it is."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from core.conversation.identity import create_link_token
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import ChannelIdentity
from tests.unit.conversation.conftest import Bot


async def test_asking_for_an_order_asks_for_proof_first(bot: Bot) -> None:
    replies = await bot.say("where is my order 1001?")
    assert replies.intents == ["verify"]
    assert replies[0].order_number == "1001"
    assert "e-mail address or the postcode used for order 1001" in replies.text
    assert "DHL" not in replies.text and "On its way" not in replies.text


async def test_without_a_number_it_asks_for_the_number_then_the_proof(bot: Bot) -> None:
    assert "What's your order number?" in (await bot.say("where's my parcel")).text
    assert "e-mail address or the postcode used for order 1001" in (await bot.say("it's 1001")).text
    replies = await bot.say("Jane@Example.com ")
    assert replies.intents == ["verify", "track_order"]
    assert "Thanks, that's you!" in replies.text
    assert "Order 1001" in replies.text and "On its way" in replies.text


async def test_the_postcode_proves_it_too(bot: Bot) -> None:
    await bot.say("where is 2001")
    replies = await bot.say("sw1a 1aa")
    assert replies.intents == ["verify", "track_order"]
    assert "Order 2001" in replies.text


async def test_number_and_email_in_one_message(bot: Bot) -> None:
    await bot.say("hello")
    await bot.say("where is my order")
    replies = await bot.say("order 1001, jane@example.com")
    assert replies.intents == ["verify", "track_order"]


async def test_a_wrong_pair_and_an_unknown_order_get_the_same_reply(bot: Bot) -> None:
    await bot.say("1001")
    wrong_pair = await bot.say("someone@example.com")
    other = bot.chat("chat-2")
    await other.say("9999")
    no_such_order = await other.say("someone@example.com")
    assert [r.to_dict() for r in wrong_pair] == [r.to_dict() for r in no_such_order]
    assert "couldn't match" in wrong_pair.text
    # And asking for proof does not depend on existence either, beyond echoing the number.
    ask_real = (await bot.chat("chat-3").say("1001")).text.replace("1001", "N")
    ask_fake = (await bot.chat("chat-4").say("9999")).text.replace("9999", "N")
    assert ask_real == ask_fake


async def test_the_sixth_wrong_guess_in_an_hour_is_refused(bot: Bot, clock: ManualClock) -> None:
    for guess in range(5):
        await bot.say(f"#100{guess % 3 + 1}")
        assert "couldn't match" in (await bot.say(f"guess{guess}@example.com")).text
    refused = await bot.say("1001")  # not even asked for the proof now
    assert refused.intents == ["verify"]
    assert "Too many attempts" in refused.text and "try again later" in refused.text
    assert "in about 60 minutes" in refused.text
    assert "Too many attempts" in (await bot.say("1001 jane@example.com")).text  # right, too late
    assert "Order 1001" not in refused.text
    clock.advance(minutes=61)
    await bot.say("1001")
    assert "Order 1001" in (await bot.say("jane@example.com")).text


async def test_strangers_guessing_emails_cannot_lock_the_owner_out(bot: Bot) -> None:
    # The attack: order numbers run in sequence, so anyone can aim at the next one.
    for n in range(1, 6):
        assert (
            "couldn't match"
            in (await bot.chat(f"attacker-{n}").say(f"1001 attacker{n}@example.org")).text
        )
    owner = bot.chat("real-jane")
    replies = await owner.say("1001 jane@example.com")
    assert replies.intents == ["verify", "track_order"]
    assert "Too many attempts" not in replies.text
    assert "Order 1001" in replies.text


async def test_postcode_guesses_across_chats_pause_postcodes_but_not_the_email(bot: Bot) -> None:
    for n in range(5):
        guesser = bot.chat(f"guesser-{n}")
        await guesser.say("1001")
        assert "couldn't match" in (await guesser.say(f"1011{n}")).text
    owner = bot.chat("real-jane")
    asked = await owner.say("1001")  # asked for a proof as usual: the chat itself did nothing
    assert "e-mail address or the postcode used for order 1001" in asked.text
    paused = await owner.say("10115")  # the right postcode, but postcodes are paused
    assert "can't check postcodes for order 1001" in paused.text
    assert (
        "e-mail address used for the order" in paused.text and "in about 60 minutes" in paused.text
    )
    assert "Order 1001" not in paused.text
    replies = await owner.say("jane@example.com")  # still waiting for this order's proof
    assert replies.intents == ["verify", "track_order"]
    assert "Order 1001" in replies.text
    # A number that does not exist is paused the same way, word for word; another order's
    # postcode still works.
    ghost = [bot.chat(f"ghost-{n}") for n in range(6)]
    for n, chat in enumerate(ghost[:5]):
        await chat.say("9999")
        await chat.say(f"1011{n}")
    assert (await ghost[5].say("9999")).intents == ["verify"]
    assert (await ghost[5].say("10115")).text.replace("9999", "N") == paused.text.replace(
        "1001", "N"
    )
    await bot.chat("bob").say("2001")
    assert "Order 2001" in (await bot.chat("bob").say("SW1A 1AA")).text


async def test_a_deep_link_works_when_the_chat_has_run_out_of_attempts(
    bot: Bot, db: Database, clock: ManualClock, config: CoreConfig
) -> None:
    for n in range(5):
        await bot.say(f"1001 typo{n}@example.com")
    assert "Too many attempts" in (await bot.say("1001 jane@example.com")).text
    async with db.transaction() as session:
        token = await create_link_token(session, clock, config, "1001")
    linked = await bot.say(f"/start {token}")
    assert linked.intents == ["link", "track_order"]
    assert "Order 1001" in linked.text


async def test_a_wrong_guess_for_a_missing_order_counts_the_same(bot: Bot) -> None:
    for _ in range(5):
        await bot.say("99999")
        await bot.say("x@example.com")
    assert "Too many attempts" in (await bot.say("1001")).text


async def test_cancel_leaves_verification(bot: Bot) -> None:
    await bot.say("where is 1001")
    assert (await bot.say("cancel")).intents == ["cancel"]
    assert (await bot.say("jane@example.com")).intents != ["verify"]


async def test_another_question_leaves_verification(bot: Bot) -> None:
    await bot.say("where is 1001")
    assert (await bot.say("help")).intents == ["help"]


async def test_gibberish_while_waiting_for_proof_asks_again(bot: Bot) -> None:
    await bot.say("where is 1001")
    replies = await bot.say("hmm not sure")
    assert replies.intents == ["verify"]
    assert "e-mail address or the postcode used for order 1001" in replies.text


async def test_a_verified_chat_sees_every_order_of_its_customer(jane: Bot) -> None:
    replies = await jane.say("my orders")
    for number in ("1001", "1002", "1003", "1004"):
        assert number in replies.text
    assert "2001" not in replies.text


async def test_a_verified_chat_learns_nothing_about_other_customers_orders(jane: Bot) -> None:
    bobs = (await jane.say("where is 2001")).text.replace("2001", "N")
    missing = (await jane.say("where is 8888")).text.replace("8888", "N")
    assert bobs == missing
    assert "Customs" not in bobs and "Royal Mail" not in bobs


async def test_verification_state_lives_in_the_database(
    db: Database, clock: ManualClock, bot: Bot
) -> None:
    from core.conversation.service import Conversation
    from core.runtime.config import CoreConfig

    await bot.say("where is 1001")
    replica = Bot(Conversation(db, clock, CoreConfig(secret_key="test-secret")), bot.sender_id)
    assert "Order 1001" in (await replica.say("jane@example.com")).text
    async with db.session() as session:
        identity = (await session.exec(select(ChannelIdentity))).one()
    assert identity.verified_at == clock.now()
    clock.advance(timedelta(days=1))


async def test_after_a_mistyped_number_the_right_one_is_not_taken_for_a_postcode(jane: Bot) -> None:
    assert "I can't find order 2001" in (await jane.say("where is 2001")).text
    replies = await jane.say("1001")
    assert (replies[0].intent, replies[0].order_number) == ("track_order", "1001")
    assert "Order 1001" in replies.text


async def test_the_proof_can_come_with_the_question(bot: Bot) -> None:
    replies = await bot.say("Where is order #1002? My e-mail is jane@example.com")
    assert [(r.intent, r.order_number) for r in replies] == [
        ("verify", "1002"),
        ("track_order", "1002"),
    ]
    wrong = await bot.chat("other").say("where is 1002? bob@example.com")
    assert wrong.intents == ["verify"] and "couldn't match" in wrong.text


async def test_a_verified_chat_can_add_another_customers_order_in_one_message(jane: Bot) -> None:
    replies = await jane.say("order 2001, bob@example.com")
    assert [(r.intent, r.order_number) for r in replies] == [
        ("verify", "2001"),
        ("track_order", "2001"),
    ]
