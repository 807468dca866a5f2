"""While a person has the chat the bot answers commands only; internal notes stay in Slack."""

from __future__ import annotations

from dataclasses import replace

from core.conversation.service import Conversation
from core.handoff import notes
from core.handoff import threads as handoff
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from tests.unit.handoff.test_handoff import TS, Scene, text_of
from tests.unit.handoff.test_handoff import scene as scene
from tests.unit.returns.conftest import Shop
from tests.unit.returns.test_return_flow import shown


async def _taken(scene: Scene) -> None:
    await scene.say("talk to a person")
    await scene.say("My parcel is damaged")
    await scene.take()


async def test_while_a_person_has_the_chat_the_bot_answers_commands_only(scene: Scene) -> None:
    await _taken(scene)
    help_reply = await scene.say("/help")
    assert help_reply[0].intent == "help" and "Here's what I can do" in shown(help_reply)
    orders = await scene.say("/orders")
    assert orders[0].intent == "list_orders" and "1001" in shown(orders)
    cancel = await scene.say("/cancel")
    assert shown(cancel).startswith("Jane from our team is still with you here")
    pressed = await scene.press("cancel")  # Telegram's /cancel arrives as the action
    assert shown(pressed) == shown(cancel)
    # None of that reached the thread, and the chat is still Jane's.
    assert await scene.to_slack("slack_thread") == []
    assert await scene.say("where is my order 1001") == []
    [posted] = await scene.to_slack("slack_thread")
    assert text_of(posted) == "Ada: where is my order 1001"
    assert (await scene.thread()).state == "taken"


async def test_after_hand_back_the_bot_answers_everything_again(scene: Scene) -> None:
    await _taken(scene)
    await scene.step(handoff.hand_back, (await scene.thread()).id, actor="slack:U1")
    answer = await scene.say("where is my order 1001")
    assert answer[0].intent == "track_order"
    assert shown(await scene.say("/cancel")) == "OK, let's leave it there. Anything else?"


async def test_a_note_from_the_taking_agent_stays_in_slack(scene: Scene) -> None:
    await _taken(scene)
    told = len(await scene.to_shopper())
    assert await scene.agent_says("note: she is a regular, offer a voucher", ts="1.1") == "note"
    assert await scene.agent_says("  NOTE: checked the warehouse", ts="1.2") == "note"
    assert await scene.agent_says("note: from a colleague", agent="slack:U2", ts="1.3") == "note"
    assert len(await scene.to_shopper()) == told
    assert await scene.agent_says("A new mug is on its way.", ts="1.4") == "forwarded"
    assert (await scene.to_shopper())[-1] == "A new mug is on its way.\n— Jane"
    trail = [
        (e.actor, e.after) for e in await scene.shop.audit("handoff") if e.action == "handoff.note"
    ]
    assert trail == [
        ("slack:U1", {"via": "marker", "length": 39, "state": "taken"}),
        ("slack:U1", {"via": "marker", "length": 27, "state": "taken"}),
        ("slack:U2", {"via": "marker", "length": 22, "state": "taken"}),
    ]


async def test_the_marker_is_a_setting(scene: Scene) -> None:
    scene.shop.config = replace(scene.shop.config, handoff_note_marker="[internal]")
    await _taken(scene)
    assert await scene.agent_says("[Internal] keep this between us") == "note"
    assert await scene.agent_says("note: this one goes out", ts="1.2") == "forwarded"


async def test_notes_keep_the_thread_from_going_idle(scene: Scene) -> None:
    await _taken(scene)
    scene.shop.clock.advance(hours=23)
    assert await scene.agent_says("note: waiting for the carrier's answer") == "note"
    scene.shop.clock.advance(hours=2)
    assert await scene.step(handoff.close_idle) == 0
    assert (await scene.thread()).state == "taken"


async def test_the_note_action_posts_a_marked_note_into_the_thread(scene: Scene) -> None:
    await _taken(scene)
    thread = await scene.thread()
    async with scene.shop.db.transaction() as session:
        await notes.add_note(
            session,
            scene.shop.clock,
            thread,
            agent_id="slack:U1",
            agent_name="Jane Agent",
            text="  Refund approved by the manager  ",
        )
    [posted] = await scene.to_slack("slack_thread")
    assert posted.recipient == f"C_SUPPORT:{TS}"
    assert text_of(posted).startswith("Internal note — not sent to the shopper")
    assert "Refund approved by the manager" in text_of(posted)
    assert len(await scene.to_shopper()) == 1  # only "Jane from Acme is here"


async def test_notes_and_commands_on_postgresql(
    pg_db: Database, clock: ManualClock, config: CoreConfig
) -> None:
    shop = Shop(pg_db, clock, config)
    ada = await shop.customer("Ada Lovelace")
    await shop.chat(ada, sender_id="4242")
    await shop.order(ada, number="1001")
    on_pg = Scene(shop, Conversation(pg_db, clock, config))
    await _taken(on_pg)
    assert (await on_pg.say("/help"))[0].intent == "help"
    clock.advance(hours=23)
    assert await on_pg.agent_says("note: waiting for DHL") == "note"
    clock.advance(hours=2)
    assert await on_pg.step(handoff.close_idle) == 0  # the note kept it alive
    assert await on_pg.say("still there?") == []
    assert len(await on_pg.to_slack("slack_thread")) == 1
