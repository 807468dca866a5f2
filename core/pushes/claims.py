"""The outbox's SQL: claim due pushes with a lease, reclaim dead claims, record outcomes.

Used by core.pushes.dispatch. A claim is ONE statement: on PostgreSQL the rows are picked with
`FOR UPDATE SKIP LOCKED` (concurrent claimers skip each other's rows instead of
waiting); on SQLite the conditional UPDATE runs under the database's write lock. A push
is claimable only when no earlier push to the same chat is in flight or waiting for a
retry — that keeps order per chat across any number of dispatchers — while a push held
back by quiet hours (never tried) does not hold up a later urgent one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, exists, or_, select, update

from core.pushes.outcomes import Claimed, Verdict
from core.replies.sender import RateLimited
from core.storage import locks
from core.storage.models import ChannelIdentity, Notification

log = logging.getLogger(__name__)

N = Notification.__table__  # type: ignore[attr-defined]
PAUSE_PREFIX = "pause:"
_MARKED = ("state", "not_before", "attempts", "claimed_by", "lease_until", "last_error",
           "external_ref", "sent_at")  # fmt: skip


async def reap(session: Any, now: datetime) -> int:
    """Make pushes whose claim's lease ran out (their dispatcher died) pending again."""
    result = await session.execute(
        update(N)
        .where(N.c.state == "claimed", N.c.lease_until < now)
        .values(state="pending", claimed_by=None, lease_until=None)
    )
    reaped = int(result.rowcount or 0)
    if reaped:
        log.warning("reclaimed %d pushes whose dispatcher stopped mid-send", reaped)
    return reaped


async def claim(
    session: Any,
    *,
    now: datetime,
    channels: Sequence[str],
    worker: str,
    lease: timedelta,
    limit: int,
    postgresql: bool,
) -> list[Claimed]:
    """Claim up to `limit` due pushes on `channels` for `worker` until `now + lease`."""
    earlier = N.alias("earlier")
    in_the_way = exists().where(
        earlier.c.channel == N.c.channel,
        earlier.c.recipient == N.c.recipient,
        earlier.c.id < N.c.id,
        or_(
            earlier.c.state == "claimed",
            and_(
                earlier.c.state == "pending",
                # due, or already tried once (a retry keeps its place in the chat)
                or_(earlier.c.not_before <= now, earlier.c.attempts > 0),
            ),
        ),
    )
    picked = (
        select(N.c.id)
        .where(
            N.c.state == "pending",
            N.c.not_before <= now,
            N.c.channel.in_(channels),
            ~in_the_way,
        )
        .order_by(N.c.not_before, N.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite's UPDATE is atomic anyway
    )
    if postgresql:  # a CTE keeps the LIMIT and the row locks in one pick
        picked = picked.cte("picked")  # type: ignore[assignment]
        picked = select(picked.c.id)  # type: ignore[attr-defined]
    result = await session.execute(
        update(N)
        .where(N.c.id.in_(picked), N.c.state == "pending")
        .values(
            state="claimed",
            claimed_by=worker,
            lease_until=now + lease,
            attempts=N.c.attempts + 1,
        )
        .returning(
            N.c.id,
            N.c.channel,
            N.c.recipient,
            N.c.reply,
            N.c.attempts,
            N.c.identity_id,
            N.c.not_before,
        )
    )
    rows = [Claimed(*row) for row in result.all()]
    rows.sort(key=lambda c: c.id)
    return rows


async def record(session: Any, verdicts: Sequence[Verdict], *, worker: str, now: datetime) -> None:
    """Write what happened to each push; block identities and pause channels as told."""
    marks: dict[str, Any] = {name: bindparam(f"b_{name}") for name in _MARKED}
    sent = [v.row() for v in verdicts if v.state == "sent"]
    other = [v.row() for v in verdicts if v.state != "sent"]
    if sent:
        # Sent is the truth even if our lease ran out meanwhile: never send it again.
        await session.execute(
            update(N)
            .where(N.c.id == bindparam("b_id"), or_(N.c.state == "claimed", N.c.state == "pending"))
            .values(marks),
            sent,
        )
    if other:
        await session.execute(
            update(N)
            .where(N.c.id == bindparam("b_id"), N.c.state == "claimed", N.c.claimed_by == worker)
            .values(marks),
            other,
        )
    for verdict in verdicts:
        if verdict.blocked and verdict.item.identity_id is not None:
            await block(session, verdict.item.identity_id, now)
        if isinstance(verdict.outcome, RateLimited):
            until = now + timedelta(seconds=max(verdict.outcome.retry_after, 0.0))
            await locks.extend_until(session, PAUSE_PREFIX + verdict.item.channel, worker, until)


async def block(session: Any, identity_id: int, now: datetime) -> None:
    """The chat blocked the bot: no more pushes to it until it talks to us again."""
    identities = ChannelIdentity.__table__  # type: ignore[attr-defined]
    await session.execute(
        update(identities)
        .where(identities.c.id == identity_id, identities.c.blocked_at.is_(None))
        .values(blocked_at=now)
    )
    await session.execute(
        update(N)
        .where(N.c.identity_id == identity_id, N.c.state == "pending")
        .values(state="cancelled", last_error="blocked by the recipient")
    )
    log.info("identity %s blocked the bot; its pushes stop", identity_id)
