"""Problem reports, refunds, cancellations and address changes, in the shopper's words.

Each answer is built from the order's real data (the hand-built shop in shop.py), and each
report that staff should act on raises one flag of its kind with the evidence; a repeat
escalates that flag instead of raising another.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import col, select

from core.conversation.service import Conversation
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.staff.flags import flag_card_of
from core.storage.db import Database
from core.storage.models import (
    Flag,
    Notification,
    Order,
    ReturnRequest,
    Shipment,
    TrackingEvent,
)
from tests.unit.conversation.conftest import Bot
from tests.unit.conversation.shop import render


async def flags(db: Database) -> list[Flag]:
    async with db.session() as session:
        return list((await session.exec(select(Flag).order_by(col(Flag.id)))).all())


async def returns(db: Database) -> list[ReturnRequest]:
    async with db.session() as session:
        return list((await session.exec(select(ReturnRequest))).all())


async def card_text(db: Database, flag_id: int) -> str:
    async with db.session() as session:
        return render([await flag_card_of(session, flag_id)])


async def test_delivered_but_not_here_names_the_carrier_day_and_opens_a_case(
    jane: Bot, db: Database, shop: dict[str, int]
) -> None:
    replies = await jane.say("tracking says 1003 was delivered yesterday but nothing here")
    assert replies.intents == ["delivered_not_received"]
    assert replies[0].order_number == "1003"
    assert "GLS says parcel GLS1 was delivered" in replies.text
    assert "neighbours" in replies.text  # what to check
    assert "passed this to our team" in replies.text
    [flag] = await flags(db)
    assert (flag.kind, flag.source, flag.order_id, flag.state) == (
        "delivered_not_received",
        "shopper",
        shop["1003"],
        "open",
    )
    card = await card_text(db, flag.id or 0)
    assert "Delivered, not received" in card and "GLS GLS1: delivered" in card.replace("gls", "GLS")


async def test_it_says_delivered_without_a_number_asks_which_delivered_order(jane: Bot) -> None:
    replies = await jane.say("it says delivered but i dont have it")
    assert replies.intents == ["delivered_not_received"]
    assert replies.actions() == [
        ("delivered_not_received", "1002"),
        ("delivered_not_received", "1003"),
    ]
    picked = await jane.press("delivered_not_received", "1003")
    assert picked[0].order_number == "1003" and "GLS says parcel GLS1" in picked.text


async def test_within_the_shops_wait_the_case_reaches_staff_only_when_it_ends(
    db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    config = CoreConfig(
        secret_key="test-secret",
        not_received_wait=timedelta(hours=48),
        slack_alerts_channel="C-ALERTS",
    )
    jane = Bot(Conversation(db, clock, config))
    await jane.say("1002 jane@example.com")
    replies = await jane.say("1002 says delivered but it's not at my door")
    assert "UPS says parcel 1Z999 was delivered" in replies.text
    assert "(Berlin)" in replies.text
    assert "The carrier's delivery note: Delivered, front door" in replies.text
    assert "If it still hasn't turned up by" in replies.text
    assert "without you writing again" in replies.text
    [flag] = await flags(db)
    assert flag.kind == "delivered_not_received"
    async with db.session() as session:
        [alert] = (
            await session.exec(select(Notification).where(Notification.channel == "slack"))
        ).all()
    # Delivered a day ago, a 48-hour wait: staff hear of it a day from now, not before.
    assert alert.recipient == "C-ALERTS"
    assert alert.not_before == clock.now() + timedelta(days=1)


async def test_a_repeat_report_escalates_the_flag_instead_of_raising_another(
    jane: Bot, db: Database
) -> None:
    await jane.say("1003 says delivered but I never got it")
    replies = await jane.say("I still haven't got 1003 and it says delivered!")
    assert replies.intents == ["delivered_not_received"]
    assert "marked your case as urgent" in replies.text
    [flag] = await flags(db)
    assert flag.escalations == 1
    assert "Escalated: 1×" in await card_text(db, flag.id or 0)


async def test_not_delivered_yet_says_so_and_raises_nothing(jane: Bot, db: Database) -> None:
    replies = await jane.say("I never received order 1001")
    assert replies.intents == ["delivered_not_received"]
    assert "isn't marked as delivered yet" in replies.text
    assert "Arrived at hub" in replies.text
    assert await flags(db) == []


@pytest.mark.parametrize("words", ["where is my refund", "has my refund been processed"])
async def test_where_is_my_refund_without_a_return_never_starts_one(
    jane: Bot, db: Database, words: str
) -> None:
    replies = await jane.say(words)
    assert replies.intents == ["refund_status"]
    assert "no returns with us yet" in replies.text
    assert replies.actions() == [("return", "")]
    assert await returns(db) == [] and await flags(db) == []


async def test_refund_status_shows_the_returns_real_dates(
    jane: Bot, db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    now = clock.now()
    async with db.transaction() as session:
        session.add(
            ReturnRequest(
                order_id=shop["1003"],
                state="received",
                reason="size",
                rma_code="RMA-7",
                decided_at=now - timedelta(days=5),
                received_at=now - timedelta(days=1),
                created_at=now - timedelta(days=6),
                updated_at=now,
            )
        )
    replies = await jane.say("where is my refund")
    assert replies.intents == ["refund_status"] and replies[0].order_number == "1003"
    text = replies.text
    assert "Your return for order 1003" in text
    for line in ("Requested: ", "Approved: ", "Received by us: ", "Return code: RMA-7"):
        assert line in text
    assert "Refunded" not in text
    assert len(await returns(db)) == 1  # never a new return
    [flag] = await flags(db)
    assert flag.kind == "refund_status" and "RMA-7" in await card_text(db, flag.id or 0)


async def test_returned_to_sender_is_not_a_new_return(jane: Bot, db: Database) -> None:
    replies = await jane.say("Tracking shows 1001 returned to sender")
    assert replies.intents == ["returned_to_sender"]
    assert "on its way back to us" in replies.text
    assert "Latest from DHL" in replies.text
    assert await returns(db) == []
    assert [f.kind for f in await flags(db)] == ["returned_to_sender"]


async def test_a_wrong_item_names_the_order_items_and_takes_the_shoppers_words(
    jane: Bot, db: Database
) -> None:
    replies = await jane.say("got a blue hoodie instead of the black one in order 1002")
    assert replies.intents == ["wrong_item"] and replies[0].order_number == "1002"
    assert "Items in order 1002: Desk lamp, 4 × Bulb." in replies.text
    assert ("return", "1002") in replies.actions() and ("human", "1002") in replies.actions()
    more = await jane.say("the box had a blue hoodie size M in it")
    assert "added that to your report" in more.text
    [flag] = await flags(db)
    assert flag.kind == "wrong_item"
    assert "the box had a blue hoodie size M in it" in await card_text(db, flag.id or 0)


async def test_a_missing_item_names_what_the_shopper_mentioned_and_the_parcels(
    jane: Bot, db: Database
) -> None:
    replies = await jane.say("order 1002 arrived but the bulbs are missing")
    assert replies.intents == ["missing_item"]
    assert "You mentioned: Bulb." in replies.text
    assert "sent in 2 parcels (1 delivered so far)" in replies.text
    [flag] = await flags(db)
    assert "Items named by the shopper: Bulb" in await card_text(db, flag.id or 0)


async def test_a_damaged_item_that_has_not_arrived_raises_nothing(jane: Bot, db: Database) -> None:
    replies = await jane.say("the mug in 1001 is broken")
    assert replies.intents == ["damaged"]
    assert "isn't marked as delivered yet" in replies.text
    assert await flags(db) == []


async def test_late_and_attempted_give_the_latest_event_the_window_and_what_to_do(
    jane: Bot, db: Database
) -> None:
    late = await jane.say("1001 is late")
    assert late.intents == ["delayed"]
    assert "Latest from DHL" in late.text and "Arrived at hub" in late.text
    assert "Leipzig hub" in late.text and "Expected tomorrow." in late.text
    attempted = await jane.say("they tried to deliver 1001 but I wasn't home")
    assert attempted.intents == ["delivery_attempted"]
    assert "DHL usually tries again" in attempted.text
    assert sorted(f.kind for f in await flags(db)) == ["delayed", "delivery_attempted"]


async def test_stuck_without_a_number_asks_which_parcel_on_its_way(jane: Bot) -> None:
    replies = await jane.say("my parcel is stuck")
    assert replies.intents == ["stuck"]
    assert replies.actions() == [("stuck", "1001"), ("stuck", "1002")]
    stuck = await jane.press("stuck", "1001")
    assert "There has been no new scan since" in stuck.text


async def test_cancel_before_shipment_goes_to_staff_and_after_shipment_cannot(
    jane: Bot, db: Database
) -> None:
    possible = await jane.say("cancel order 1004")
    assert possible.intents == ["cancel_order"] and possible[0].order_number == "1004"
    assert "can still be cancelled" in possible.text
    shipped = await jane.say("please cancel 1001")
    assert "already shipped, so it can't be cancelled" in shipped.text
    assert [f.kind for f in await flags(db)] == ["cancel_order"]


async def test_german_cancellation_maps_to_cancel_order(jane: Bot) -> None:
    replies = await jane.say("ich möchte die bestellung 1004 stornieren")
    assert replies.intents == ["cancel_order"] and replies[0].order_number == "1004"


async def test_a_new_address_before_shipment_is_added_to_the_request(
    jane: Bot, db: Database
) -> None:
    replies = await jane.say("i moved, can you send 1004 to my new place")
    assert replies.intents == ["change_address"]
    assert "Send me the new address" in replies.text
    added = await jane.say("Hauptstrasse 5, 10115 Berlin")
    assert "added that to your report" in added.text
    [flag] = await flags(db)
    assert flag.kind == "change_address"
    assert "Hauptstrasse 5, 10115 Berlin" in await card_text(db, flag.id or 0)
    shipped = await jane.say("i moved, can you send 1001 to my new place")
    assert "already shipped, so we can't change its address" in shipped.text
    assert len(await flags(db)) == 1


async def test_a_report_needs_the_chat_verified_first(bot: Bot, db: Database) -> None:
    replies = await bot.say("1003 arrived damaged")
    assert replies.intents == ["verify"]
    assert "1003" in replies.text and "Damaged" not in replies.text
    done = await bot.say("jane@example.com")
    assert done.intents == ["verify", "damaged"]
    assert [f.kind for f in await flags(db)] == ["damaged"]


async def _add_tracking_number(db: Database, clock: ManualClock, order_id: int) -> None:
    async with db.transaction() as session:
        order = await session.get(Order, order_id)
        assert order is not None
        shipment = Shipment(
            order_id=order_id,
            carrier="dhl",
            tracking_number="00340434630429788277",
            status="in_transit",
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        session.add(shipment)
        await session.flush()
        session.add(
            TrackingEvent(
                shipment_id=shipment.id or 0,
                status="in_transit",
                text="Sorted",
                occurred_at=clock.now() - timedelta(hours=1),
                source="test",
                source_event_id="t-1",
                created_at=clock.now(),
            )
        )


async def test_a_tracking_number_names_its_order(
    jane: Bot, db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    await _add_tracking_number(db, clock, shop["1001"])
    replies = await jane.say("where is 00340434630429788277")
    assert replies.intents == ["track_order"] and replies[0].order_number == "1001"
    assert "Order 1001" in replies.text
    problem = await jane.say("00340434630429788277 hasn't moved in days")
    assert problem.intents == ["stuck"] and problem[0].order_number == "1001"


async def test_a_tracking_number_says_nothing_about_whether_it_exists(
    conversation: Conversation, db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    await _add_tracking_number(db, clock, shop["1001"])
    known = await Bot(conversation, "chat-a").say("where is 00340434630429788277")
    unknown = await Bot(conversation, "chat-b").say("where is 00340434630429788278")
    assert known.text.replace("277", "278") == unknown.text
    assert "1001" not in known.text
    # Bob's verified chat asking about Jane's parcel reads like any number not his.
    bob = Bot(conversation, "chat-bob")
    await bob.say("2001 SW1A 1AA")
    theirs = await bob.say("where is 00340434630429788277")
    nobodys = await bob.say("where is 00340434630429788278")
    assert theirs.text.replace("277", "278") == nobodys.text and "1001" not in theirs.text
    # Proving the parcel with its order's e-mail address opens the order it names.
    proved = await Bot(conversation, "chat-a").say("jane@example.com")
    assert proved.intents == ["verify", "track_order"] and proved[1].order_number == "1001"


@pytest.mark.parametrize(
    ("words", "intent", "number"),
    [
        ("return order 2291", "start_return", "2291"),
        ("I'd like a refund for order #3310", "start_return", "3310"),
        ("keep me updated on order 1047", "follow", "1047"),
        ("tracking for 8812?", "track_order", "8812"),
    ],
)
async def test_the_number_a_shopper_gave_is_kept(
    jane: Bot, words: str, intent: str, number: str
) -> None:
    replies = await jane.say(words)
    assert (replies[0].intent, replies[0].order_number) == (intent, number)
    assert number in replies.text


async def test_my_purchases_lists_the_orders(jane: Bot) -> None:
    replies = await jane.say("my purchases")
    assert replies.intents == ["list_orders"]
    assert "1001" in replies.text and "1004" in replies.text


async def test_postcode_and_order_in_one_message_verify_at_once(bot: Bot) -> None:
    replies = await bot.say("postcode is 10115 and order is 1002")
    assert replies.intents == ["verify", "track_order"]
    assert replies[1].order_number == "1002"


async def test_a_photo_with_no_report_says_how_to_report(jane: Bot) -> None:
    inbound = replace(jane.inbound(text=""), photos=("telegram:abc",))
    replies = await jane.conversation.handle(inbound)
    assert "tell me what's wrong first" in render(replies)


async def test_a_label_without_a_carrier_scan_can_still_be_cancelled(
    jane: Bot, db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    async with db.transaction() as session:
        session.add(
            Shipment(
                order_id=shop["1004"],
                carrier="dhl",
                tracking_number="JD4444",
                status="info_received",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
    replies = await jane.say("please cancel 1004")
    assert "can still be cancelled" in replies.text


async def test_a_report_joins_the_flag_exception_detection_already_raised(
    jane: Bot, db: Database, clock: ManualClock, config: CoreConfig, shop: dict[str, int]
) -> None:
    from core.staff.flags import raise_flag

    async with db.transaction() as session:
        await raise_flag(session, clock, config, shop["1001"], "stuck", open_key="stuck:1001")
    replies = await jane.say("1001 is stuck")
    assert "Our team was already looking into this" in replies.text
    [flag] = await flags(db)
    assert (flag.source, flag.escalations) == ("detector", 1)
    assert flag.evidence is not None and flag.evidence["facts"]


async def test_a_tracking_number_answers_what_is_your_order_number(
    bot: Bot, db: Database, clock: ManualClock, shop: dict[str, int]
) -> None:
    await _add_tracking_number(db, clock, shop["1001"])
    assert (await bot.say("is my parcel stuck?")).intents == ["verify"]
    asked = await bot.say("00340434630429788277")
    assert "e-mail address or the postcode used for order 00340434630429788277" in asked.text
    done = await bot.say("jane@example.com")
    assert [(r.intent, r.order_number) for r in done] == [("verify", "1001"), ("stuck", "1001")]


async def test_words_after_staff_resolved_the_report_start_afresh(
    jane: Bot, db: Database, clock: ManualClock
) -> None:
    from core.staff.flags import resolve_flag

    await jane.say("1002 arrived damaged")
    [flag] = await flags(db)
    async with db.transaction() as session:
        await resolve_flag(session, clock, flag.id or 0, actor="slack:U1", note="replaced")
    replies = await jane.say("the lamp shade is dented")
    assert "added that to your report" not in replies.text
    assert replies.intents == ["damaged"]  # a new report of its own
