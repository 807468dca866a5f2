"""Staff cards in Slack: which card a message shows, rebuilding it, and updating it in place.

Each rendered card carries a reference in its actions block's `block_id` ("order:1001",
"return:5", "flag:7"); Slack sends that block_id back with every click — also from
ephemeral messages, whose payloads carry no message — so a click can rebuild its card.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.slack import blocks
from adapters.slack.errors import slack_error
from core.handoff import thread_card_now
from core.replies import Reply
from core.staff import FlagNotFound, flag_card_of, return_card, staff_order_card
from core.storage import HandoffThread, Notification, Order, OrderItem, ReturnItem, ReturnRequest

log = logging.getLogger(__name__)

REF_SEPARATOR = "~"
# chat.postEphemeral errors that mean "not in this channel", not "broken message".
_NOT_HERE = frozenset({"channel_not_found", "not_in_channel", "is_archived", "user_not_in_channel"})


def card_ref(reply: Reply) -> str | None:
    """The reference of the card a reply renders, from its intent and buttons."""
    if reply.intent == "staff_return":
        ids = [b.payload for b in reply.buttons if b.action.startswith("return_")]
        return f"return:{ids[0]}" if ids else None
    if reply.intent == "staff_flag":
        ids = [b.payload for b in reply.buttons if b.action == "flag_resolve"]
        return f"flag:{ids[0]}" if ids else None
    if reply.intent == "staff_handoff":
        ids = [b.payload for b in reply.buttons if b.action.startswith("handoff_")]
        return f"handoff:{ids[0]}" if ids else None
    if reply.intent == "staff_order" and reply.order_number:
        return f"order:{reply.order_number}"
    return None


def render(reply: Reply) -> dict[str, Any]:
    """chat.* keyword arguments for a card, its reference stamped on its actions blocks."""
    kwargs = blocks.message(reply)
    ref = card_ref(reply)
    if ref:
        actions = [b for b in kwargs["blocks"] if b["type"] == "actions"]
        for index, block in enumerate(actions):
            block["block_id"] = ref if index == 0 else f"{ref}{REF_SEPARATOR}{index}"
    return kwargs


def ref_of_block(block_id: str | None) -> str | None:
    """The card reference behind an actions block's id."""
    if not block_id or ":" not in block_id:
        return None
    return block_id.split(REF_SEPARATOR, 1)[0]


async def return_card_of(
    session: AsyncSession, return_id: int, names: dict[str, str] | None = None, tz: tzinfo = UTC
) -> Reply | None:
    """The current card of a return request, or None when it does not exist."""
    request = await session.get(ReturnRequest, return_id)
    if request is None:
        return None
    order = await session.get(Order, request.order_id)
    assert order is not None
    rows = await session.exec(
        select(OrderItem.name, ReturnItem.qty)
        .join(ReturnItem, col(ReturnItem.order_item_id) == col(OrderItem.id))
        .where(ReturnItem.return_id == return_id)
        .order_by(col(ReturnItem.id))
    )
    items = [(name, qty) for name, qty in rows.all()]
    return return_card(order, request, items, names, tz)


async def current_card(
    session: AsyncSession, ref: str | None, names: dict[str, str] | None = None, tz: tzinfo = UTC
) -> Reply | None:
    """Rebuild the card `ref` names from the database, as it is now (times in `tz`)."""
    if not ref:
        return None
    kind, _, key = ref.partition(":")
    if kind == "order":
        order = (await session.exec(select(Order).where(Order.number == key))).first()
        if order is None or order.id is None:
            return None
        return await staff_order_card(session, order.id, names, tz)
    if not key.isdigit():
        return None
    if kind == "return":
        return await return_card_of(session, int(key), names, tz)
    if kind == "handoff":
        thread = await session.get(HandoffThread, int(key))
        return await thread_card_now(session, thread) if thread is not None else None
    if kind == "flag":
        try:
            return await flag_card_of(session, int(key), names, tz)
        except FlagNotFound:
            return None
    return None


@dataclass(frozen=True)
class Where:
    """A posted message: a channel message (channel + ts) or an ephemeral one (response_url)."""

    channel: str | None
    ts: str | None
    response_url: str | None = None
    ephemeral: bool = False

    @classmethod
    def of_action(cls, body: dict[str, Any]) -> Where:
        """The message a button was clicked on."""
        container = body.get("container") or {}
        channel = _text(container.get("channel_id")) or _text((body.get("channel") or {}).get("id"))
        return cls(
            channel=channel,
            ts=_text(container.get("message_ts")),  # a list here once reached the database
            response_url=_text(body.get("response_url")),
            ephemeral=container.get("is_ephemeral") is True,
        )


def _text(value: Any) -> str | None:
    """A field Slack sends as text, or None when it is anything else (or absent)."""
    return value if isinstance(value, str) and value else None


async def replace(client: AsyncWebClient, where: Where, reply: Reply) -> None:
    """Show `reply` in place of the card at `where`."""
    kwargs = render(reply)
    if where.ephemeral or not where.ts:
        if where.response_url:
            webhook = AsyncWebhookClient(where.response_url)
            await webhook.send(replace_original=True, **kwargs)
        return
    assert where.channel is not None
    await client.chat_update(channel=where.channel, ts=where.ts, **kwargs)


async def tell(client: AsyncWebClient, channel: str | None, user: str, reply: Reply) -> None:
    """Show `reply` to one person only, in the channel they are working in (or their DM).

    Where the bot cannot post (a channel it was not invited to), the answer goes to the
    person's DM with the bot instead of being lost.
    """
    try:
        await client.chat_postEphemeral(channel=channel or user, user=user, **render(reply))
    except SlackApiError as exc:
        if slack_error(exc) not in _NOT_HERE:
            raise
        log.info("cannot post in %s (%s); answering in a DM", channel, slack_error(exc))
        await client.chat_postMessage(channel=user, **render(reply))


async def refresh_alert(
    client: AsyncWebClient,
    session: AsyncSession,
    subject_type: str,
    subject_id: int,
    reply: Reply,
    *,
    skip: Where | None = None,
) -> None:
    """Update the alert card posted from the outbox about a flag or return, if there is one."""
    rows = await session.exec(
        select(Notification.external_ref)
        .where(
            Notification.subject_type == subject_type,
            Notification.subject_id == subject_id,
            Notification.channel == "slack",
            col(Notification.identity_id).is_(None),
            col(Notification.external_ref).is_not(None),
        )
        .order_by(col(Notification.id))
    )
    for ref in rows.all():
        channel, _, ts = (ref or "").partition(":")
        if not channel or not ts or (skip and (skip.channel, skip.ts) == (channel, ts)):
            continue
        try:
            await client.chat_update(channel=channel, ts=ts, **render(reply))
        except SlackApiError as exc:  # the alert may have been deleted; the decision stands
            log.warning("could not update the alert %s: %s", ref, slack_error(exc))
