"""Buttons on staff cards: show an order, open the flag / resolve / decline modals, decide returns.

Every listener acknowledges first; the staff check, the database work and the Slack calls
follow the ack (Slack wants the ack within 3 seconds). A button that opens a modal goes
through `adapters.slack.opening`, which opens it while the click's trigger_id lives.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import blocks, cards
from adapters.slack.access import Actor
from adapters.slack.desk import StaffDesk, already_decided_text, say_privately
from adapters.slack.modals import Origin
from adapters.slack.opening import (
    Prepare,
    decline_opening,
    flag_opening,
    open_for_staff,
    resolve_opening,
)
from core import returns
from core.returns import AlreadyDecided, ReturnError, WrongState

log = logging.getLogger(__name__)

ACTIONS = re.compile(
    r"^(staff_order|flag_open|flag_resolve|return_approve|return_decline|return_received"
    r"|return_refunded)(#\d+)?$"
)


Handler = Callable[
    [StaffDesk, AsyncWebClient, dict[str, Any], Actor, cards.Where, Origin], Awaitable[None]
]


def button_listener(
    desk: StaffDesk, handlers: Mapping[str, Handler], openers: Mapping[str, Prepare] | None = None
) -> Callable[..., Awaitable[None]]:
    """A bolt action listener: ack, refuse non-staff, then run the button's handler.

    `openers` are the buttons that open a modal (their check must not outlast the trigger_id).
    """

    async def card_button(
        ack: Any, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        await ack()
        where = cards.Where.of_action(body)
        origin = Origin(
            subject=str(action.get("value") or ""),
            channel=where.channel,
            ts=None if where.ephemeral else where.ts,
            response_url=where.response_url,
            card=cards.ref_of_block(action.get("block_id")),
        )
        name = blocks.action_name(action["action_id"])
        if openers and name in openers:
            await open_for_staff(desk, client, body, context, where, origin, openers[name])
            return
        actor, refusal = await desk.refusal(body, context)
        if refusal or actor is None:
            user = (body.get("user") or {}).get("id", "")
            await say_privately(client, where.channel, user, refusal or "")
            return
        await handlers[name](desk, client, body, actor, where, origin)

    return card_button


def register(app: AsyncApp, desk: StaffDesk) -> None:
    """Add the button listeners to `app`."""
    app.action(ACTIONS)(button_listener(desk, _HANDLERS, _OPENERS))


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
    "return_approve": _step,
    "return_received": _step,
    "return_refunded": _step,
}
_OPENERS: dict[str, Prepare] = {
    "flag_open": flag_opening,
    "flag_resolve": resolve_opening,
    "return_decline": decline_opening,
}
# The card buttons by action, for the Home tab's listener (adapters.slack.home_tab).
CARD_HANDLERS = _HANDLERS
CARD_OPENERS = _OPENERS
