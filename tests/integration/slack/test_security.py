"""Unsigned requests are refused; only staff act; redeliveries count once; text stays inert."""

from __future__ import annotations

import time
from typing import Any

from sqlmodel import select

from core.runtime.clock import ManualClock
from core.staff.flags import raise_flag
from core.storage.models import AuditEntry, Flag, ProcessedUpdate, ReturnRequest
from tests.integration.slack.conftest import AGENT, ALERTS, OUTSIDER, WORK_CHANNEL, Desk
from tests.unit.staff_data import HOSTILE, add_return, build_shop


async def _audit(desk: Desk) -> list[AuditEntry]:
    async with desk.database.session() as session:
        return list((await session.exec(select(AuditEntry))).all())


async def test_a_bad_signature_gets_401_and_nothing_happens(desk: Desk, clock: ManualClock) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    response = await desk.command("order 1001", secret="not-the-signing-secret")
    assert response.status_code == 401
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": AGENT,
        "text": "order 1001",
        "ts": "1.1",
    }
    assert (await desk.event(event, secret="forged")).status_code == 401
    assert desk.api.calls == []  # not even auth.test
    assert await _audit(desk) == []
    async with desk.database.session() as session:
        assert (await session.exec(select(ProcessedUpdate))).all() == []


async def test_a_stale_timestamp_gets_401_and_nothing_happens(
    desk: Desk, clock: ManualClock
) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    six_minutes_ago = int(time.time()) - 6 * 60
    response = await desk.command("order 1001", timestamp=six_minutes_ago)
    assert response.status_code == 401
    assert desk.api.calls == []
    assert await _audit(desk) == []


async def test_non_staff_are_refused_every_staff_action(desk: Desk, clock: ManualClock) -> None:
    async with desk.database.transaction() as session:
        shop = await build_shop(session, clock)
        request = await add_return(session, clock, shop)
    await desk.command("order 1001", user=OUTSIDER)
    [refusal] = await desk.api.wait_for("chat.postEphemeral")
    assert refusal.args["user"] == OUTSIDER
    assert "only wismo support staff can do that" in refusal.text
    assert "Order 1001" not in refusal.text

    await desk.command("flag 1001", user=OUTSIDER)
    await desk.api.wait_for("chat.postEphemeral", 2)
    assert desk.api.of("views.open") == []

    approve = {
        "action_id": "return_approve#0",
        "block_id": f"return:{request.id}",
        "value": str(request.id),
        "text": {"type": "plain_text", "text": "Approve"},
    }
    response = await desk.click(approve, user=OUTSIDER)
    assert response.status_code == 200
    calls = await desk.api.wait_for("chat.postEphemeral", 3)
    assert calls[2].args["user"] == OUTSIDER and "only wismo support staff" in calls[2].text
    async with desk.database.session() as session:
        stored = await session.get(ReturnRequest, request.id)
        assert stored is not None and stored.state == "requested"
        assert (await session.exec(select(Flag))).all() == []
    assert desk.api.of("chat.update") == []
    assert await _audit(desk) == []


async def test_a_user_of_another_workspace_is_refused_even_when_listed(
    desk: Desk, clock: ManualClock
) -> None:
    async with desk.database.transaction() as session:
        shop = await build_shop(session, clock)
        request = await add_return(session, clock, shop)
    approve = {
        "action_id": "return_approve#0",
        "block_id": f"return:{request.id}",
        "value": str(request.id),
        "text": {"type": "plain_text", "text": "Approve"},
    }
    # Same user id as a staff member, but clicking from a connected workspace.
    await desk.click(approve, user=AGENT, team="T0OTHERORG")
    [refusal] = await desk.api.wait_for("chat.postEphemeral")
    assert "only from members of its own workspace" in refusal.text
    async with desk.database.session() as session:
        stored = await session.get(ReturnRequest, request.id)
    assert stored is not None and stored.state == "requested"


async def test_a_modal_submitted_by_non_staff_changes_nothing(
    desk: Desk, clock: ManualClock
) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    view = {"callback_id": "wismo_flag", "private_metadata": '{"subject":"1001"}'}
    response = await desk.submit(
        view, {"kind": {"value": "lost"}, "note": "x", "notify": {"value": "no"}}, user=OUTSIDER
    )
    assert response.status_code == 200
    assert response.json()["response_action"] == "errors"
    assert "only wismo support staff" in response.json()["errors"]["kind"]
    async with desk.database.session() as session:
        assert (await session.exec(select(Flag))).all() == []


async def test_a_redelivered_event_is_handled_once(desk: Desk, clock: ManualClock) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0AGENT",
        "user": AGENT,
        "text": "order 1001",
        "ts": "1700000001.000100",
    }
    assert (await desk.event(event, event_id="Ev0RETRY")).status_code == 200
    await desk.api.wait_for("chat.postMessage")
    for retry in (1, 2):
        response = await desk.event(event, event_id="Ev0RETRY", retry=retry)
        assert response.status_code == 200
    # A different event is still answered; the retries never are.
    await desk.event({**event, "ts": "1700000002.0"}, event_id="Ev0OTHER")
    await desk.api.wait_for("chat.postMessage", 2)
    await desk.api.settle("chat.postMessage", 2)
    lookups = [e for e in await _audit(desk) if e.action == "order.lookup"]
    assert len(lookups) == 2


async def test_an_event_that_failed_before_its_ack_is_handled_on_redelivery(
    desk: Desk, clock: ManualClock
) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    failures = [RuntimeError("database went away")]

    async def fails_once(next: Any) -> None:  # runs after the redelivery check
        if failures:
            raise failures.pop()
        await next()

    desk.services.slack.app.middleware(fails_once)
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0AGENT",
        "user": AGENT,
        "text": "order 1001",
        "ts": "1700000001.000100",
    }
    assert (await desk.event(event, event_id="Ev0CRASH")).status_code == 500
    assert desk.api.of("chat.postMessage") == []
    # Slack redelivers what got a 500; this time it is answered.
    assert (await desk.event(event, event_id="Ev0CRASH", retry=1)).status_code == 200
    [answer] = await desk.api.wait_for("chat.postMessage")
    assert "Order 1001" in answer.text
    assert (await desk.event(event, event_id="Ev0CRASH", retry=2)).status_code == 200
    await desk.api.settle("chat.postMessage", 1)


async def test_a_replayed_signed_command_acts_once(desk: Desk, clock: ManualClock) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    assert (await desk.command("order 1001")).status_code == 200
    await desk.api.wait_for("chat.postEphemeral")
    for _ in range(3):  # the same signed request, within its 5 minutes
        replayed = await desk.replay()
        assert replayed.status_code == 200
    # A new command (Slack signs each one afresh) is still answered.
    await desk.command("order 1001")
    await desk.api.wait_for("chat.postEphemeral", 2)
    await desk.api.settle("chat.postEphemeral", 2)
    lookups = [e for e in await _audit(desk) if e.action == "order.lookup"]
    assert len(lookups) == 2


async def test_a_replayed_button_click_acts_once(desk: Desk, clock: ManualClock) -> None:
    from tests.integration.slack.test_return_flow import _button, _requested_return

    _, card, ts = await _requested_return(desk, clock)
    assert (await desk.click(_button(card, "Approve"), message_ts=ts)).status_code == 200
    await desk.api.wait_for("chat.update")
    calls = len(desk.api.calls)
    for _ in range(2):
        assert (await desk.replay()).status_code == 200
    await desk.api.settle("chat.update", 1)
    # Not even an "already approved" answer: the replay never reached the desk.
    assert len(desk.api.calls) == calls
    approvals = [e for e in await _audit(desk) if e.action == "return.approved"]
    assert len(approvals) == 1


async def test_hostile_text_can_neither_ping_nor_link(desk: Desk, clock: ManualClock) -> None:
    async with desk.database.transaction() as session:
        shop = await build_shop(session, clock, note=HOSTILE, product=HOSTILE)
        await raise_flag(
            session,
            clock,
            desk.services.config,
            shop.order_id,
            "other",
            source="staff",
            actor=f"slack:{AGENT}",
            note=HOSTILE,
        )
    await desk.command("order 1001")
    [card] = await desk.api.wait_for("chat.postEphemeral")
    [alert] = await desk.deliver_outbox()
    [posted] = desk.api.of("chat.postMessage")
    assert posted.args["channel"] == ALERTS and alert[1].startswith(f"{ALERTS}:")
    for call in (card, posted):
        assert "<!channel>" not in call.text and "<http" not in call.text
        assert "<@U0ADMIN>" not in call.text
        assert "&lt;!channel&gt; &amp; &lt;http://evil.example|click here&gt;" in call.text
    assert card.args["channel"] == WORK_CHANNEL


async def test_a_429_is_retried_after_retry_after(desk: Desk, clock: ManualClock) -> None:
    async with desk.database.transaction() as session:
        shop = await build_shop(session, clock)
        await raise_flag(session, clock, desk.services.config, shop.order_id, "late")
    desk.api.rate_limit("chat.postMessage", times=1, retry_after=0)
    [(_, ref)] = await desk.deliver_outbox()
    posts = desk.api.of("chat.postMessage")
    assert len(posts) == 2  # the 429, then the retry that went through
    assert ref == f"{ALERTS}:1700000000.000001"


async def test_a_non_staff_direct_message_is_refused(desk: Desk, clock: ManualClock) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0SHOP",
        "user": OUTSIDER,
        "text": "where is order 1001",
        "ts": "1700000001.000100",
    }
    await desk.event(event)
    [answer] = await desk.api.wait_for("chat.postMessage")
    assert answer.args["channel"] == "D0SHOP"
    assert "only wismo support staff can do that" in answer.text
    assert "Jane" not in answer.text and await _audit(desk) == []
