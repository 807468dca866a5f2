"""The "Look up order" and "Flag issue" message shortcuts, through slack-bolt over signed HTTP."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from core.runtime.clock import ManualClock
from core.storage.models import AuditEntry, Flag
from tests.integration.slack.conftest import AGENT, OUTSIDER, WORK_CHANNEL, Desk
from tests.unit.staff_data import build_shop

FORWARDED = (
    "Forwarded from <mailto:jane.doe@example.com|jane.doe@example.com>: where is my parcel "
    "00340434161094042557? cc <@U0AGENT2>"
)


async def _shop(desk: Desk, clock: ManualClock) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)  # orders 1001 (DHL 00340434161094042557) and 1002


async def _audit(desk: Desk, action: str) -> list[AuditEntry]:
    async with desk.database.session() as session:
        rows = await session.exec(select(AuditEntry).where(AuditEntry.action == action))
        return list(rows.all())


def _selected(view: dict[str, Any], block_id: str) -> Any:
    [block] = [b for b in view["blocks"] if b.get("block_id") == block_id]
    return block["element"]


async def test_look_up_shows_every_order_the_message_mentions_to_the_asker_only(
    desk: Desk, clock: ManualClock
) -> None:
    await _shop(desk, clock)
    response = await desk.shortcut("lookup_order", FORWARDED)
    assert response.status_code == 200 and response.content == b""
    picks, card = await desk.api.wait_for("chat.postEphemeral", 2)
    for answer in (picks, card):
        assert (answer.args["channel"], answer.args["user"]) == (WORK_CHANNEL, AGENT)
    # The e-mail has two orders: a pick list; the tracking number is order 1001's.
    assert "2 orders match" in picks.text and "Order 1002" in picks.text
    assert "Order 1001" in card.text and "00340434161094042557" in card.text
    assert "j***@example.com" in card.text and "jane.doe@example.com" not in card.text
    assert "Secret Lane" not in card.text
    assert desk.api.of("chat.postMessage") == []  # nothing for the channel to see
    lookups = await _audit(desk, "order.lookup")
    assert [(e.actor, e.after) for e in lookups] == [
        (f"slack:{AGENT}", {"intent": "staff_orders", "via": "message_shortcut"}),
        (f"slack:{AGENT}", {"intent": "staff_order", "via": "message_shortcut"}),
    ]


async def test_one_order_named_twice_gets_one_card(desk: Desk, clock: ManualClock) -> None:
    await _shop(desk, clock)
    await desk.shortcut("lookup_order", "Is #1001 (00340434161094042557) out for delivery?")
    [card] = await desk.api.wait_for("chat.postEphemeral")
    assert "Order 1001" in card.text
    await desk.api.settle("chat.postEphemeral", 1)


async def test_a_message_with_nothing_to_look_up_says_so(desk: Desk, clock: ManualClock) -> None:
    await _shop(desk, clock)
    await desk.shortcut("lookup_order", "Lunch at 12?")
    [answer] = await desk.api.wait_for("chat.postEphemeral")
    assert "I found no order number, tracking number or e-mail address" in answer.text
    await desk.shortcut("lookup_order", "What about order 4711?")
    second = (await desk.api.wait_for("chat.postEphemeral", 2))[1]
    assert "No order matches 4711." in second.text


async def test_attachments_that_are_not_a_list_are_read_as_none(
    desk: Desk, clock: ManualClock
) -> None:
    # Found by the payload fuzzer: `"attachments": true` failed the listener.
    await _shop(desk, clock)
    response = await desk.shortcut("lookup_order", "Where is #1001?", attachments=True)  # type: ignore[arg-type]
    assert response.status_code == 200
    [card] = await desk.api.wait_for("chat.postEphemeral")
    assert "Order 1001" in card.text


async def test_where_the_bot_is_not_in_the_channel_the_cards_go_to_a_dm(
    desk: Desk, clock: ManualClock
) -> None:
    await _shop(desk, clock)
    desk.api.answers["chat.postEphemeral"] = {"ok": False, "error": "not_in_channel"}
    await desk.shortcut("lookup_order", "order 1001 please")
    [dm] = await desk.api.wait_for("chat.postMessage")
    assert dm.args["channel"] == AGENT and "Order 1001" in dm.text


async def test_non_staff_are_refused_and_learn_nothing(desk: Desk, clock: ManualClock) -> None:
    await _shop(desk, clock)
    await desk.shortcut("lookup_order", FORWARDED, user=OUTSIDER)
    await desk.shortcut("flag_issue", "order 1001 is broken", user=OUTSIDER)
    refusals = await desk.api.wait_for("chat.postEphemeral", 2)
    for refusal in refusals:
        assert refusal.args["user"] == OUTSIDER and "only wismo support staff" in refusal.text
        assert "1001" not in refusal.text and "Jane" not in refusal.text
    assert desk.api.of("views.open") == []
    assert await _audit(desk, "order.lookup") == []


async def test_flag_issue_opens_the_flag_modal_prefilled(desk: Desk, clock: ManualClock) -> None:
    await _shop(desk, clock)
    text = "Customer says order 1001 arrived crushed, the mug is in pieces"
    await desk.shortcut("flag_issue", text)
    [opened] = await desk.api.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == "wismo_flag" and "Order 1001" in str(view["blocks"][0])
    assert _selected(view, "kind")["initial_option"]["value"] == "damaged"
    assert _selected(view, "note")["initial_value"] == f"From Slack: {text}"

    done = await desk.submit(
        view, {"kind": {"value": "damaged"}, "note": "Box crushed", "notify": {"value": "no"}}
    )
    assert done.status_code == 200 and done.content == b""
    [confirmed] = await desk.api.wait_for("chat.postEphemeral")
    assert "Flag #1 (Damaged) raised on order 1001." in confirmed.text
    assert confirmed.args["channel"] == WORK_CHANNEL
    async with desk.database.session() as session:
        flag = (await session.exec(select(Flag))).one()
    assert (flag.kind, flag.raised_by, flag.note) == ("damaged", f"slack:{AGENT}", "Box crushed")
    assert desk.api.of("chat.update") == []  # the colleague's message is never edited


async def test_flag_issue_without_an_order_says_how(desk: Desk, clock: ManualClock) -> None:
    await _shop(desk, clock)
    await desk.shortcut("flag_issue", "Something is off with the DHL pickups today")
    [note] = await desk.api.wait_for("chat.postEphemeral")
    assert "I found no single order in that message" in note.text
    assert desk.api.of("views.open") == []
