"""Modal submissions: raise a flag, resolve a flag, decline a return.

Acknowledge first, within Slack's 3 seconds (adapters.slack.deadline): the form is checked
from local data, the decision is written in a fast local transaction, and a refusal or a
lost race shows inside the modal. Slack calls the answer may need — `conversations.members`
for the staff check, `users.info` for the winner's name — are waited for only while the
window lasts; past it the modal closes and the answer comes as a private message. Card
updates always follow the ack.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from adapters.slack.access import Actor, actor_of
from adapters.slack.actions import already_decided_text
from adapters.slack.deadline import AckWindow
from adapters.slack.desk import StaffDesk, say_privately, where_of
from adapters.slack.errors import slack_error
from adapters.slack.modals import DECLINE_VIEW, FLAG_VIEW, RESOLVE_VIEW, Origin, submitted
from core import returns
from core.returns import DECLINE_NOTE_LIMIT, DECLINE_REASONS, AlreadyDecided, ReturnError
from core.staff import (
    MAX_NOTE,
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


class Answer:
    """Where a submission's answer goes: into the modal while the ack is pending, else privately."""

    def __init__(self, ack: Any, client: AsyncWebClient, body: dict[str, Any], origin: Origin):
        self.window = AckWindow(ack)
        self.client = client
        self.origin = origin
        actor = actor_of(body)
        self.user = actor.user_id if actor else ""

    async def error(self, block_id: str, text: str) -> None:
        """Show `text` beside the input `block_id`, or — the modal already closed — privately."""
        if not self.window.acked:
            await self.window.ack(response_action="errors", errors={block_id: text})
            return
        try:
            await say_privately(self.client, self.origin.channel, self.user, text)
        except SlackApiError as exc:
            log.warning("could not answer a modal after its ack: %s", slack_error(exc))

    def name_wait(self) -> float | None:
        """How long a name (users.info) may take: what the ack leaves, or — acked — no limit."""
        return None if self.window.acked else self.window.remaining()

    async def staff(
        self, desk: StaffDesk, body: dict[str, Any], context: Any, block_id: str
    ) -> Actor | None:
        """The actor when they are staff; None after refusing them (in the modal if in time)."""
        actor, refusal = await self.window.within(desk.refusal(body, context), self.window.ack)
        if refusal or actor is None:
            await self.error(block_id, refusal or "")
            return None
        return actor


def register(app: AsyncApp, desk: StaffDesk) -> None:
    """Add the view-submission listeners to `app`."""

    @app.view(FLAG_VIEW)
    async def flag_submitted(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        origin = Origin.load(view.get("private_metadata", ""))
        answer = Answer(ack, client, body, origin)
        kind = submitted(view, "kind")
        note = submitted(view, "note")
        notify = submitted(view, "notify") == "yes"
        if kind not in STAFF_FLAG_KINDS:
            await answer.error("kind", "Choose what is wrong.")
            return
        if len(note.strip()) > MAX_NOTE:
            await answer.error("note", f"At most {MAX_NOTE} characters ({len(note.strip())} now).")
            return
        actor = await answer.staff(desk, body, context, "kind")
        if actor is None:
            return
        flag = None
        try:
            async with desk.database.transaction() as session:
                order = (
                    await session.exec(select(Order).where(Order.number == origin.subject))
                ).first()
                if order is not None and order.id is not None:
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
            await answer.error("note", str(error))
            return
        if flag is None:  # staff flags carry no open_key, so only a missing order gets here
            await answer.error("kind", f"Order {origin.subject} no longer exists.")
            return
        await answer.window.ack()
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
        origin = Origin.load(view.get("private_metadata", ""))
        answer = Answer(ack, client, body, origin)
        note = submitted(view, "note").strip()
        if not note:
            await answer.error("note", "Say what was done.")
            return
        if not origin.subject.isdigit():
            await answer.error("note", "This flag does not exist.")
            return
        actor = await answer.staff(desk, body, context, "note")
        if actor is None:
            return
        try:
            async with desk.database.transaction() as session:
                await resolve_flag(
                    session, desk.clock, int(origin.subject), actor=actor.audit_id, note=note
                )
        except FlagAlreadyResolved as lost:
            name = await desk.name_within(client, lost.by, answer.name_wait())
            who = actor_label(lost.by, {lost.by: name} if lost.by and name else None)
            at = when(lost.at, desk.tz)
            await answer.error("note", f"Already resolved by {who} at {at}. Nothing changed.")
            await desk.refresh(client, where_of(origin), origin.card)
            return
        except FlagError as error:
            await answer.error("note", str(error))
            return
        await answer.window.ack()
        await desk.refresh(client, where_of(origin), origin.card)
        await desk.refresh_alert(client, "flag", int(origin.subject), skip=where_of(origin))

    @app.view(DECLINE_VIEW)
    async def decline_submitted(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        origin = Origin.load(view.get("private_metadata", ""))
        answer = Answer(ack, client, body, origin)
        reason = submitted(view, "reason")
        note = submitted(view, "note").strip()
        if reason not in DECLINE_REASONS:
            await answer.error("reason", "Choose a reason.")
            return
        if len(note) > DECLINE_NOTE_LIMIT:
            await answer.error(
                "note", f"At most {DECLINE_NOTE_LIMIT} characters ({len(note)} now)."
            )
            return
        if not origin.subject.isdigit():
            await answer.error("reason", "This return does not exist.")
            return
        actor = await answer.staff(desk, body, context, "reason")
        if actor is None:
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
                await already_decided_text(
                    desk, client, error, return_id, within=answer.name_wait()
                )
                if isinstance(error, AlreadyDecided)
                else str(error)
            )
            await answer.error("reason", text)
            await desk.refresh(client, where_of(origin), origin.card)
            return
        await answer.window.ack()
        await desk.refresh(client, where_of(origin), origin.card)
        await desk.refresh_alert(client, "return", return_id, skip=where_of(origin))


async def _confirm(client: AsyncWebClient, origin: Origin, user: str, text: str) -> None:
    if not origin.channel:
        return
    try:
        await say_privately(client, origin.channel, user, text)
    except SlackApiError as exc:  # e.g. the bot is not in that channel; the flag stands
        log.warning("could not confirm a flag: %s", slack_error(exc))
