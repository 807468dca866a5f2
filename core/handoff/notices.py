"""What a hand-off tells people: notices pushed to the shopper, lines posted into the thread."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from core.handoff.cards import first_name_of, notice
from core.pushes import notifications
from core.replies.messages import text
from core.replies.reply import Reply
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage.models import ChannelIdentity, Customer, HandoffThread

SUBJECT = "handoff"
THREAD_CHANNEL = "slack_thread"  # the outbox channel of messages posted into a thread


async def shopper_name(session: AsyncSession, identity: ChannelIdentity) -> str:
    """The shopper's first name: the verified customer's, else the chat's, else "The shopper"."""
    if identity.customer_id is not None and identity.verified_at is not None:
        customer = await session.get(Customer, identity.customer_id)
        if customer is not None and customer.first_name:
            return customer.first_name
    return first_name_of(identity.display_name) or "The shopper"


async def post_in_thread(
    session: AsyncSession, clock: Clock, thread: HandoffThread, reply: Reply
) -> None:
    """Post `reply` into the thread through the outbox (channel `slack_thread`)."""
    assert thread.id is not None
    await notifications.enqueue_staff_alert(
        session,
        clock,
        f"{thread.slack_channel}:{thread.slack_thread_ts}",
        reply,
        kind="handoff_message",
        dedupe_key=f"handoff:{thread.id}:msg:{uuid.uuid4().hex}",
        subject_type=SUBJECT,
        subject_id=thread.id,
        order_id=thread.order_id,
        channel=THREAD_CHANNEL,
    )


async def tell_shopper(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    thread: HandoffThread,
    wording: str,
    *,
    key: str,
    **values: object,
) -> None:
    """Push the notice `wording` (a catalogue key, filled with `values`) to the shopper, in
    their language (once per thread and `key`)."""
    identity = await session.get(ChannelIdentity, thread.identity_id)
    if identity is None or thread.id is None:
        return
    message = text(wording, identity.locale, **values)
    await notifications.enqueue(
        session,
        clock,
        config,
        identity,
        notice(message),
        kind=f"handoff_{key}",
        dedupe_key=f"handoff:{thread.id}:{key}",
        urgent=True,
        order_id=thread.order_id,
        subject_type=SUBJECT,
        subject_id=thread.id,
        respect_opt_out=False,
    )
