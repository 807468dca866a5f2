"""Acknowledge first: under a slow, rate-limited Slack every ack (and every views.open) comes
inside Slack's 3 seconds, and what the ack could not say arrives privately afterwards.

The stand-in answers `conversations.members` (the staff check of a channel member) or
`users.info` (the name of whoever won a race) only after a 429 with Retry-After and a slow
answer: four seconds or more in all, as a busy workspace can take.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
from sqlmodel import select

from core.returns import requests as returns
from core.runtime.clock import ManualClock
from core.staff import raise_flag, resolve_flag
from core.storage.models import Flag, ReturnRequest
from tests.integration.slack.conftest import AGENT2, ALERTS, CHANNEL_MEMBER, OUTSIDER, Desk
from tests.unit.staff_data import build_shop

SLACK_LIMIT = 3.0


def _slow(desk: Desk, method: str, times: int = 1) -> None:
    """`method` answers 429 (Retry-After 2 s) `times` times, and every answer takes a second."""
    desk.api.rate_limit(method, times=times, retry_after=2)
    desk.api.slow_down(method, 1.0)


async def _timed(request: Callable[[], Awaitable[httpx.Response]]) -> tuple[float, httpx.Response]:
    started = time.monotonic()
    response = await request()
    return time.monotonic() - started, response


async def _shop(desk: Desk, clock: ManualClock) -> tuple[int, int]:
    """Order 1001 (delivered), an open flag, a requested return, their alerts: (flag, return)."""
    async with desk.database.transaction() as session:
        shop = await build_shop(session, clock)
        shop.order.status = "delivered"
        shop.order.delivered_at = clock.now() - timedelta(days=2)
        session.add(shop.order)
        flag = await raise_flag(session, clock, desk.services.config, shop.order_id, "late")
        assert shop.item.id is not None and flag is not None and flag.id is not None
        flag_id = flag.id
    await desk.deliver_outbox()  # the alerts are updated in place later
    clock.advance(minutes=1)  # one message a second per channel
    async with desk.database.transaction() as session:
        request = await returns.request_return(
            session,
            clock,
            desk.services.config,
            identity=shop.shopper,
            order_id=shop.order_id,
            items={shop.item.id: 1},
            reason="too_small",
        )
        assert request.id is not None
        return_id = request.id
    await desk.deliver_outbox()
    return flag_id, return_id


def _view(callback: str, subject: int | str) -> dict[str, Any]:
    return {
        "callback_id": callback,
        "private_metadata": f'{{"subject":"{subject}","channel":"{ALERTS}"}}',
    }


async def test_submissions_ack_in_time_while_the_staff_check_waits_on_slack(
    desk: Desk, clock: ManualClock
) -> None:
    flag_id, return_id = await _shop(desk, clock)
    _slow(desk, "conversations.members")
    lost = {"kind": {"value": "lost"}, "note": "Not scanned", "notify": {"value": "no"}}
    timed = await asyncio.gather(
        _timed(lambda: desk.submit(_view("wismo_flag", "1001"), lost, user=CHANNEL_MEMBER)),
        _timed(
            lambda: desk.submit(
                _view("wismo_resolve", flag_id), {"note": "Found it"}, user=CHANNEL_MEMBER
            )
        ),
        _timed(
            lambda: desk.submit(
                _view("wismo_decline", return_id),
                {"reason": {"value": "final_sale"}, "note": "Sorry"},
                user=CHANNEL_MEMBER,
            )
        ),
        _timed(lambda: desk.submit(_view("wismo_flag", "1001"), lost, user=OUTSIDER)),
    )
    for elapsed, response in timed:
        assert elapsed < SLACK_LIMIT, elapsed
        assert response.status_code == 200 and response.content == b""  # the modal closes
    # The staff check ends after the acks; the work is done, and the outsider is told no.
    notes = await desk.api.wait_for("chat.postEphemeral", 2, within=10)
    await desk.api.wait_for("chat.update", 2, within=10)  # the alerts of the flag and the return
    texts = {note.args["user"]: note.text for note in notes}
    assert "Flag #2 (Lost) raised on order 1001." in texts[CHANNEL_MEMBER]
    assert "only wismo support staff" in texts[OUTSIDER]
    async with desk.database.session() as session:
        flags = {f.id: f for f in (await session.exec(select(Flag))).all()}
        request = await session.get(ReturnRequest, return_id)
    assert sorted(flags) == [flag_id, 2]  # one flag raised, by the member, none by the outsider
    assert flags[flag_id].state == "resolved" and flags[2].raised_by == f"slack:{CHANNEL_MEMBER}"
    assert request is not None and request.state == "declined"


async def test_a_lost_race_answers_in_the_modal_without_waiting_for_users_info(
    desk: Desk, clock: ManualClock
) -> None:
    flag_id, return_id = await _shop(desk, clock)
    async with desk.database.transaction() as session:  # someone decided both a moment ago
        await resolve_flag(session, clock, flag_id, actor=f"slack:{CHANNEL_MEMBER}", note="ok")
        await returns.approve(
            session, clock, desk.services.config, return_id, actor=f"slack:{CHANNEL_MEMBER}"
        )
    _slow(desk, "users.info", times=2)  # each submission asks for the name itself
    (resolve_took, resolved), (decline_took, declined) = await asyncio.gather(
        _timed(lambda: desk.submit(_view("wismo_resolve", flag_id), {"note": "Done"}, user=AGENT2)),
        _timed(
            lambda: desk.submit(
                _view("wismo_decline", return_id), {"reason": {"value": "other"}}, user=AGENT2
            )
        ),
    )
    assert resolve_took < SLACK_LIMIT and decline_took < SLACK_LIMIT
    assert resolved.json()["errors"] == {
        "note": f"Already resolved by @{CHANNEL_MEMBER} at 2026-11-02 12:01 UTC. Nothing changed."
    }
    assert declined.json()["errors"] == {
        "reason": f"Return #{return_id} was already approved by @{CHANNEL_MEMBER} at 12:01 UTC."
        " Nothing changed."
    }


async def test_modals_open_while_the_trigger_id_lives(desk: Desk, clock: ManualClock) -> None:
    flag_id, return_id = await _shop(desk, clock)
    _slow(desk, "conversations.members")
    resolve = {
        "action_id": "flag_resolve#0",
        "block_id": f"flag:{flag_id}",
        "value": str(flag_id),
        "text": {"type": "plain_text", "text": "Resolve"},
    }
    decline = {
        "action_id": "return_decline#1",
        "block_id": f"return:{return_id}",
        "value": str(return_id),
        "text": {"type": "plain_text", "text": "Decline"},
    }
    started = time.monotonic()
    acks = await asyncio.gather(
        desk.click(resolve, user=CHANNEL_MEMBER),
        desk.command("flag 1001", user=CHANNEL_MEMBER),
        desk.click(decline, user=OUTSIDER),
    )
    assert all(r.status_code == 200 for r in acks)
    assert time.monotonic() - started < SLACK_LIMIT
    opened = await desk.api.wait_for("views.open", 3)
    assert all(call.at - started < SLACK_LIMIT for call in opened)
    assert sorted(c.args["view"]["callback_id"] for c in opened) == [
        "wismo_decline",
        "wismo_flag",
        "wismo_resolve",
    ]
    # The outsider's modal turns into the refusal once the check is done; nothing else opens.
    [replaced] = await desk.api.wait_for("views.update", within=10)
    assert "only wismo support staff" in str(replaced.args["view"])
    [refusal] = await desk.api.wait_for("chat.postEphemeral", within=10)
    assert refusal.args["user"] == OUTSIDER and "only wismo support staff" in refusal.text
    await desk.api.settle("views.update", 1)


async def test_past_the_ack_a_lost_race_is_told_privately_with_the_winners_name(
    desk: Desk, clock: ManualClock
) -> None:
    flag_id, _ = await _shop(desk, clock)
    async with desk.database.transaction() as session:
        await resolve_flag(session, clock, flag_id, actor=f"slack:{AGENT2}", note="ok")
    _slow(desk, "conversations.members")  # the member's staff check outlasts the ack
    elapsed, response = await _timed(
        lambda: desk.submit(_view("wismo_resolve", flag_id), {"note": "Done"}, user=CHANNEL_MEMBER)
    )
    assert elapsed < SLACK_LIMIT and response.content == b""
    [told] = await desk.api.wait_for("chat.postEphemeral", within=10)
    assert (told.args["channel"], told.args["user"]) == (ALERTS, CHANNEL_MEMBER)
    assert "Already resolved by @omar.agent at 2026-11-02 12:01 UTC. Nothing changed." in told.text
