""" "Talk to a person" from the Slack side: take over, reply in the thread, hand back."""

from __future__ import annotations

from sqlmodel import col, select

from core.handoff import threads as handoff
from core.handoff.opening import open_thread
from core.replies.reply import Reply
from core.runtime.clock import ManualClock
from core.storage.models import ChannelIdentity, HandoffThread, Notification
from tests.integration.slack.conftest import AGENT, AGENT2, OUTSIDER, SUPPORT, Desk
from tests.integration.slack.stand_in import Call
from tests.unit.staff_data import build_shop


def _button(call: Call, label: str) -> dict[str, object]:
    [button] = [b for b in call.buttons() if b["text"]["text"] == label]
    return button


async def _thread(desk: Desk, clock: ManualClock) -> tuple[int, Call, str]:
    async with desk.database.transaction() as session:
        shop = await build_shop(session, clock)
        opened = await open_thread(
            session,
            clock,
            desk.services.config,
            shop.shopper,
            message="My parcel says delivered but it is not here",
            order_id=shop.order_id,
        )
    [(_, ref)] = await desk.deliver_outbox()
    [card] = desk.api.of("chat.postMessage")
    assert opened.thread.id is not None
    return opened.thread.id, card, ref.split(":")[1]


async def _to_shopper(desk: Desk) -> list[tuple[str, str]]:
    async with desk.database.session() as session:
        rows = (
            await session.exec(
                select(Notification)
                .where(Notification.channel == "telegram")
                .order_by(col(Notification.id))
            )
        ).all()
    return [
        (n.kind, " ".join(s.text or "" for s in Reply.from_dict(n.reply).sections)) for n in rows
    ]


async def _thread_message(desk: Desk, ts: str, user: str, text: str, event_id: str) -> None:
    event = {
        "type": "message",
        "channel": SUPPORT,
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": f"1700000100.{event_id[-4:]}",
        "thread_ts": ts,
    }
    assert (await desk.event(event, event_id=event_id)).status_code == 200


async def test_take_over_reply_and_hand_back(desk: Desk, clock: ManualClock) -> None:
    thread_id, card, ts = await _thread(desk, clock)
    assert card.args["channel"] == SUPPORT
    assert "would like to talk to a person" in card.text
    assert [b["text"]["text"] for b in card.buttons()] == ["Take over", "Close", "Note (internal)"]

    await desk.click(_button(card, "Take over"), channel=SUPPORT, message_ts=ts)
    [taken] = await desk.api.wait_for("chat.update")
    assert (taken.args["channel"], taken.args["ts"]) == (SUPPORT, ts)
    assert "Taken over by jane.agent" in taken.text
    assert [b["text"]["text"] for b in taken.buttons()] == [
        "Hand back to the bot",
        "Note (internal)",
    ]

    # The taking agent's reply reaches the shopper, Slack markup undone.
    await _thread_message(
        desk,
        ts,
        AGENT,
        "Sorry! I opened a claim &amp; <https://dhl.example/c|the claim>.",
        "Ev0001",
    )
    # Another agent's reply stays in Slack, and they are told so.
    await _thread_message(desk, ts, AGENT2, "I can help too", "Ev0002")
    [hint] = await desk.api.wait_for("chat.postEphemeral")
    assert hint.args["user"] == AGENT2 and "stayed in Slack" in hint.text
    messages = await _to_shopper(desk)
    replies = [text for kind, text in messages if kind == "handoff_reply"]
    assert replies == ["Sorry! I opened a claim & the claim (https://dhl.example/c). — jane.agent"]

    await desk.click(_button(taken, "Hand back to the bot"), channel=SUPPORT, message_ts=ts)
    back = (await desk.api.wait_for("chat.update", 2))[1]
    assert "Back with the bot" in back.text and back.buttons() == []
    async with desk.database.session() as session:
        thread = await session.get(HandoffThread, thread_id)
    assert thread is not None and thread.state == "closed"
    assert thread.agent_id == f"slack:{AGENT}"


async def test_the_shoppers_messages_land_in_the_thread(desk: Desk, clock: ManualClock) -> None:
    thread_id, card, ts = await _thread(desk, clock)
    await desk.click(_button(card, "Take over"), channel=SUPPORT, message_ts=ts)
    await desk.api.wait_for("chat.update")
    async with desk.database.transaction() as session:
        thread = await session.get(HandoffThread, thread_id)
        assert thread is not None
        identity = await session.get(ChannelIdentity, thread.identity_id)
        assert identity is not None
        assert await handoff.shopper_message(
            session, clock, desk.services.config, identity, "Thanks <!channel>"
        )
    await desk.deliver_outbox()
    posted = desk.api.of("chat.postMessage")[-1]
    assert (posted.args["channel"], posted.args["thread_ts"]) == (SUPPORT, ts)
    assert "Jane: Thanks &lt;!channel&gt;" in posted.text


async def test_non_staff_cannot_take_over(desk: Desk, clock: ManualClock) -> None:
    thread_id, card, ts = await _thread(desk, clock)
    await desk.click(_button(card, "Take over"), channel=SUPPORT, message_ts=ts, user=OUTSIDER)
    [refusal] = await desk.api.wait_for("chat.postEphemeral")
    assert "only wismo support staff" in refusal.text
    async with desk.database.session() as session:
        thread = await session.get(HandoffThread, thread_id)
    assert thread is not None and thread.state == "waiting"
