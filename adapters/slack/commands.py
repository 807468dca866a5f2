"""`/wismo …`, direct messages and @mentions: look an order up, open "Flag issue", help."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import cards
from adapters.slack.blocks import escape
from adapters.slack.desk import HELP, StaffDesk, say_privately
from adapters.slack.modals import Origin
from adapters.slack.opening import flag_opening, open_for_staff
from core.staff import extract_query

log = logging.getLogger(__name__)

_MENTION = re.compile(r"<[@!#][^>]*>")


def register(app: AsyncApp, desk: StaffDesk) -> None:
    """Add the slash command and the message listeners to `app`."""

    @app.command("/wismo")
    async def wismo_command(
        ack: Any, body: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        await ack()
        channel = body.get("channel_id")
        user = body["user_id"]
        verb, _, rest = (body.get("text") or "").strip().partition(" ")
        verb, rest = verb.lower(), rest.strip()
        if verb in ("", "help"):
            await say_privately(client, channel, user, HELP)
            return
        if verb == "flag":  # opens a modal: checked in time for its trigger_id
            number = rest.removeprefix("#")
            origin = Origin(subject=number, channel=channel, card=f"order:{number}")
            where = cards.Where(channel=channel, ts=None)
            await open_for_staff(desk, client, body, context, where, origin, flag_opening)
            return
        actor, refusal = await desk.refusal(body, context)
        if refusal or actor is None:
            await say_privately(client, channel, user, refusal or "")
            return
        if verb == "order":
            if not rest:
                await say_privately(
                    client,
                    channel,
                    user,
                    "Usage: /wismo order <order number | e-mail | tracking number>",
                )
                return
            await cards.tell(client, channel, user, await desk.look_up(actor, rest))
        elif extract_query(verb, desk.config):  # "/wismo 1001" is a look-up too
            await cards.tell(client, channel, user, await desk.look_up(actor, verb))
        else:
            await say_privately(client, channel, user, f"I don't know “{verb}”.\n\n{HELP}")

    @app.event("app_mention")
    async def mentioned(
        body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        await _answer_message(desk, client, body, event, context, in_dm=False)

    @app.event("message")
    async def direct_message(
        body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return  # edits, joins and other bots' messages are not questions
        await _answer_message(desk, client, body, event, context, in_dm=True)


async def _answer_message(
    desk: StaffDesk,
    client: AsyncWebClient,
    body: dict[str, Any],
    event: dict[str, Any],
    context: Any,
    *,
    in_dm: bool,
) -> None:
    channel, user = event.get("channel"), event.get("user")
    if not user:
        return
    actor, refusal = await desk.refusal(body, context)
    if refusal or actor is None:
        await _reply(client, channel, user, in_dm, refusal or "")
        return
    query = extract_query(_MENTION.sub(" ", event.get("text") or ""), desk.config)
    if query is None:
        await _reply(
            client,
            channel,
            user,
            in_dm,
            "Send me an order number, an e-mail address or a tracking number.\n\n" + HELP,
        )
        return
    reply = await desk.look_up(actor, query)
    if in_dm:
        await client.chat_postMessage(channel=channel or user, **cards.render(reply))
    else:
        # A card in a channel would show the customer to everyone there; only the asker sees it.
        await cards.tell(client, channel, user, reply)


async def _reply(
    client: AsyncWebClient, channel: str | None, user: str, in_dm: bool, text: str
) -> None:
    if in_dm:
        await client.chat_postMessage(channel=channel or user, text=escape(text))
    else:
        await say_privately(client, channel, user, text)
