"""Modal submissions: raise a flag, resolve a flag, decline a return.

The decision is checked and written before the ack (a fast local transaction), so a
refusal or a lost race shows inside the modal; Slack calls (card updates) follow the ack.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from adapters.slack.actions import already_decided_text
from adapters.slack.desk import StaffDesk, say_privately, where_of
from adapters.slack.errors import slack_error
from adapters.slack.modals import DECLINE_VIEW, FLAG_VIEW, RESOLVE_VIEW, Origin, submitted
from core import returns
from core.returns import DECLINE_NOTE_LIMIT, DECLINE_REASONS, AlreadyDecided, ReturnError
from core.staff import (
    STAFF_FLAG_KINDS,
    FlagAlreadyResolved,
    FlagError,
    actor_label,
    flag_label,
    raise_flag,
    resolve_flag,
    when,
)
from core.storage import Order

log = logging.getLogger(__name__)


def register(app: AsyncApp, desk: StaffDesk) -> None:
    """Add the view-submission listeners to `app`."""

    @app.view(FLAG_VIEW)
    async def flag_submitted(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        actor, refusal = await desk.refusal(body, context)
        if refusal or actor is None:
            await ack(response_action="errors", errors={"kind": refusal})
            return
        origin = Origin.load(view.get("private_metadata", ""))
        kind = submitted(view, "kind")
        note = submitted(view, "note")
        notify = submitted(view, "notify") == "yes"
        if kind not in STAFF_FLAG_KINDS:
            await ack(response_action="errors", errors={"kind": "Choose what is wrong."})
            return
        try:
            async with desk.database.transaction() as session:
                order = (
                    await session.exec(select(Order).where(Order.number == origin.subject))
                ).first()
                if order is None or order.id is None:
                    await ack(
                        response_action="errors",
                        errors={"kind": f"Order {origin.subject} no longer exists."},
                    )
                    return
                flag = await raise_flag(
                    session,
                    desk.clock,
                    desk.config,
                    order.id,
                    kind,
                    source="staff",
                    note=note,
                    actor=actor.audit_id,
                    notify_shopper=notify,
                )
        except FlagError as error:
            await ack(response_action="errors", errors={"note": str(error)})
            return
        await ack()
        assert flag is not None  # staff flags carry no open_key, so they are never merged
        await desk.refresh(client, where_of(origin), origin.card)
        told = " The shopper gets a short notice." if notify else ""
        await _confirm(
            client,
            origin,
            actor.user_id,
            f"Flag #{flag.id} ({flag_label(kind)}) raised on order {origin.subject}.{told}",
        )

    @app.view(RESOLVE_VIEW)
    async def resolve_submitted(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        actor, refusal = await desk.refusal(body, context)
        if refusal or actor is None:
            await ack(response_action="errors", errors={"note": refusal})
            return
        origin = Origin.load(view.get("private_metadata", ""))
        note = submitted(view, "note").strip()
        if not note:
            await ack(response_action="errors", errors={"note": "Say what was done."})
            return
        if not origin.subject.isdigit():
            await ack(response_action="errors", errors={"note": "This flag does not exist."})
            return
        try:
            async with desk.database.transaction() as session:
                await resolve_flag(
                    session, desk.clock, int(origin.subject), actor=actor.audit_id, note=note
                )
        except FlagAlreadyResolved as lost:
            name = await desk.name_of(client, lost.by)
            who = actor_label(lost.by, {lost.by: name} if lost.by and name else None)
            at = when(lost.at, desk.tz)
            await ack(
                response_action="errors",
                errors={"note": f"Already resolved by {who} at {at}. Nothing changed."},
            )
            await desk.refresh(client, where_of(origin), origin.card)
            return
        except FlagError as error:
            await ack(response_action="errors", errors={"note": str(error)})
            return
        await ack()
        await desk.refresh(client, where_of(origin), origin.card)
        await desk.refresh_alert(client, "flag", int(origin.subject), skip=where_of(origin))

    @app.view(DECLINE_VIEW)
    async def decline_submitted(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        actor, refusal = await desk.refusal(body, context)
        if refusal or actor is None:
            await ack(response_action="errors", errors={"reason": refusal})
            return
        origin = Origin.load(view.get("private_metadata", ""))
        reason = submitted(view, "reason")
        note = submitted(view, "note").strip()
        if reason not in DECLINE_REASONS:
            await ack(response_action="errors", errors={"reason": "Choose a reason."})
            return
        if len(note) > DECLINE_NOTE_LIMIT:
            await ack(
                response_action="errors",
                errors={"note": f"At most {DECLINE_NOTE_LIMIT} characters ({len(note)} now)."},
            )
            return
        if not origin.subject.isdigit():
            await ack(response_action="errors", errors={"reason": "This return does not exist."})
            return
        return_id = int(origin.subject)
        try:
            async with desk.database.transaction() as session:
                await returns.decline(
                    session,
                    desk.clock,
                    desk.config,
                    return_id,
                    actor=actor.audit_id,
                    reason=reason,
                    note=note,
                )
        except ReturnError as error:
            text = (
                await already_decided_text(desk, client, error, return_id)
                if isinstance(error, AlreadyDecided)
                else str(error)
            )
            await ack(response_action="errors", errors={"reason": text})
            await desk.refresh(client, where_of(origin), origin.card)
            return
        await ack()
        await desk.refresh(client, where_of(origin), origin.card)
        await desk.refresh_alert(client, "return", return_id, skip=where_of(origin))


async def _confirm(client: AsyncWebClient, origin: Origin, user: str, text: str) -> None:
    if not origin.channel:
        return
    try:
        await say_privately(client, origin.channel, user, text)
    except SlackApiError as exc:  # e.g. the bot is not in that channel; the flag stands
        log.warning("could not confirm a flag: %s", slack_error(exc))
