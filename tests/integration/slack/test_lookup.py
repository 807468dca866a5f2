"""Staff look up orders: /wismo order <number|email|tracking>, /wismo help, DMs and mentions."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.runtime.clock import ManualClock
from core.storage.models import AuditEntry
from tests.integration.slack.conftest import AGENT, CHANNEL_MEMBER, WORK_CHANNEL, Desk
from tests.unit.staff_data import build_shop


@pytest.mark.parametrize("query", ["1001", "#1001", "jane.doe@example.com", "00340434161094042557"])
async def test_order_lookup_shows_the_card_to_the_agent_only(
    desk: Desk, clock: ManualClock, query: str
) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    response = await desk.command(f"order {query}")
    assert response.status_code == 200
    [call] = await desk.api.wait_for("chat.postEphemeral")
    assert (call.args["channel"], call.args["user"]) == (WORK_CHANNEL, AGENT)
    assert call.token == "xoxb-test-token"
    if "@" in query:
        assert "2 orders match" in call.text
        assert [b["value"] for b in call.buttons()] == ["1002", "1001"]
        return
    assert "*Order 1001*" in call.text
    assert "j***@example.com" in call.text and "Berlin, DE" in call.text
    assert "Arrived at hub" in call.text
    assert "12 Secret Lane" not in call.text and "jane.doe@example.com" not in call.text
    assert [b["text"]["text"] for b in call.buttons()] == ["Flag issue", "Refresh"]
    assert {b["block_id"] for b in call.buttons()} == {"order:1001"}
    async with desk.database.session() as session:
        entry = (await session.exec(select(AuditEntry))).one()
    assert (entry.actor, entry.action, entry.subject_id) == (
        f"slack:{AGENT}",
        "order.lookup",
        "1001",
    )


async def test_a_member_of_the_staff_channel_is_staff(desk: Desk, clock: ManualClock) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    await desk.command("order 1001", user=CHANNEL_MEMBER)
    [card] = await desk.api.wait_for("chat.postEphemeral")
    assert "*Order 1001*" in card.text
    [members] = desk.api.of("conversations.members")
    assert members.args["channel"] == "C0STAFF"
    # The membership list is cached: a second look-up does not ask Slack again.
    await desk.command("order 1001", user=CHANNEL_MEMBER)
    await desk.api.wait_for("chat.postEphemeral", 2)
    assert len(desk.api.of("conversations.members")) == 1


async def test_unknown_order_says_how_to_search(desk: Desk) -> None:
    await desk.command("order 4242")
    [call] = await desk.api.wait_for("chat.postEphemeral")
    assert "No order matches “4242”" in call.text


async def test_help_lists_the_commands(desk: Desk) -> None:
    await desk.command("help")
    [call] = await desk.api.wait_for("chat.postEphemeral")
    assert "/wismo order &lt;order number | e-mail | tracking number&gt;" in call.text
    assert "/wismo flag &lt;order number&gt;" in call.text
    assert "Look up order or Flag issue in any message's More actions menu" in call.text


async def test_a_direct_message_about_an_order_gets_the_card(
    desk: Desk, clock: ManualClock
) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D0AGENT",
        "user": AGENT,
        "text": "where is order 1001?",
        "ts": "1700000001.000100",
    }
    response = await desk.event(event)
    assert response.status_code == 200
    [call] = await desk.api.wait_for("chat.postMessage")
    assert call.args["channel"] == "D0AGENT"
    assert "*Order 1001*" in call.text


async def test_a_mention_in_a_channel_answers_only_the_asker(
    desk: Desk, clock: ManualClock
) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    event = {
        "type": "app_mention",
        "channel": WORK_CHANNEL,
        "user": AGENT,
        "text": "<@U0BOT> what about parcel 00340434161094042557",
        "ts": "1700000001.000200",
    }
    await desk.event(event)
    [call] = await desk.api.wait_for("chat.postEphemeral")
    assert (call.args["channel"], call.args["user"]) == (WORK_CHANNEL, AGENT)
    assert "*Order 1001*" in call.text
    assert desk.api.of("chat.postMessage") == []


async def test_in_a_channel_without_the_bot_the_answer_comes_by_dm(
    desk: Desk, clock: ManualClock
) -> None:
    async with desk.database.transaction() as session:
        await build_shop(session, clock)
    desk.api.answers["chat.postEphemeral"] = {"ok": False, "error": "not_in_channel"}
    await desk.command("order 1001", channel="C0ELSEWHERE")
    [dm] = await desk.api.wait_for("chat.postMessage")
    assert dm.args["channel"] == AGENT
    assert "*Order 1001*" in dm.text
