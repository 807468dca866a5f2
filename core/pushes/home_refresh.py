"""Staff Home tabs to redraw: who looks at one, and debounced refresh requests in the outbox.

A staff member who opens wismo's Home tab in Slack is remembered as a viewer (a
ChannelIdentity on channel "slack", `last_seen_at` = the last opening). When the support
queue changes — a flag raised, assigned or resolved, a return asked for or decided, a
hand-off opened, taken or closed — `queue_changed` writes one outbox row per viewer on
channel `slack_home`, in the caller's transaction. The rows are debounced: every change in
the same DEBOUNCE window shares one dedupe key, so a burst of twenty flags redraws each Home
once, at the end of the window. The dispatcher claims these rows like any push, so on
several replicas exactly one publishes each; the Slack adapter's Home sender rebuilds the
view from the database when it sends, so a refresh always shows the queue as it is then.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes import notifications
from core.replies.reply import Reply
from core.runtime.clock import Clock
from core.storage.models import ChannelIdentity, Notification

HOME_CHANNEL = "slack_home"  # outbox channel of Home refreshes; recipient = Slack user id
VIEWER_CHANNEL = "slack"  # ChannelIdentity.channel of a staff member who opened Home
HOME_KIND = "home_refresh"
DEBOUNCE = timedelta(seconds=5)
# A refresh is due a moment after its window closes, so that a change whose transaction
# read the clock inside the window has committed before the Home is rebuilt.
GRACE = timedelta(seconds=1)
# Someone who has not opened Home for this long is no longer redrawn (their Home is
# published afresh when they open it again).
VIEWER_TTL = timedelta(days=30)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


async def home_viewed(
    session: AsyncSession, clock: Clock, user_id: str, display_name: str = ""
) -> ChannelIdentity:
    """Remember that staff member `user_id` opened their Home tab now (idempotent)."""
    now = clock.now()
    identity = (
        await session.exec(
            select(ChannelIdentity).where(
                ChannelIdentity.channel == VIEWER_CHANNEL, ChannelIdentity.external_id == user_id
            )
        )
    ).first()
    if identity is None:
        identity = ChannelIdentity(
            channel=VIEWER_CHANNEL,
            external_id=user_id[:128],
            display_name=display_name[:200],
            created_at=now,
        )
    identity.last_seen_at = now
    if display_name:
        identity.display_name = display_name[:200]
    session.add(identity)
    await session.flush()
    return identity


async def home_viewers(session: AsyncSession, clock: Clock) -> list[str]:
    """Slack user ids of the staff who opened Home within VIEWER_TTL, in id order."""
    rows = await session.exec(
        select(ChannelIdentity.external_id)
        .where(
            ChannelIdentity.channel == VIEWER_CHANNEL,
            col(ChannelIdentity.last_seen_at) >= clock.now() - VIEWER_TTL,
        )
        .order_by(col(ChannelIdentity.id))
    )
    return list(rows.all())


def refresh_window(at: datetime) -> tuple[int, datetime]:
    """The debounce window `at` falls in, and when that window's refresh is due."""
    window = int((at - _EPOCH) // DEBOUNCE)
    return window, _EPOCH + DEBOUNCE * (window + 1) + GRACE


async def queue_changed(session: AsyncSession, clock: Clock) -> int:
    """The support queue changed: ask for every viewer's Home to be redrawn; rows written.

    Runs in the caller's transaction, so the refresh commits with the change (or not at all).
    """
    viewers = await home_viewers(session, clock)
    if not viewers:
        return 0
    window, due = refresh_window(clock.now())
    keys = {f"home:{user}:{window}": user for user in viewers}
    taken = set(
        (
            await session.exec(
                select(Notification.dedupe_key).where(col(Notification.dedupe_key).in_(keys))
            )
        ).all()
    )
    written = 0
    for key, user in keys.items():
        if key in taken:
            continue
        row = await notifications.enqueue_staff_alert(
            session,
            clock,
            user,
            Reply.text("Your wismo Home tab changed.", intent="staff_home"),
            kind=HOME_KIND,
            dedupe_key=key,
            channel=HOME_CHANNEL,
            not_before=due,
        )
        written += row is not None
    return written
