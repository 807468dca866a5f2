"""Subscriptions, push preferences, quiet hours and the outbox writer.

Everything here runs inside the caller's transaction: a status change and the pushes it
causes commit together (transactional outbox). The dispatcher (`core.pushes.dispatch`) sends what
lands in the outbox; a session that enqueued something is marked so the dispatcher can be
woken as soon as that transaction commits (see `outbox_touched`).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from sqlalchemy import delete, exists, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes.quiet_hours import quiet_until, shopper_timezone
from core.replies.reply import Reply
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.runtime.zones import zone
from core.storage.models import ChannelIdentity, LiveStatus, Notification, Subscription

log = logging.getLogger(__name__)

# session.info key: set when the session's transaction added an outbox row.
OUTBOX_TOUCHED = "wismo.outbox_touched"
MAX_DEDUPE_KEY = 200


class OutboxError(ValueError):
    """A push could not be written as asked (bad key, unknown recipient)."""


def outbox_touched(session: AsyncSession) -> None:
    """Mark the session: its transaction wrote to the outbox, so wake the dispatcher on commit."""
    session.info[OUTBOX_TOUCHED] = True


# --- following an order ----------------------------------------------------------------


async def follow(
    session: AsyncSession, clock: Clock, identity_id: int, order_id: int
) -> Subscription:
    """Make `identity_id` follow `order_id` (idempotent; re-activates a stopped subscription)."""
    now = clock.now()
    subscription = await _subscription(session, identity_id, order_id)
    if subscription is None:
        subscription = Subscription(
            identity_id=identity_id, order_id=order_id, active=True, created_at=now, updated_at=now
        )
        try:
            async with session.begin_nested():
                session.add(subscription)
        except IntegrityError:
            # Another transaction subscribed the same pair a moment ago; use its row.
            subscription = await _subscription(session, identity_id, order_id)
            if subscription is None:
                raise
    if not subscription.active:
        subscription.active = True
        subscription.updated_at = now
        session.add(subscription)
    return subscription


async def unfollow(session: AsyncSession, clock: Clock, identity_id: int, order_id: int) -> bool:
    """Stop `identity_id` following `order_id` and cancel its unsent pushes about that order.

    Returns True when the identity was following the order.
    """
    subscription = await _subscription(session, identity_id, order_id)
    if subscription is None or not subscription.active:
        return False
    subscription.active = False
    subscription.updated_at = clock.now()
    session.add(subscription)
    await _cancel_pending(
        session,
        Notification.identity_id == identity_id,
        Notification.order_id == order_id,
        reason="unfollowed",
    )
    # A later follow starts a fresh live message at the bottom of the chat.
    await session.exec(
        delete(LiveStatus).where(
            col(LiveStatus.identity_id) == identity_id, col(LiveStatus.order_id) == order_id
        )
    )
    return True


async def is_following(session: AsyncSession, identity_id: int, order_id: int) -> bool:
    """True when the identity actively follows the order."""
    subscription = await _subscription(session, identity_id, order_id)
    return subscription is not None and subscription.active


async def followers(session: AsyncSession, order_id: int) -> list[ChannelIdentity]:
    """The identities that should hear about the order: following, pushes on, not blocked."""
    rows = await session.exec(
        select(ChannelIdentity)
        .join(Subscription, col(Subscription.identity_id) == col(ChannelIdentity.id))
        .where(
            Subscription.order_id == order_id,
            col(Subscription.active).is_(True),
            col(ChannelIdentity.pushes_enabled).is_(True),
            col(ChannelIdentity.blocked_at).is_(None),
        )
        .order_by(col(ChannelIdentity.id))
    )
    return list(rows.all())


async def set_pushes(
    session: AsyncSession, clock: Clock, identity: ChannelIdentity, enabled: bool
) -> None:
    """/start and /stop: turn all pushes to this identity on or off.

    Turning them off also cancels the pushes still waiting in the outbox for it.
    """
    identity.pushes_enabled = enabled
    if enabled:
        # Talking to us again proves the chat is no longer blocked.
        identity.blocked_at = None
    session.add(identity)
    if not enabled and identity.id is not None:
        await _cancel_pending(session, Notification.identity_id == identity.id, reason="stopped")
        await session.exec(delete(LiveStatus).where(col(LiveStatus.identity_id) == identity.id))


async def _subscription(
    session: AsyncSession, identity_id: int, order_id: int
) -> Subscription | None:
    result = await session.exec(
        select(Subscription).where(
            Subscription.identity_id == identity_id, Subscription.order_id == order_id
        )
    )
    return result.first()


async def _cancel_pending(session: AsyncSession, *conditions: object, reason: str) -> int:
    result = await session.exec(
        update(Notification)
        .where(col(Notification.state) == "pending", *conditions)  # type: ignore[arg-type]
        .values(state="cancelled", last_error=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# --- the outbox ------------------------------------------------------------------------


async def enqueue(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    reply: Reply,
    kind: str,
    dedupe_key: str,
    urgent: bool = False,
    order_id: int | None = None,
    *,
    shipment_id: int | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    timezone: str | None = None,
    respect_opt_out: bool = True,
) -> Notification | None:
    """Write one push to `identity` into the outbox, in the caller's transaction.

    Returns None (and writes nothing) when the same `dedupe_key` was enqueued before, when
    the identity blocked the bot, or — unless `respect_opt_out=False`, for answers a person
    asked for, such as an agent's reply — when the identity turned pushes off with /stop.
    A non-urgent push that falls in the shopper's quiet hours waits until they end (or, with
    `config.quiet_hours_mode == "silent"`, goes now without a sound);
    `timezone` skips the look-up when the caller already knows the shopper's zone.
    """
    _check_key(dedupe_key)
    if identity.id is None:
        raise OutboxError("the identity has no id yet; flush it before enqueueing")
    if identity.blocked_at is not None:
        return None
    if respect_opt_out and not identity.pushes_enabled:
        return None
    if reply.locale is None:  # the chat's language, for the dates its renderer writes
        reply = replace(reply, locale=identity.locale or config.default_language)
    now = clock.now()
    not_before = now
    if not urgent:
        tz_name = timezone or await shopper_timezone(session, config, identity, order_id)
        wake = quiet_until(
            now, zone(tz_name, config.timezone), config.quiet_hours_start, config.quiet_hours_end
        )
        if wake is not None and config.quiet_hours_mode == "silent":
            reply = replace(reply, silent=True)  # now, but without a sound
        elif wake is not None:
            not_before = wake
    notification = Notification(
        identity_id=identity.id,
        channel=identity.channel,
        recipient=identity.external_id,
        order_id=order_id,
        shipment_id=shipment_id,
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        dedupe_key=dedupe_key,
        reply=reply.to_dict(),
        urgent=urgent,
        state="pending",
        not_before=not_before,
        created_at=now,
    )
    return await _insert_once(session, notification)


async def enqueue_staff_alert(
    session: AsyncSession,
    clock: Clock,
    channel_id: str,
    reply: Reply,
    kind: str,
    dedupe_key: str,
    subject_type: str | None = None,
    subject_id: int | None = None,
    *,
    order_id: int | None = None,
    shipment_id: int | None = None,
    channel: str = "slack",
    not_before: datetime | None = None,
) -> Notification | None:
    """Write an alert for staff (a Slack channel, no single shopper) into the outbox.

    Staff alerts ignore quiet hours; `not_before` holds one back until then (a debounced Home
    refresh, a case the shop wants opened only after a wait). Returns None when `dedupe_key`
    was enqueued before.
    """
    _check_key(dedupe_key)
    if not channel_id:
        raise OutboxError("a staff alert needs a channel id")
    now = clock.now()
    notification = Notification(
        identity_id=None,
        channel=channel,
        recipient=channel_id,
        order_id=order_id,
        shipment_id=shipment_id,
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        dedupe_key=dedupe_key,
        reply=reply.to_dict(),
        urgent=True,
        state="pending",
        not_before=max(now, not_before) if not_before is not None else now,
        created_at=now,
    )
    return await _insert_once(session, notification)


def _check_key(dedupe_key: str) -> None:
    if not dedupe_key or len(dedupe_key) > MAX_DEDUPE_KEY:
        raise OutboxError(f"dedupe_key must be 1..{MAX_DEDUPE_KEY} characters")


async def _insert_once(session: AsyncSession, notification: Notification) -> Notification | None:
    already = await session.scalar(
        select(exists().where(col(Notification.dedupe_key) == notification.dedupe_key))
    )
    if already:
        return None
    try:
        # A savepoint: a concurrent twin must not spoil the caller's transaction.
        async with session.begin_nested():
            session.add(notification)
    except IntegrityError:
        return None
    outbox_touched(session)
    return notification
