"""Opening a hand-off thread: the card in the support channel, and when someone will answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.handoff.cards import thread_card
from core.handoff.notices import SUBJECT, shopper_name
from core.handoff.support_hours import support_hours
from core.handoff.threads import open_thread_of
from core.pushes import notifications
from core.pushes.home_refresh import queue_changed
from core.replies.messages import format_moment, text
from core.replies.reply import Reply
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.runtime.zones import zone
from core.staff.lookup import staff_order_card
from core.storage import audit
from core.storage.models import ChannelIdentity, HandoffThread, InboundLog, Notification

RECENT_WINDOW = timedelta(hours=24)
RECENT_COUNT = 6


class NoSupportChannel(Exception):
    """WISMO_SLACK_SUPPORT_CHANNEL is not set, so there is nobody to hand over to."""


@dataclass(frozen=True)
class Opened:
    """The shopper's thread; `new` is False when one was open already.

    `opens_at` is when support opens next, when the thread was opened outside support hours.
    """

    thread: HandoffThread
    new: bool
    opens_at: datetime | None


def opening_words(when: datetime, locale: str | None = None) -> str:
    """ "Mon 2 Nov, 09:00 (Europe/Berlin)" in the support zone, in `locale`'s words (the
    staff card passes none: English)."""
    tz = when.tzinfo or UTC
    return text("date.moment_zone", locale, moment=format_moment(when, tz, locale), zone=tz)


async def open_thread(
    session: AsyncSession,
    clock: Clock,
    config: CoreConfig,
    identity: ChannelIdentity,
    *,
    message: str,
    order_id: int | None = None,
) -> Opened:
    """Open a thread for the shopper (or return the one still open) and post its card."""
    if not config.slack_support_channel:
        raise NoSupportChannel()
    assert identity.id is not None
    existing = await open_thread_of(session, identity.id)
    if existing is not None:
        return Opened(existing, False, None)
    now = clock.now()
    hours = support_hours(config)
    opens_at = None if hours.is_open(now) else hours.next_opening(now)
    thread = HandoffThread(
        identity_id=identity.id,
        order_id=order_id,
        state="waiting",
        slack_channel=config.slack_support_channel,
        # Silence is counted from when someone could first answer, so a thread opened on
        # Friday night is not closed as idle before Monday morning.
        last_activity_at=max(now, opens_at) if opens_at else now,
        created_at=now,
    )
    session.add(thread)
    await session.flush()
    assert thread.id is not None
    recent = (
        await session.exec(
            select(InboundLog.at, InboundLog.intent)
            .where(InboundLog.identity_id == identity.id, InboundLog.at >= now - RECENT_WINDOW)
            .order_by(col(InboundLog.at).desc(), col(InboundLog.id).desc())
            .limit(RECENT_COUNT)
        )
    ).all()
    shop_zone = zone(config.timezone)
    card = thread_card(
        thread,
        shopper=await shopper_name(session, identity),
        channel=identity.channel,
        message=message.strip(),
        recent=[(at.astimezone(shop_zone), intent) for at, intent in reversed(recent)],
        order_card=(await staff_order_card(session, order_id, tz=shop_zone) if order_id else None),
        opens_at=opening_words(opens_at) if opens_at else None,
        note_marker=config.handoff_note_marker,
    )
    await notifications.enqueue_staff_alert(
        session,
        clock,
        config.slack_support_channel,
        card,
        kind="handoff_opened",
        dedupe_key=f"handoff:{thread.id}:open",
        subject_type=SUBJECT,
        subject_id=thread.id,
        order_id=order_id,
    )
    await audit.record(
        session,
        clock,
        actor=f"{identity.channel}:{identity.external_id}",
        action="handoff.opened",
        subject_type=SUBJECT,
        subject_id=thread.id,
        after={"order_id": order_id, "outside_hours": opens_at is not None},
    )
    await queue_changed(session, clock)
    return Opened(thread, True, opens_at)


async def thread_card_now(session: AsyncSession, thread: HandoffThread) -> Reply | None:
    """The thread's card as it is now, for the Slack adapter to redraw after a click.

    Built from the card the outbox posted (it holds the shopper's message, which is not
    stored elsewhere), with the state line and buttons brought up to date.
    """
    posted = (
        await session.exec(
            select(Notification.reply).where(Notification.dedupe_key == f"handoff:{thread.id}:open")
        )
    ).first()
    if posted is None:
        return None
    card = Reply.from_dict(dict(posted))
    fresh = thread_card(
        thread, shopper="", channel="", message="", recent=[], order_card=None, opens_at=None
    )
    state = next(f for f in fresh.sections[0].fields if f.label == "State")
    card.sections[0].fields = [state if f.label == "State" else f for f in card.sections[0].fields]
    card.buttons = fresh.buttons
    return card
