"""The staff Home tab through slack-bolt: published on app_home_opened, redrawn through the
outbox when the queue changes (debounced), buttons acting from it, and nothing for non-staff."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from core.handoff.opening import open_thread
from core.pushes.dispatch import Dispatcher
from core.pushes.home_refresh import HOME_CHANNEL
from core.returns import requests as returns
from core.runtime.clock import ManualClock
from core.staff.flags import raise_flag
from core.storage.models import (
    AuditEntry,
    Flag,
    HandoffThread,
    InboundLog,
    Notification,
    ReturnRequest,
)
from tests.integration.slack.conftest import AGENT, AGENT2, ALERTS, OUTSIDER, SUPPORT, Desk
from tests.integration.slack.stand_in import TEAM, Call
from tests.unit.staff_data import build_shop


def home_text(call: Call) -> str:
    """Everything the published Home view says, as Slack would parse it."""
    return json.dumps(call.args["view"], ensure_ascii=False)


def home_button(call: Call, label: str, block_id: str) -> dict[str, Any]:
    """The button `label` in the actions block `block_id` of a published Home view."""
    for block in call.args["view"]["blocks"]:
        if block.get("type") == "actions" and block.get("block_id") == block_id:
            for element in block["elements"]:
                if element["text"]["text"] == label:
                    return {**element, "block_id": block_id}
    raise AssertionError(f"no {label!r} in {block_id}: {home_text(call)}")


async def open_home(desk: Desk, user: str = AGENT, event_id: str = "EvHome1") -> None:
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0HOME",
        "tab": "home",
        "event_ts": "1700000000.000100",
    }
    assert (await desk.event(event, event_id=event_id)).status_code == 200


async def click_home(desk: Desk, button: dict[str, Any], user: str = AGENT) -> None:
    """Click a button on the Home tab, as Slack sends it (the container is a view)."""
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "shop"},
        "user": {"id": user, "username": desk.api.users.get(user, user), "team_id": TEAM},
        "api_app_id": "A0WISMO",
        "trigger_id": desk.trigger_id(),
        "container": {"type": "view", "view_id": f"V0HOME{user}"},
        "view": {
            "id": f"V0HOME{user}",
            "type": "home",
            "callback_id": "wismo_home",
            "private_metadata": "",
            "state": {"values": {}},
        },
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": button["block_id"],
                "value": button["value"],
                "text": button["text"],
                "action_ts": "1700000000.5",
            }
        ],
    }
    assert (await desk.interact(payload)).status_code == 200


async def deliver_homes(desk: Desk) -> int:
    """Run the dispatcher over the Home refreshes that are due; how many it published."""
    sender = desk.services.senders[HOME_CHANNEL]
    stats = await Dispatcher(desk.database, desk.services.clock, {HOME_CHANNEL: sender}).run_once()
    return stats.sent


async def busy_shop(desk: Desk, clock: ManualClock) -> dict[str, int]:
    """A stuck parcel (detector), a damaged-item flag (staff), a return, a shopper waiting."""
    config = desk.services.config
    async with desk.database.transaction() as session:
        shop = await build_shop(session, clock)
        shop.order.status = "delivered"
        shop.order.delivered_at = clock.now() - timedelta(days=2)
        session.add(shop.order)
        stuck = await raise_flag(
            session, clock, config, shop.order_id, "stuck", shipment_id=shop.shipment.id,
            open_key="stuck:1",
        )  # fmt: skip
        clock.advance(minutes=30)
        assert shop.other_order.id is not None
        damaged = await raise_flag(
            session, clock, config, shop.other_order.id, "damaged", source="staff",
            note="Box <!channel> crushed", actor=f"slack:{AGENT2}",
        )  # fmt: skip
        assert shop.item.id is not None
        request = await returns.request_return(
            session, clock, config, identity=shop.shopper, order_id=shop.order_id,
            items={shop.item.id: 1}, reason="too_small",
        )  # fmt: skip
        opened = await open_thread(
            session, clock, config, shop.shopper, message="Where is it?", order_id=shop.order_id
        )
    assert stuck and damaged and stuck.id and damaged.id and request.id and opened.thread.id
    # The alert cards reach their channels (one at a time per channel, so several rounds).
    senders = {c: desk.services.senders[c] for c in ("slack", "slack_thread")}
    await Dispatcher(desk.database, clock, senders).drain()
    return {
        "stuck": stuck.id,
        "damaged": damaged.id,
        "return": request.id,
        "thread": opened.thread.id,
    }


async def test_opening_home_publishes_the_queue_and_todays_figures(
    desk: Desk, clock: ManualClock
) -> None:
    ids = await busy_shop(desk, clock)
    clock.advance(hours=2)
    async with desk.database.transaction() as session:
        for by_bot in (True, True, False):
            at = clock.now() - timedelta(minutes=5)
            session.add(
                InboundLog(channel="telegram", intent="track_order", answered_by_bot=by_bot, at=at)
            )
    await open_home(desk)
    [published] = await desk.api.wait_for("views.publish")
    assert published.args["user_id"] == AGENT
    view = published.args["view"]
    assert view["type"] == "home"
    text = home_text(published)
    assert "Support queue" in text and "Open cases" in text and "4 open cases" in text
    assert "*On time today*\\n— (no promised parcel delivered yet)" in text
    assert "*WISMO questions today*\\n3 — 2 by the bot, 1 by staff" in text
    assert f"Flag #{ids['stuck']} · Stuck (no scan for a long time)* — order 1001 · DHL" in text
    assert "raised 2 h 30 min ago · unassigned" in text
    assert f"Flag #{ids['damaged']} · Damaged* — order 1002" in text
    # The staff note is escaped: it pings nobody.
    assert "Box &lt;!channel&gt; crushed" in text and "<!channel>" not in text
    assert f"Return #{ids['return']}* — order 1001 · 1 item · reason: too small" in text
    assert f"Hand-off #{ids['thread']}* — order 1001 · waiting 2 h" in text
    assert "Nothing yet" in text  # nothing assigned to this agent so far
    # Personal data stays out: no e-mail address, street, phone or shopper's name.
    for secret in ("jane.doe@example.com", "Secret Lane", "1234567", "Jane"):
        assert secret not in text
    labels = [
        b["text"]["text"]
        for block in view["blocks"]
        if block["type"] == "actions"
        for b in block["elements"]
    ]
    assert labels.count("Assign to me") == 2 and labels.count("Resolve") == 2
    assert {"Approve", "Decline", "Take over"} <= set(labels)


async def test_someone_who_is_not_staff_sees_a_short_explanation_and_nothing_else(
    desk: Desk, clock: ManualClock
) -> None:
    await busy_shop(desk, clock)
    await open_home(desk, user=OUTSIDER)
    [published] = await desk.api.wait_for("views.publish")
    assert published.args["user_id"] == OUTSIDER
    text = home_text(published)
    assert "Only wismo support staff see it" in text
    assert "Flag #" not in text and "1001" not in text and "Return #" not in text
    assert not [b for b in published.args["view"]["blocks"] if b["type"] == "actions"]
    # Not remembered as a viewer: later changes redraw nothing for them.
    async with desk.database.transaction() as session:
        shop_order = (await session.exec(select(Flag))).first()
        assert shop_order is not None
        await raise_flag(session, clock, desk.services.config, shop_order.order_id, "lost",
                         source="staff")  # fmt: skip
    async with desk.database.session() as session:
        homes = (
            await session.exec(select(Notification).where(Notification.channel == HOME_CHANNEL))
        ).all()
    assert homes == []


async def test_a_change_redraws_the_home_once_after_the_debounce(
    desk: Desk, clock: ManualClock
) -> None:
    ids = await busy_shop(desk, clock)
    await open_home(desk)
    await desk.api.wait_for("views.publish")
    config = desk.services.config
    async with desk.database.transaction() as session:
        order_id = (await session.get(Flag, ids["stuck"])).order_id  # type: ignore[union-attr]
        for kind in ("lost", "wrong_item", "address_problem"):  # a burst of three flags
            await raise_flag(session, clock, config, order_id, kind, source="staff")
    async with desk.database.session() as session:
        homes = (
            await session.exec(select(Notification).where(Notification.channel == HOME_CHANNEL))
        ).all()
    assert [(n.recipient, n.state) for n in homes] == [(AGENT, "pending")]
    assert await deliver_homes(desk) == 0  # not due yet: more changes may follow
    clock.advance(seconds=7)
    assert await deliver_homes(desk) == 1
    [_, redrawn] = await desk.api.wait_for("views.publish", 2)
    assert redrawn.args["user_id"] == AGENT
    text = home_text(redrawn)
    assert "7 open cases" in text and "*Raised by staff* · 4 open" in text
    # The oldest three of a kind are shown, with a count of the rest.
    assert "Lost" in text and "Wrong item" in text and "Address problem" not in text
    assert "…and 1 more, oldest first." in text
    clock.advance(minutes=5)
    assert await deliver_homes(desk) == 0  # nothing changed since: nothing to redraw


async def test_assign_to_me_from_home_acts_and_redraws_at_once(
    desk: Desk, clock: ManualClock
) -> None:
    ids = await busy_shop(desk, clock)
    await open_home(desk)
    [home] = await desk.api.wait_for("views.publish")
    await click_home(desk, home_button(home, "Assign to me", f"flag:{ids['stuck']}"))
    [_, redrawn] = await desk.api.wait_for("views.publish", 2)
    text = home_text(redrawn)
    assert f"assigned to <@{AGENT}>" in text and "Nothing yet" not in text
    mine = [b["block_id"] for b in redrawn.args["view"]["blocks"] if b["type"] == "actions"]
    assert f"flag:{ids['stuck']}~mine" in mine
    # Assigned to me: no second "Assign to me" on it.
    with_buttons = [
        e["text"]["text"]
        for b in redrawn.args["view"]["blocks"]
        if b.get("block_id") == f"flag:{ids['stuck']}~mine"
        for e in b["elements"]
    ]
    assert with_buttons == ["Resolve", "Show order"]
    async with desk.database.session() as session:
        flag = await session.get(Flag, ids["stuck"])
        audit = (
            await session.exec(select(AuditEntry).where(AuditEntry.action == "flag.assign"))
        ).one()
    assert flag is not None and flag.assigned_to == f"slack:{AGENT}"
    assert (audit.actor, audit.after) == (f"slack:{AGENT}", {"assigned_to": f"slack:{AGENT}"})


async def test_approve_from_home_decides_updates_the_alert_card_and_redraws(
    desk: Desk, clock: ManualClock
) -> None:
    ids = await busy_shop(desk, clock)
    await open_home(desk)
    [home] = await desk.api.wait_for("views.publish")
    await click_home(desk, home_button(home, "Approve", f"return:{ids['return']}"))
    [_, redrawn] = await desk.api.wait_for("views.publish", 2)
    assert f"Return #{ids['return']}*" not in home_text(redrawn)
    assert "No return waits for a decision" in home_text(redrawn)
    async with desk.database.session() as session:
        request = await session.get(ReturnRequest, ids["return"])
        card = (
            await session.exec(
                select(Notification.external_ref).where(
                    Notification.subject_type == "return", Notification.kind == "return_requested"
                )
            )
        ).one()
    assert request is not None and request.state == "approved"
    assert request.decided_by == f"slack:{AGENT}"
    # The return's card in the alerts channel shows the decision in place.
    ts = card.split(":")[1]
    [updated] = [c for c in await desk.api.wait_for("chat.update") if c.args["ts"] == ts]
    assert updated.args["channel"] == ALERTS and "Approved by @jane.agent" in updated.text


async def test_take_over_from_home_takes_the_thread_its_card_says_so(
    desk: Desk, clock: ManualClock
) -> None:
    ids = await busy_shop(desk, clock)
    await open_home(desk)
    [home] = await desk.api.wait_for("views.publish")
    await click_home(desk, home_button(home, "Take over", f"handoff:{ids['thread']}"))
    [_, redrawn] = await desk.api.wait_for("views.publish", 2)
    text = home_text(redrawn)
    assert f"Hand-off #{ids['thread']}* — order 1001 · with <@{AGENT}>" in text
    assert "Hand back to the bot" in text
    async with desk.database.session() as session:
        thread = await session.get(HandoffThread, ids["thread"])
        posted = (
            await session.exec(
                select(Notification.external_ref).where(Notification.kind == "handoff_opened")
            )
        ).one()
        told = (
            await session.exec(
                select(Notification).where(
                    Notification.channel == "telegram", Notification.kind == "handoff_taken"
                )
            )
        ).all()
    assert thread is not None and thread.state == "taken"
    # The thread's ts was learnt from the outbox, so the shopper's messages reach it.
    assert posted == f"{SUPPORT}:{thread.slack_thread_ts}"
    assert told, "the shopper is told a person took over"
    [card] = [c for c in await desk.api.wait_for("chat.update") if c.args["channel"] == SUPPORT]
    assert "Take over" not in json.dumps(card.buttons())


async def test_resolving_from_home_through_the_modal_redraws_via_the_outbox(
    desk: Desk, clock: ManualClock
) -> None:
    ids = await busy_shop(desk, clock)
    await open_home(desk)
    [home] = await desk.api.wait_for("views.publish")
    await click_home(desk, home_button(home, "Resolve", f"flag:{ids['damaged']}"))
    [opened] = await desk.api.wait_for("views.open")
    assert (await desk.submit(opened.args["view"], {"note": "Sent a new one"})).status_code == 200
    async with desk.database.session() as session:
        flag = await session.get(Flag, ids["damaged"])
    assert flag is not None and flag.state == "resolved"
    clock.advance(seconds=7)
    assert await deliver_homes(desk) == 1
    [_, redrawn] = await desk.api.wait_for("views.publish", 2)
    assert f"Flag #{ids['damaged']} ·" not in home_text(redrawn)
    assert "3 open cases" in home_text(redrawn)
    # The flag's alert card in the alerts channel was updated in place as well.
    updates = [c for c in desk.api.of("chat.update") if c.args["channel"] == ALERTS]
    assert any("Resolved" in c.text for c in updates)


async def test_a_home_click_by_someone_no_longer_staff_is_refused(
    desk: Desk, clock: ManualClock
) -> None:
    ids = await busy_shop(desk, clock)
    await open_home(desk)
    [home] = await desk.api.wait_for("views.publish")
    await click_home(desk, home_button(home, "Approve", f"return:{ids['return']}"), user=OUTSIDER)
    [refusal] = await desk.api.wait_for("chat.postEphemeral")
    assert "only wismo support staff" in refusal.text
    async with desk.database.session() as session:
        request = await session.get(ReturnRequest, ids["return"])
        decided = (
            await session.exec(
                select(AuditEntry).where(col(AuditEntry.action) == "return.approved")
            )
        ).all()
    assert request is not None and request.state == "requested" and decided == []


async def test_two_replicas_publish_each_redraw_once(desk: Desk, clock: ManualClock) -> None:
    ids = await busy_shop(desk, clock)
    await open_home(desk, user=AGENT, event_id="EvHomeA")
    await open_home(desk, user=AGENT2, event_id="EvHomeB")
    await desk.api.wait_for("views.publish", 2)
    async with desk.database.transaction() as session:
        await raise_flag(session, clock, desk.services.config, 1, "lost", source="staff")
    clock.advance(seconds=7)
    sender = desk.services.senders[HOME_CHANNEL]
    replicas = [
        Dispatcher(desk.database, clock, {HOME_CHANNEL: sender}, worker=f"replica-{n}")
        for n in (1, 2)
    ]
    stats = await asyncio.gather(*(replica.drain() for replica in replicas))
    assert sum(s.sent for s in stats) == 2
    await desk.api.settle("views.publish", 4)
    redrawn = desk.api.of("views.publish")[2:]
    assert sorted(c.args["user_id"] for c in redrawn) == sorted([AGENT, AGENT2])
    assert all(f"Flag #{ids['damaged']}" in home_text(c) for c in redrawn)
