"""Return requests in Slack: the card, approve, decline with a reason, the double click."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from sqlmodel import col, select

from core.replies.reply import Reply
from core.returns import requests as returns
from core.runtime.clock import ManualClock
from core.storage.models import AuditEntry, Notification, ReturnRequest
from tests.integration.slack.conftest import AGENT, AGENT2, ALERTS, Desk
from tests.integration.slack.stand_in import Call
from tests.unit.staff_data import build_shop


def _button(call: Call, label: str) -> dict[str, object]:
    [button] = [b for b in call.buttons() if b["text"]["text"] == label]
    return button


async def _requested_return(desk: Desk, clock: ManualClock) -> tuple[int, Call, str]:
    """A shopper asks to return one mug of delivered order 1001; the card reaches Slack."""
    async with desk.database.transaction() as session:
        shop = await build_shop(session, clock)
        shop.order.status = "delivered"
        shop.order.delivered_at = clock.now() - timedelta(days=2)
        shop.shipment.status = "delivered"
        session.add_all([shop.order, shop.shipment])
        assert shop.item.id is not None
        request = await returns.request_return(
            session,
            clock,
            desk.services.config,
            identity=shop.shopper,
            order_id=shop.order_id,
            items={shop.item.id: 1},
            reason="too_small",
            comment="Runs small",
        )
    [(_, ref)] = await desk.deliver_outbox()
    [card] = desk.api.of("chat.postMessage")
    assert request.id is not None
    return request.id, card, ref.split(":")[1]


async def _shopper_messages(desk: Desk) -> list[Reply]:
    async with desk.database.session() as session:
        rows = (
            await session.exec(
                select(Notification)
                .where(Notification.channel == "telegram")
                .order_by(col(Notification.id))
            )
        ).all()
    return [Reply.from_dict(n.reply) for n in rows]


async def test_a_return_request_posts_a_card_with_approve_and_decline(
    desk: Desk, clock: ManualClock
) -> None:
    return_id, card, _ = await _requested_return(desk, clock)
    assert card.args["channel"] == ALERTS
    assert f"Return #{return_id} for order 1001" in card.text
    assert "1 × Blue mug" in card.text and "Runs small" in card.text
    buttons = card.buttons()
    assert [b["text"]["text"] for b in buttons] == ["Approve", "Decline", "Show order"]
    assert [b.get("style") for b in buttons[:2]] == ["primary", "danger"]
    assert {b["block_id"] for b in buttons} == {f"return:{return_id}"}


async def test_approve_updates_the_card_in_place_and_tells_the_shopper(
    desk: Desk, clock: ManualClock
) -> None:
    return_id, card, ts = await _requested_return(desk, clock)
    clock.advance(hours=2, minutes=2)
    response = await desk.click(_button(card, "Approve"), message_ts=ts)
    assert response.status_code == 200
    [update] = await desk.api.wait_for("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (ALERTS, ts)
    assert "Approved by @jane.agent at 14:02 UTC" in update.text
    assert [b["text"]["text"] for b in update.buttons()] == ["Mark received", "Show order"]
    async with desk.database.session() as session:
        request = await session.get(ReturnRequest, return_id)
        entry = (
            await session.exec(select(AuditEntry).where(AuditEntry.action == "return.approved"))
        ).one()
    assert request is not None and request.state == "approved"
    assert request.decided_by == f"slack:{AGENT}"
    assert entry.actor == f"slack:{AGENT}" and entry.at == clock.now()
    async with desk.database.session() as session:
        pushes = (
            await session.exec(select(Notification.kind).where(Notification.channel == "telegram"))
        ).all()
    assert list(pushes) == ["return_approved"]

    # The rest of the lifecycle happens on the same card.
    await desk.click(_button(update, "Mark received"), message_ts=ts)
    received = (await desk.api.wait_for("chat.update", 2))[1]
    assert [b["text"]["text"] for b in received.buttons()] == ["Mark refunded", "Show order"]
    await desk.click(_button(received, "Mark refunded"), message_ts=ts)
    refunded = (await desk.api.wait_for("chat.update", 3))[2]
    assert "Refunded" in refunded.text
    assert [b["text"]["text"] for b in refunded.buttons()] == ["Show order"]
    async with desk.database.session() as session:
        request = await session.get(ReturnRequest, return_id)
    assert request is not None and request.state == "refunded"


async def test_decline_asks_for_a_reason_and_a_note_for_the_shopper(
    desk: Desk, clock: ManualClock
) -> None:
    return_id, card, ts = await _requested_return(desk, clock)
    await desk.click(_button(card, "Decline"), message_ts=ts, user=AGENT2)
    [opened] = await desk.api.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == "wismo_decline"
    reasons = [o["value"] for o in view["blocks"][1]["element"]["options"]]
    assert reasons == ["final_sale", "return_period_ended", "other"]
    assert view["blocks"][2]["element"]["max_length"] == 500

    too_long = await desk.submit(
        view, {"reason": {"value": "other"}, "note": "x" * 501}, user=AGENT2
    )
    assert too_long.json()["errors"] == {"note": "At most 500 characters (501 now)."}
    no_reason = await desk.submit(view, {"note": "sorry"}, user=AGENT2)
    assert no_reason.json()["errors"] == {"reason": "Choose a reason."}
    async with desk.database.session() as session:
        request = await session.get(ReturnRequest, return_id)
    assert request is not None and request.state == "requested"

    note = "This mug was sold as final sale <!channel>"
    done = await desk.submit(view, {"reason": {"value": "final_sale"}, "note": note}, user=AGENT2)
    assert done.status_code == 200 and done.content == b""
    [update] = await desk.api.wait_for("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (ALERTS, ts)
    assert "Declined by @omar.agent at 12:00 UTC" in update.text
    assert "Final sale" in update.text
    assert "final sale &lt;!channel&gt;" in update.text and "<!channel>" not in update.text
    assert update.buttons() and "Approve" not in [b["text"]["text"] for b in update.buttons()]
    async with desk.database.session() as session:
        request = await session.get(ReturnRequest, return_id)
    assert request is not None
    assert (request.state, request.decline_reason, request.decline_note) == (
        "declined",
        "final_sale",
        note,
    )
    shopper = await _shopper_messages(desk)
    assert any(note in (s.text or "") for r in shopper for s in r.sections)


async def test_two_agents_clicking_at_once_make_exactly_one_decision(
    desk: Desk, clock: ManualClock
) -> None:
    return_id, card, ts = await _requested_return(desk, clock)
    responses = await asyncio.gather(
        desk.click(_button(card, "Approve"), message_ts=ts, user=AGENT),
        desk.click(_button(card, "Approve"), message_ts=ts, user=AGENT2),
    )
    assert [r.status_code for r in responses] == [200, 200]
    [loser_note] = await desk.api.wait_for("chat.postEphemeral")
    async with desk.database.session() as session:
        request = await session.get(ReturnRequest, return_id)
        decisions = (
            await session.exec(select(AuditEntry).where(AuditEntry.action == "return.approved"))
        ).all()
    assert request is not None and request.state == "approved"
    assert len(decisions) == 1 and decisions[0].actor == request.decided_by
    winner = {f"slack:{AGENT}": "jane.agent", f"slack:{AGENT2}": "omar.agent"}[
        str(request.decided_by)
    ]
    loser = AGENT2 if request.decided_by == f"slack:{AGENT}" else AGENT
    assert loser_note.args["user"] == loser
    assert (
        f"Return #{return_id} was already approved by @{winner} at 12:00 UTC. Nothing changed."
        in loser_note.text
    )
    await desk.api.settle("chat.postEphemeral", 1)
    # The shopper hears about the approval once.
    async with desk.database.session() as session:
        pushes = (
            await session.exec(select(Notification.kind).where(Notification.channel == "telegram"))
        ).all()
    assert list(pushes) == ["return_approved"]


async def test_decline_after_approval_shows_who_decided(desk: Desk, clock: ManualClock) -> None:
    return_id, card, ts = await _requested_return(desk, clock)
    await desk.click(_button(card, "Approve"), message_ts=ts, user=AGENT)
    await desk.api.wait_for("chat.update")
    # The second agent's screen still shows the old card with Decline.
    await desk.click(_button(card, "Decline"), message_ts=ts, user=AGENT2)
    [note] = await desk.api.wait_for("chat.postEphemeral")
    assert f"Return #{return_id} was already approved by @jane.agent at 12:00 UTC" in note.text
    assert desk.api.of("views.open") == []


async def test_a_step_out_of_order_is_refused_with_the_reason(
    desk: Desk, clock: ManualClock
) -> None:
    return_id, card, ts = await _requested_return(desk, clock)
    await desk.click(_button(card, "Approve"), message_ts=ts)
    await desk.api.wait_for("chat.update")
    refund = {
        "action_id": "return_refunded#0",
        "block_id": f"return:{return_id}",
        "value": str(return_id),
        "text": {"type": "plain_text", "text": "Mark refunded"},
    }
    await desk.click(refund, message_ts=ts, user=AGENT2)
    [note] = await desk.api.wait_for("chat.postEphemeral")
    assert f"Cannot mark it refunded: return #{return_id} is approved. Nothing changed." in (
        note.text
    )
    async with desk.database.session() as session:
        request = await session.get(ReturnRequest, return_id)
    assert request is not None and request.state == "approved"


async def test_decision_times_read_in_the_shops_time_zone(desk: Desk, clock: ManualClock) -> None:
    slack = desk.services.slack
    assert slack is not None
    slack.desk.config = replace(slack.desk.config, timezone="America/New_York")  # UTC-5
    return_id, card, ts = await _requested_return(desk, clock)
    await desk.click(_button(card, "Approve"), message_ts=ts, user=AGENT)
    [update] = await desk.api.wait_for("chat.update")
    assert "Approved by @jane.agent at 07:00 EST" in update.text
    await desk.click(_button(card, "Decline"), message_ts=ts, user=AGENT2)
    [note] = await desk.api.wait_for("chat.postEphemeral")
    assert f"Return #{return_id} was already approved by @jane.agent at 07:00 EST" in note.text
