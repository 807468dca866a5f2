""" "Talk to a person" in Slack: Take over / Hand back / Note (internal) on the thread card,
agents' thread replies.

The thread's card is posted to the support channel by the outbox; its ts is the thread.
Only the agent who took over reaches the shopper; everyone else's replies stay in Slack, and
so do internal notes — a reply starting with the note marker (marked with a :lock:
reaction) or one written with "Note (internal)" (posted into the thread, marked as such).
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import cards
from adapters.slack.access import Actor
from adapters.slack.actions import button_listener
from adapters.slack.desk import StaffDesk, say_privately
from adapters.slack.errors import slack_error
from adapters.slack.modals import NOTE_VIEW, Origin, note_modal, submitted
from adapters.slack.opening import Opening
from adapters.slack.views import Answer
from core import handoff
from core.handoff import NOTE_LIMIT, AlreadyTaken, HandoffError, ThreadNotFound
from core.storage import HandoffThread

log = logging.getLogger(__name__)

_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]+))?>")
_USER = re.compile(r"<@([A-Z0-9]+)(?:\|([^>]+))?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^|>]*)?(?:\|([^>]+))?>")
BUTTONS = re.compile(r"^handoff_(take|back|note)(#\d+)?$")
NOTE_MARK = "lock"  # the reaction on a thread reply kept in Slack as an internal note


def register(app: AsyncApp, desk: StaffDesk) -> None:
    """Add the hand-off listeners; before the others, as bolt runs the first match only."""
    app.action(BUTTONS)(
        button_listener(
            desk, {"handoff_take": take, "handoff_back": hand_back}, {"handoff_note": note_opening}
        )
    )

    @app.view(NOTE_VIEW)
    async def note_submitted(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        await add_internal_note(
            desk,
            Answer(ack, client, body, Origin.load(view.get("private_metadata", ""))),
            body,
            context,
            submitted(view, "note"),
        )

    async def in_support_thread(event: dict[str, Any]) -> bool:
        return bool(
            event.get("channel") == desk.config.slack_support_channel
            and event.get("thread_ts")
            and event.get("thread_ts") != event.get("ts")
            and not event.get("subtype")
            and not event.get("bot_id")
        )

    @app.event("message", matchers=[in_support_thread])
    async def support_thread_message(event: dict[str, Any], client: AsyncWebClient) -> None:
        await thread_reply(desk, client, event)


def plain_text(slack_text: str) -> str:
    """Slack's message markup as a shopper should read it: links, mentions, entities undone."""

    def link(match: re.Match[str]) -> str:
        url, label = match.group(1), match.group(2)
        url = url.removeprefix("mailto:")
        return f"{label} ({url})" if label and label != url else url

    text = _LINK.sub(link, slack_text)
    text = _USER.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(1) or "channel"), text)
    text = _SPECIAL.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    return html.unescape(text)


async def take(
    desk: StaffDesk,
    client: AsyncWebClient,
    body: dict[str, Any],
    actor: Actor,
    where: cards.Where,
    origin: Origin,
) -> None:
    """The Take over button: the first agent wins the conversation."""
    if not origin.subject.isdigit():
        return
    name = actor.name or await desk.name_of(client, actor.audit_id) or actor.user_id
    try:
        async with desk.database.transaction() as session:
            await handoff.take_over(
                session,
                desk.clock,
                desk.config,
                int(origin.subject),
                agent_id=actor.audit_id,
                agent_name=name,
                channel=None if where.ephemeral else where.channel,
                ts=None if where.ephemeral else where.ts,
            )
    except AlreadyTaken as error:
        await say_privately(
            client,
            where.channel,
            actor.user_id,
            f"{error.agent_name or 'Another agent'} has already taken this conversation.",
        )
    except HandoffError as error:
        await say_privately(client, where.channel, actor.user_id, f"Not possible: {error}.")
    await desk.refresh(client, where, origin.card)


async def hand_back(
    desk: StaffDesk,
    client: AsyncWebClient,
    body: dict[str, Any],
    actor: Actor,
    where: cards.Where,
    origin: Origin,
) -> None:
    """Close / Hand back to the bot."""
    if not origin.subject.isdigit():
        return
    try:
        async with desk.database.transaction() as session:
            await handoff.hand_back(
                session, desk.clock, desk.config, int(origin.subject), actor=actor.audit_id
            )
    except HandoffError as error:
        await say_privately(client, where.channel, actor.user_id, f"Not possible: {error}.")
    await desk.refresh(client, where, origin.card)


async def thread_reply(desk: StaffDesk, client: AsyncWebClient, event: dict[str, Any]) -> None:
    """A message in a thread of the support channel: the taking agent's reaches the shopper."""
    channel, user = event.get("channel"), event.get("user")
    thread_ts, ts = event.get("thread_ts"), event.get("ts")
    if not (channel and user and thread_ts and ts) or channel != desk.config.slack_support_channel:
        return
    text = plain_text(event.get("text") or "").strip()
    if not text:
        return
    async with desk.database.transaction() as session:
        outcome = await handoff.agent_reply(
            session,
            desk.clock,
            desk.config,
            channel=channel,
            thread_ts=thread_ts,
            message_ts=ts,
            agent_id=f"slack:{user}",
            text=text,
        )
    if outcome == "note":
        await _mark_note(client, channel, user, ts)
    elif outcome == "other_agent":
        await say_privately(
            client,
            channel,
            user,
            "Only the agent who took over reaches the shopper; your reply stayed in Slack.",
        )
    elif outcome == "closed":
        await say_privately(
            client,
            channel,
            user,
            "This conversation is back with the bot; your reply did not reach the shopper.",
        )


async def note_opening(desk: StaffDesk, client: AsyncWebClient, origin: Origin) -> Opening:
    """ "Note (internal)": the note modal for a thread that exists."""
    if origin.subject.isdigit():
        async with desk.database.session() as session:
            if await session.get(HandoffThread, int(origin.subject)) is not None:
                return Opening(view=note_modal(origin, NOTE_LIMIT))
    return Opening(note="That conversation no longer exists.")


async def add_internal_note(
    desk: StaffDesk, answer: Answer, body: dict[str, Any], context: Any, text: str
) -> None:
    """The note modal submitted: the note goes into the thread (outbox), marked internal."""
    text, origin = text.strip(), answer.origin
    if not text:
        await answer.error("note", "Write the note first.")
        return
    actor = await answer.staff(desk, body, context, "note")
    if actor is None:
        return
    if not origin.subject.isdigit():
        await answer.error("note", "That conversation no longer exists.")
        return
    name = actor.name or desk.names.get(actor.audit_id) or actor.user_id
    try:
        async with desk.database.transaction() as session:
            thread = await handoff.get_thread(session, int(origin.subject))
            if not thread.slack_thread_ts and origin.channel and origin.ts:  # learnt from the click
                await handoff.thread_opened(session, int(origin.subject), origin.channel, origin.ts)
                thread = await handoff.get_thread(session, int(origin.subject))
            await handoff.add_note(
                session, desk.clock, thread, agent_id=actor.audit_id, agent_name=name, text=text
            )
    except ThreadNotFound:
        await answer.error("note", "That conversation no longer exists.")
        return
    await answer.window.ack()


async def _mark_note(client: AsyncWebClient, channel: str, user: str, ts: str) -> None:
    """Show everyone in the thread that this reply stayed in Slack."""
    try:
        await client.reactions_add(channel=channel, timestamp=ts, name=NOTE_MARK)
    except SlackApiError as exc:
        log.info("could not mark a note: %s", slack_error(exc))
        await say_privately(client, channel, user, "Kept in Slack as an internal note.")
