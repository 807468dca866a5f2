"""Flag an issue from Slack (command or button, modal), see it on the card, resolve it."""

from __future__ import annotations

import json

from sqlmodel import col, select

from core.runtime.clock import ManualClock
from core.staff.flags import raise_flag
from core.storage.models import AuditEntry, Flag, Notification
from tests.integration.slack.conftest import AGENT, ALERTS, OUTSIDER, WORK_CHANNEL, Desk
from tests.integration.slack.stand_in import Call
from tests.unit.staff_data import build_shop


def _button(call: Call, label: str) -> dict[str, object]:
    [button] = [b for b in call.buttons() if b["text"]["text"] == label]
    return button


async def test_flag_command_opens_the_modal_and_the_submission_raises_the_flag(
    desk: Desk, clock: ManualClock
) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    await desk.command("flag 1001")
    [opened] = await desk.api.wait_for("views.open")
    view = opened.args["view"]
    assert opened.args["trigger_id"] == "1337.42.trigger"
    assert view["callback_id"] == "wismo_flag"
    kinds = [o["value"] for o in view["blocks"][1]["element"]["options"]]
    assert kinds == ["delayed", "damaged", "lost", "wrong_item", "address_problem", "other"]
    assert json.loads(view["private_metadata"])["subject"] == "1001"

    response = await desk.submit(
        view,
        {"kind": {"value": "damaged"}, "note": "Box crushed", "notify": {"value": "yes"}},
    )
    assert response.status_code == 200 and response.content == b""
    [confirmation] = await desk.api.wait_for("chat.postEphemeral")
    assert confirmation.args["channel"] == WORK_CHANNEL
    assert "Flag #1 (Damaged) raised on order 1001. The shopper gets a short notice." in (
        confirmation.text
    )
    async with desk.database.session() as session:
        flag = (await session.exec(select(Flag))).one()
        audit = (await session.exec(select(AuditEntry))).one()
        outbox = (await session.exec(select(Notification).order_by(col(Notification.id)))).all()
    assert (flag.kind, flag.note, flag.source, flag.raised_by, flag.notify_shopper) == (
        "damaged",
        "Box crushed",
        "staff",
        f"slack:{AGENT}",
        True,
    )
    assert (audit.actor, audit.action) == (f"slack:{AGENT}", "flag.raise")
    assert [(n.channel, n.recipient) for n in outbox] == [("slack", ALERTS), ("telegram", "555")]

    # The alert lands in the alerts channel with the flag's buttons.
    await desk.deliver_outbox()
    [alert] = desk.api.of("chat.postMessage")
    assert alert.args["channel"] == ALERTS
    assert "Flag #1 on order 1001: Damaged" in alert.text and "Box crushed" in alert.text
    assert [b["text"]["text"] for b in alert.buttons()] == ["Resolve", "Show order", "Flag issue"]


async def test_flag_modal_refuses_a_missing_kind(desk: Desk, clock: ManualClock) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    view = {"callback_id": "wismo_flag", "private_metadata": '{"subject":"1001"}'}
    response = await desk.submit(view, {"note": "?", "notify": {"value": "no"}})
    assert response.json() == {
        "response_action": "errors",
        "errors": {"kind": "Choose what is wrong."},
    }
    async with desk.database.session() as session:
        assert (await session.exec(select(Flag))).all() == []


async def test_flag_button_on_an_ephemeral_card_updates_that_card(
    desk: Desk, clock: ManualClock
) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    await desk.command("order 1001")
    [card] = await desk.api.wait_for("chat.postEphemeral")
    await desk.click(
        _button(card, "Flag issue"), channel=WORK_CHANNEL, message_ts=None, response_url="card1"
    )
    [opened] = await desk.api.wait_for("views.open")
    await desk.submit(
        opened.args["view"],
        {"kind": {"value": "wrong_item"}, "note": "", "notify": {"value": "no"}},
    )
    [replaced] = await desk.api.wait_for("response:card1")
    assert replaced.args["replace_original"] is True
    assert "Open flags" in replaced.text and "Wrong item" in replaced.text
    assert "Resolve flag #1" in [b["text"]["text"] for b in replaced.buttons()]


async def test_resolving_from_the_alert_updates_it_in_place(desk: Desk, clock: ManualClock) -> None:
    async with desk.database.transaction() as session:
        shop = await build_shop(session, clock)
        await raise_flag(
            session, clock, desk.services.config, shop.order_id, "stuck", open_key="stuck:1"
        )
    [(_, ref)] = await desk.deliver_outbox()
    channel, ts = ref.split(":")
    [alert] = desk.api.of("chat.postMessage")
    assert "Flag #1 on order 1001: Stuck (no scan for a long time)" in alert.text

    await desk.click(_button(alert, "Resolve"), channel=channel, message_ts=ts)
    [opened] = await desk.api.wait_for("views.open")
    assert opened.args["view"]["callback_id"] == "wismo_resolve"

    empty = await desk.submit(opened.args["view"], {"note": "  "})
    assert empty.json()["errors"] == {"note": "Say what was done."}

    clock.advance(minutes=90)
    done = await desk.submit(opened.args["view"], {"note": "Carrier found it"})
    assert done.status_code == 200 and done.content == b""
    [update] = await desk.api.wait_for("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (ALERTS, ts)
    assert "Resolved" in update.text and "by @jane.agent" in update.text
    assert "Carrier found it" in update.text
    assert "Resolve" not in [b["text"]["text"] for b in update.buttons()]
    async with desk.database.session() as session:
        flag = (await session.exec(select(Flag))).one()
        entry = (
            await session.exec(select(AuditEntry).where(AuditEntry.action == "flag.resolve"))
        ).one()
    assert (flag.state, flag.resolved_by, flag.resolution_note) == (
        "resolved",
        f"slack:{AGENT}",
        "Carrier found it",
    )
    assert entry.before is not None and entry.before["state"] == "open"
    assert entry.after is not None and entry.after["state"] == "resolved"

    # A second agent's late click learns who resolved it; nothing changes.
    await desk.click(_button(alert, "Resolve"), channel=channel, message_ts=ts, user="U0AGENT2")
    [late] = await desk.api.wait_for("chat.postEphemeral")
    assert "Flag #1 was already resolved by @jane.agent at 2026-11-02 13:30 UTC." in late.text


async def test_non_staff_cannot_open_the_resolve_modal(desk: Desk, clock: ManualClock) -> None:
    async with desk.database.transaction() as session:
        shop = await build_shop(session, clock)
        await raise_flag(session, clock, desk.services.config, shop.order_id, "late")
    await desk.deliver_outbox()
    [alert] = desk.api.of("chat.postMessage")
    await desk.click(_button(alert, "Resolve"), user=OUTSIDER)
    [refusal] = await desk.api.wait_for("chat.postEphemeral")
    assert "only wismo support staff" in refusal.text
    assert desk.api.of("views.open") == []


async def test_resolving_from_the_order_card_updates_the_card_and_the_alert(
    desk: Desk, clock: ManualClock
) -> None:
    async with desk.database.transaction() as session:
        shop = await build_shop(session, clock)
        await raise_flag(session, clock, desk.services.config, shop.order_id, "exception")
    [(_, ref)] = await desk.deliver_outbox()
    await desk.command("order 1001")
    [card] = await desk.api.wait_for("chat.postEphemeral")
    assert "Open flags" in card.text and "Carrier exception" in card.text
    await desk.click(
        _button(card, "Resolve flag #1"),
        channel=WORK_CHANNEL,
        message_ts=None,
        response_url="card1",
    )
    [opened] = await desk.api.wait_for("views.open")
    await desk.submit(opened.args["view"], {"note": "Customs cleared it"})
    [replaced] = await desk.api.wait_for("response:card1")
    assert "Open flags" not in replaced.text
    assert "Resolve flag #1" not in [b["text"]["text"] for b in replaced.buttons()]
    [alert_update] = await desk.api.wait_for("chat.update")
    assert (alert_update.args["channel"], alert_update.args["ts"]) == tuple(ref.split(":"))
    assert "Customs cleared it" in alert_update.text and "(Resolved)" in alert_update.text
