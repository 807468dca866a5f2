"""The Home tab: published when a staff member opens it, redrawn when the queue changes.

`app_home_opened` publishes the person's queue (`views.publish`) and remembers them as a
viewer; the core then writes a debounced refresh to the outbox (channel `slack_home`)
whenever the queue changes, and `HomePublisher.send` — the outbox's sender for that channel
— rebuilds and publishes the view. Someone who is not staff sees a short explanation only.

Buttons on the Home tab carry the same action ids as the cards in channels; the listener
here takes them first (a click from a view, not a message), acts through the desk's own
handlers on the item's card in its channel (found from the outbox row that posted it, so
that card updates in place too), and redraws the clicker's Home at once.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import col, select

from adapters.slack import actions, blocks, cards, handoff
from adapters.slack.access import Actor
from adapters.slack.desk import StaffDesk, say_privately
from adapters.slack.home import home_view, not_staff_view
from adapters.slack.modals import Origin
from adapters.slack.opening import open_for_staff
from adapters.slack.sender import outcome_of_error
from core.pushes import home_viewed
from core.replies import Reply, SendOutcome, Sent, Transient
from core.staff import FlagAlreadyResolved, FlagNotFound, actor_label, assign_flag, staff_queue
from core.storage import Notification

log = logging.getLogger(__name__)

HOME_ACTIONS = re.compile(
    r"^(flag_assign|flag_resolve|staff_order|return_approve|return_decline"
    r"|handoff_take|handoff_back)(#\d+)?$"
)
HOME_PER_GROUP = 3  # a Home view holds 100 blocks; each item takes two


class HomePublisher:
    """Builds a person's Home view from the database and publishes it."""

    def __init__(self, client: AsyncWebClient, desk: StaffDesk) -> None:
        self.client = client
        self.desk = desk

    async def view_for(self, actor: Actor, own_team: str | None = None) -> dict[str, Any]:
        """The queue for staff; the explanation for anyone else."""
        if await self.desk.directory.refusal(actor, own_team) is not None:
            return not_staff_view()
        desk = self.desk
        async with desk.database.session() as session:
            queue = await staff_queue(
                session, desk.clock, desk.config, staff_id=actor.audit_id, per_group=HOME_PER_GROUP
            )
        return home_view(queue, desk.tz)

    async def publish(self, client: AsyncWebClient, actor: Actor) -> SendOutcome:
        """views.publish the actor's Home; Slack's refusals come back as typed outcomes."""
        view = await self.view_for(actor)
        try:
            response = await client.views_publish(user_id=actor.user_id, view=view)
        except SlackApiError as exc:
            return outcome_of_error(exc, f"home of {actor.user_id}")
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return Transient(f"slack unreachable: {type(exc).__name__}")
        return Sent(ref=str((response.get("view") or {}).get("id") or actor.user_id))

    async def send(self, recipient: str, reply: Reply) -> SendOutcome:
        """The outbox's sender for Home refreshes: `recipient` is a Slack user id."""
        return await self.publish(self.client, Actor(recipient))

    async def opened(self, client: AsyncWebClient, body: dict[str, Any], context: Any) -> None:
        """app_home_opened on the Home tab: remember a staff viewer, publish their view."""
        actor, refusal = await self.desk.refusal(body, context)
        if actor is None:
            return
        if refusal is None:
            async with self.desk.database.transaction() as session:
                await home_viewed(session, self.desk.clock, actor.user_id, actor.name)
        outcome = await self.publish(client, actor)
        if not isinstance(outcome, Sent):
            log.warning("Home tab of %s not published: %s", actor.user_id, outcome)


async def card_where(desk: StaffDesk, ref: str | None) -> cards.Where:
    """Where the channel card of a queue item ("flag:7") was posted, if the outbox posted it."""
    kind, _, key = (ref or "").partition(":")
    if not key.isdigit():
        return cards.Where(channel=None, ts=None)
    async with desk.database.session() as session:
        posted = (
            await session.exec(
                select(Notification.external_ref)
                .where(
                    Notification.subject_type == kind,
                    Notification.subject_id == int(key),
                    col(Notification.channel) == "slack",
                    col(Notification.identity_id).is_(None),
                    col(Notification.external_ref).is_not(None),
                )
                .order_by(col(Notification.id))
            )
        ).first()
    channel, _, ts = (posted or "").partition(":")
    return cards.Where(channel=channel or None, ts=ts or None)


async def assign(
    desk: StaffDesk,
    client: AsyncWebClient,
    body: dict[str, Any],
    actor: Actor,
    where: cards.Where,
    origin: Origin,
) -> None:
    """Assign to me: the flag is this person's from now on (taking it from a colleague)."""
    if not origin.subject.isdigit():
        return
    try:
        async with desk.database.transaction() as session:
            await assign_flag(session, desk.clock, int(origin.subject), actor=actor.audit_id)
    except FlagAlreadyResolved as lost:
        name = await desk.name_of(client, lost.by)
        by = actor_label(lost.by, {lost.by: name} if lost.by and name else None)
        await say_privately(
            client,
            where.channel,
            actor.user_id,
            f"Flag #{origin.subject} was already resolved by {by}.",
        )
    except FlagNotFound:
        await say_privately(client, where.channel, actor.user_id, "That flag no longer exists.")


async def show_order(
    desk: StaffDesk,
    client: AsyncWebClient,
    body: dict[str, Any],
    actor: Actor,
    where: cards.Where,
    origin: Origin,
) -> None:
    """Show order, from Home: the card goes to the person's DM with wismo (Home has no thread)."""
    reply = await desk.look_up(actor, origin.subject)
    await client.chat_postMessage(channel=actor.user_id, **cards.render(reply))


_HANDLERS: dict[str, actions.Handler] = {
    **actions.CARD_HANDLERS,
    "staff_order": show_order,
    "flag_assign": assign,
    "handoff_take": handoff.take,
    "handoff_back": handoff.hand_back,
}
# Answered privately; the queue does not change. (Modal buttons redraw once the modal is sent,
# through the outbox.)
_NO_REDRAW = frozenset({"staff_order"})


def register(app: AsyncApp, desk: StaffDesk, publisher: HomePublisher) -> None:
    """Add the Home listeners; before the card listeners, as bolt runs the first match only."""

    @app.event("app_home_opened")
    async def home_opened(
        event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        if event.get("tab") == "home":  # the Messages tab sends this event too
            await publisher.opened(client, body, context)

    async def from_home(body: dict[str, Any]) -> bool:
        return (body.get("view") or {}).get("type") == "home"

    @app.action(HOME_ACTIONS, matchers=[from_home])
    async def home_button(
        ack: Any, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        await ack()
        ref = cards.ref_of_block(action.get("block_id"))
        where = await card_where(desk, ref)
        origin = Origin(
            subject=str(action.get("value") or ""), channel=where.channel, ts=where.ts, card=ref
        )
        name = blocks.action_name(action["action_id"])
        opener = actions.CARD_OPENERS.get(name)
        if opener is not None:  # a modal: opened while its trigger_id lives, staff or not
            await open_for_staff(desk, client, body, context, where, origin, opener)
            return
        actor, refusal = await desk.refusal(body, context)
        user = (body.get("user") or {}).get("id", "")
        if refusal or actor is None:
            await say_privately(client, None, user, refusal or "")
            return
        await _HANDLERS[name](desk, client, body, actor, where, origin)
        if name not in _NO_REDRAW:
            outcome = await publisher.publish(client, actor)
            if not isinstance(outcome, Sent):
                log.warning("Home tab of %s not redrawn: %s", actor.user_id, outcome)
