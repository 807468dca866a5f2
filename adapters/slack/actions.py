"""Buttons on staff cards: show an order, open the flag / resolve / decline modals, decide returns.

Every listener acknowledges first; the staff check, the database work and the Slack calls
follow the ack (Slack wants the ack within 3 seconds).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks, cards
from adapters.slack.access import Actor
from adapters.slack.desk import StaffDesk, say_privately
from adapters.slack.modals import Origin, decline_modal, flag_modal, resolve_modal
from core import returns
from core.returns import AlreadyDecided, ReturnError, WrongState
from core.staff import FlagNotFound, actor_label, flag_card_of, flag_label, when
from core.storage import Flag, ReturnRequest

log = logging.getLogger(__name__)

ACTIONS = re.compile(
    r"^(staff_order|flag_open|flag_resolve|return_approve|return_decline|return_received"
    r"|return_refunded)(#\d+)?$"
)


Handler = Callable[
    [StaffDesk, AsyncWebClient, dict[str, Any], Actor, cards.Where, Origin], Awaitable[None]
]


def button_listener(
    desk: StaffDesk, handlers: dict[str, Handler]
) -> Callable[..., Awaitable[None]]:
    """A bolt action listener: ack, refuse non-staff, then run the button's handler."""

    async def card_button(
        ack: Any, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        await ack()
        where = cards.Where.of_action(body)
        actor, refusal = await desk.refusal(body, context)
        if refusal or actor is None:
            user = (body.get("user") or {}).get("id", "")
            await say_privately(client, where.channel, user, refusal or "")
            return
        origin = Origin(
            subject=str(action.get("value") or ""),
            channel=where.channel,
            ts=None if where.ephemeral else where.ts,
            response_url=where.response_url,
            card=cards.ref_of_block(action.get("block_id")),
        )
        handler = handlers[blocks.action_name(action["action_id"])]
        await handler(desk, client, body, actor, where, origin)

    return card_button


def register(app: AsyncApp, desk: StaffDesk) -> None:
    """Add the button listeners to `app`."""
    app.action(ACTIONS)(button_listener(desk, _HANDLERS))


async def _show_order(
    desk: StaffDesk,
    client: AsyncWebClient,
    body: dict[str, Any],
    actor: Actor,
    where: cards.Where,
    origin: Origin,
) -> None:
    await cards.tell(
        client, where.channel, actor.user_id, await desk.look_up(actor, origin.subject)
    )


async def _open_flag(
    desk: StaffDesk,
    client: AsyncWebClient,
    body: dict[str, Any],
    actor: Actor,
    where: cards.Where,
    origin: Origin,
) -> None:
    await client.views_open(trigger_id=body["trigger_id"], view=flag_modal(origin.subject, origin))


async def _open_resolve(
    desk: StaffDesk,
    client: AsyncWebClient,
    body: dict[str, Any],
    actor: Actor,
    where: cards.Where,
    origin: Origin,
) -> None:
    if not origin.subject.isdigit():
        return
    async with desk.database.session() as session:
        flag = await session.get(Flag, int(origin.subject))
        if flag is None:
            await say_privately(client, where.channel, actor.user_id, "That flag no longer exists.")
            return
        if flag.state != "open":
            by = await desk.name_of(client, flag.resolved_by)
            await say_privately(
                client,
                where.channel,
                actor.user_id,
                f"Flag #{flag.id} was already resolved by "
                f"{actor_label(flag.resolved_by, {flag.resolved_by or '': by} if by else None)}"
                f" at {when(flag.resolved_at, desk.tz)}.",
            )
            await desk.refresh(client, where, origin.card)
            return
        try:
            card = await flag_card_of(session, flag.id or 0)
        except FlagNotFound:
            return
    title = card.sections[0].title or f"Flag #{origin.subject}: {flag_label(flag.kind)}"
    await client.views_open(trigger_id=body["trigger_id"], view=resolve_modal(title, origin))


async def _return_request(desk: StaffDesk, origin: Origin) -> ReturnRequest | None:
    if not origin.subject.isdigit():
        return None
    async with desk.database.session() as session:
        return await session.get(ReturnRequest, int(origin.subject))


async def already_decided_text(
    desk: StaffDesk, client: AsyncWebClient, error: ReturnError, return_id: int | str
) -> str:
    """What the loser of a race (or a late click) reads: who decided, and when."""
    by = getattr(error, "by", None)
    at = getattr(error, "at", None)
    state = getattr(error, "state", "decided")
    name = await desk.name_of(client, by)
    who = actor_label(by, {by: name} if by and name else None) if by else "someone"
    stamp = f" at {at.astimezone(desk.tz):%H:%M %Z}" if at else ""
    return f"Return #{return_id} was already {state} by {who}{stamp}. Nothing changed."


async def _open_decline(
    desk: StaffDesk,
    client: AsyncWebClient,
    body: dict[str, Any],
    actor: Actor,
    where: cards.Where,
    origin: Origin,
) -> None:
    request = await _return_request(desk, origin)
    if request is None:
        await say_privately(client, where.channel, actor.user_id, "That return no longer exists.")
        return
    if request.state != "requested":
        error = AlreadyDecided(request.decided_by, request.decided_at, request.state)
        text = await already_decided_text(desk, client, error, origin.subject)
        await say_privately(client, where.channel, actor.user_id, text)
        await desk.refresh(client, where, origin.card)
        return
    title = f"Return #{request.id}: decline it and tell the shopper why."
    await client.views_open(trigger_id=body["trigger_id"], view=decline_modal(title, origin))


async def _step(
    desk: StaffDesk,
    client: AsyncWebClient,
    body: dict[str, Any],
    actor: Actor,
    where: cards.Where,
    origin: Origin,
) -> None:
    """Approve, mark received or mark refunded: one click, one atomic state change."""
    action = blocks.action_name(body["actions"][0]["action_id"])
    step = {
        "return_approve": returns.approve,
        "return_received": returns.mark_received,
        "return_refunded": returns.mark_refunded,
    }[action]
    if not origin.subject.isdigit():
        return
    return_id = int(origin.subject)
    try:
        async with desk.database.transaction() as session:
            await step(session, desk.clock, desk.config, return_id, actor=actor.audit_id)
    except ReturnError as error:
        if isinstance(error, AlreadyDecided):
            text = await already_decided_text(desk, client, error, return_id)
        elif isinstance(error, WrongState):
            text = f"Cannot {error.action}: return #{return_id} is {error.state}. Nothing changed."
        else:
            text = f"Return #{return_id}: {error}."
        await say_privately(client, where.channel, actor.user_id, text)
        await desk.refresh(client, where, origin.card)
        return
    await desk.refresh(client, where, origin.card)
    await desk.refresh_alert(client, "return", return_id, skip=where)


_HANDLERS: dict[str, Handler] = {
    "staff_order": _show_order,
    "flag_open": _open_flag,
    "flag_resolve": _open_resolve,
    "return_approve": _step,
    "return_decline": _open_decline,
    "return_received": _step,
    "return_refunded": _step,
}
# The card buttons' handlers by action, for the Home tab's listener (adapters.slack.home_tab).
CARD_HANDLERS = _HANDLERS
