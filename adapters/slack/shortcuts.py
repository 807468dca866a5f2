"""Message shortcuts on any Slack message: "Look up order" and "Flag issue".

"Look up order" finds the e-mail addresses, order numbers and tracking numbers in the
message and shows the matching staff cards to the asker only (ephemeral, or their DM where
the bot is not in the channel); each look-up is audited. "Flag issue" opens the flag modal
for the order the message names, the note prefilled with the message and the kind guessed
from its words. Both are staff-only, like every staff action.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import cards
from adapters.slack.desk import StaffDesk, say_privately
from adapters.slack.handoff import plain_text
from adapters.slack.modals import Origin, flag_modal
from adapters.slack.opening import Opening, open_for_staff
from core.staff import guess_flag_kind, order_number_in, queries_in

LOOKUP_SHORTCUT = "lookup_order"
FLAG_SHORTCUT = "flag_issue"
# callback id -> the name staff see in the message's "More actions" menu (and the manifest's)
SHORTCUTS = {LOOKUP_SHORTCUT: "Look up order", FLAG_SHORTCUT: "Flag issue"}
QUOTE_LIMIT = 500  # of the message, prefilled as the flag's note

_MENTION = re.compile(r"<[@!#][^>]*>")
NOTHING_FOUND = "I found no order number, tracking number or e-mail address in that message."


def message_text(body: dict[str, Any]) -> str:
    """The message's words as a person reads them: its text and its attachments' text."""
    message = body.get("message") or {}
    parts = [message.get("text")]
    attachments = message.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        if isinstance(attachment, dict):
            parts += [attachment.get(k) for k in ("title", "text", "fallback")]
    text = " ".join(p for p in parts if isinstance(p, str))
    return plain_text(_MENTION.sub(" ", text))  # mailto links become addresses


def register(app: AsyncApp, desk: StaffDesk) -> None:
    """Add the message shortcut listeners to `app`."""

    @app.shortcut(LOOKUP_SHORTCUT)
    async def look_up_order(
        ack: Any, body: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        await ack()
        await look_up_in_message(desk, client, body, context)

    @app.shortcut(FLAG_SHORTCUT)
    async def flag_issue(
        ack: Any, body: dict[str, Any], client: AsyncWebClient, context: Any
    ) -> None:
        await ack()
        channel = (body.get("channel") or {}).get("id")
        # Not the message's ts: it is someone else's message, never a card to redraw.
        where = cards.Where(channel=channel, ts=None)
        origin = Origin(subject="", channel=channel)
        await open_for_staff(
            desk, client, body, context, where, origin, _flag_prepare(message_text(body))
        )


async def look_up_in_message(
    desk: StaffDesk, client: AsyncWebClient, body: dict[str, Any], context: Any
) -> None:
    """ "Look up order": the card of every order the message mentions, to the asker only."""
    channel = (body.get("channel") or {}).get("id")
    user = str((body.get("user") or {}).get("id") or "")
    actor, refusal = await desk.refusal(body, context)
    if refusal or actor is None:
        await say_privately(client, channel, user, refusal or "")
        return
    queries = queries_in(message_text(body), desk.config)
    if not queries:
        await say_privately(client, channel, user, NOTHING_FOUND)
        return
    shown: set[str] = set()
    for query in queries:
        reply = await desk.look_up(actor, query, via="message_shortcut")
        if reply.intent == "staff_not_found":
            continue
        key = reply.order_number or f"list:{query}"
        if key in shown:  # the e-mail and the number of one order: one card
            continue
        shown.add(key)
        await cards.tell(client, channel, actor.user_id, reply)
    if not shown:
        looked = ", ".join(queries)
        await say_privately(client, channel, user, f"No order matches {looked}.")


def _flag_prepare(
    text: str,
) -> Callable[[StaffDesk, AsyncWebClient, Origin], Coroutine[Any, Any, Opening]]:
    async def prepare(desk: StaffDesk, client: AsyncWebClient, origin: Origin) -> Opening:
        async with desk.database.session() as session:
            number = await order_number_in(session, text, desk.config)
        if number is None:
            return Opening(
                note="I found no single order in that message. Use /wismo flag <order number>."
            )
        quote = " ".join(text.split())
        if len(quote) > QUOTE_LIMIT:
            quote = quote[: QUOTE_LIMIT - 1] + "…"
        about = Origin(subject=number, channel=origin.channel)  # no wismo card to redraw
        view = flag_modal(number, about, kind=guess_flag_kind(text), note=f"From Slack: {quote}")
        return Opening(view=view)

    return prepare
