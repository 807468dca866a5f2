"""Opening a staff modal (flag, resolve, decline) while its `trigger_id` still lives.

Slack's trigger_id expires about 3 seconds after the click. The staff check may need
`conversations.members`, which a 429 can hold up past that; so the check is waited for only
`OPEN_BUDGET` seconds. When it is slower, the modal (built from local data) opens first and
is replaced by the refusal should the person turn out not to be staff — the submission
checks again anyway, so nothing can be changed from it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from adapters.slack import cards
from adapters.slack.deadline import OPEN_BUDGET, in_time
from adapters.slack.desk import StaffDesk, already_decided_text, say_privately
from adapters.slack.errors import slack_error
from adapters.slack.modals import Origin, decline_modal, flag_modal, notice_modal, resolve_modal
from core.returns import AlreadyDecided
from core.staff import FlagNotFound, actor_label, flag_card_of, flag_label, when
from core.storage import Flag, Order, ReturnRequest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opening:
    """What a modal button leads to: the modal, or a note instead (and whether to redraw)."""

    view: dict[str, Any] | None = None
    note: str | None = None
    refresh: bool = False


Prepare = Callable[[StaffDesk, AsyncWebClient, Origin], Awaitable[Opening]]


async def open_for_staff(
    desk: StaffDesk,
    client: AsyncWebClient,
    body: dict[str, Any],
    context: Any,
    where: cards.Where,
    origin: Origin,
    prepare: Prepare,
) -> None:
    """Open the modal `prepare` builds for a staff member, in time for its trigger_id."""
    user = str((body.get("user") or {}).get("id") or body.get("user_id") or "")
    finished, check = await in_time(desk.refusal(body, context), OPEN_BUDGET)
    if finished:
        actor, refusal = check.result()
        if refusal or actor is None:
            await say_privately(client, where.channel, user, refusal or "")
            return
    opening = await prepare(desk, client, origin)
    opened: str | None = None
    if opening.view is not None:
        response = await client.views_open(trigger_id=body["trigger_id"], view=opening.view)
        opened = str((response.get("view") or {}).get("id") or "") or None
    if not finished:
        actor, refusal = await check
        if refusal or actor is None:
            if opened:
                await _replace(client, opened, notice_modal("Not allowed", refusal or ""))
            await say_privately(client, where.channel, user, refusal or "")
            return
    if opening.note:
        await say_privately(client, where.channel, user, opening.note)
    if opening.refresh:
        await desk.refresh(client, where, origin.card)


async def _replace(client: AsyncWebClient, view_id: str, view: dict[str, Any]) -> None:
    try:
        await client.views_update(view_id=view_id, view=view)
    except SlackApiError as exc:  # closed already; the submission would be refused anyway
        log.info("could not replace a modal: %s", slack_error(exc))


async def flag_opening(desk: StaffDesk, client: AsyncWebClient, origin: Origin) -> Opening:
    """ "Flag issue" on an order: the flag modal, or "no such order"."""
    number = origin.subject
    if not number:
        return Opening(note="Usage: /wismo flag <order number>")
    async with desk.database.session() as session:
        order = (await session.exec(select(Order).where(Order.number == number))).first()
    if order is None:
        return Opening(note=f"No order {number}.")
    return Opening(view=flag_modal(number, origin))


async def resolve_opening(desk: StaffDesk, client: AsyncWebClient, origin: Origin) -> Opening:
    """ "Resolve": the resolve modal, or who resolved the flag already."""
    if not origin.subject.isdigit():
        return Opening()
    async with desk.database.session() as session:
        flag = await session.get(Flag, int(origin.subject))
        if flag is None:
            return Opening(note="That flag no longer exists.")
        if flag.state != "open":
            by = await desk.name_of(client, flag.resolved_by)
            who = actor_label(flag.resolved_by, {flag.resolved_by or "": by} if by else None)
            return Opening(
                note=f"Flag #{flag.id} was already resolved by {who}"
                f" at {when(flag.resolved_at, desk.tz)}.",
                refresh=True,
            )
        try:
            card = await flag_card_of(session, flag.id or 0)
        except FlagNotFound:
            return Opening()
    title = card.sections[0].title or f"Flag #{origin.subject}: {flag_label(flag.kind)}"
    return Opening(view=resolve_modal(title, origin))


async def decline_opening(desk: StaffDesk, client: AsyncWebClient, origin: Origin) -> Opening:
    """ "Decline": the decline modal, or who decided the return already."""
    request = None
    if origin.subject.isdigit():
        async with desk.database.session() as session:
            request = await session.get(ReturnRequest, int(origin.subject))
    if request is None:
        return Opening(note="That return no longer exists.")
    if request.state != "requested":
        error = AlreadyDecided(request.decided_by, request.decided_at, request.state)
        return Opening(
            note=await already_decided_text(desk, client, error, origin.subject), refresh=True
        )
    title = f"Return #{request.id}: decline it and tell the shopper why."
    return Opening(view=decline_modal(title, origin))
