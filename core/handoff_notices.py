"""What a hand-off tells people: notices pushed to the shopper, lines posted into the thread."""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from core import notifications
from core.clock import Clock
from core.config import CoreConfig
from core.handoff_replies import first_name_of, notice
from core.models import ChannelIdentity, Customer, HandoffThread
from core.replies import Reply

SUBJECT = "handoff"
THREAD_CHANNEL = "slack_thread"  # the outbox channel of messages posted into a thread

SHOPPER_TEXTS = {
    "taken": "{agent} from {shop} is here and will answer you in this chat.",
    "back": "{agent} has handed you back to the {shop} assistant. Ask me anything, or tap "
    '"Talk to a person" if you need our team again.',
    "idle": "It's been quiet for a while, so you're back with the {shop} assistant. Tap "
    '"Talk to a person" if you need our team again.',
    "closed_waiting": "Our team has closed your request. If you still need help, tap "
    '"Talk to a person".',
    "idle_waiting": "Sorry — nobody from our team could pick up your message in time. You're "
    'with the {shop} assistant; tap "Talk to a person" to try again.',
}


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
    text: str,
    *,
    key: str,
) -> None:
    """Push a hand-off notice to the shopper (once per thread and `key`)."""
    identity = await session.get(ChannelIdentity, thread.identity_id)
    if identity is None or thread.id is None:
        return
    await notifications.enqueue(
        session,
        clock,
        config,
        identity,
        notice(text),
        kind=f"handoff_{key}",
        dedupe_key=f"handoff:{thread.id}:{key}",
        urgent=True,
        order_id=thread.order_id,
        subject_type=SUBJECT,
        subject_id=thread.id,
        respect_opt_out=False,
    )
