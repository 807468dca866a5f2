"""The job that keeps live status messages current (see core.pushes.live for what they are).

Due cards are claimed with a lease — `FOR UPDATE SKIP LOCKED` on PostgreSQL, one atomic
UPDATE on SQLite — so several replicas edit each card once; a claimer that dies leaves its
cards to the next one when the lease runs out. Each card is rendered from the order as it
is at that moment, then edited in place or sent anew by the channel's `LiveSender`.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, case, delete, or_, select, update

from core.pushes.claims import PAUSE_PREFIX, block
from core.pushes.live import L, LiveSender, live_reply
from core.pushes.quiet_hours import shopper_timezone
from core.pushes.retry import RetryPolicy
from core.replies import messages
from core.replies.reply import Reply
from core.replies.sender import Blocked, RateLimited, SendOutcome, Sent, Transient
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.runtime.zones import zone
from core.storage import locks
from core.storage.db import Database
from core.storage.models import ChannelIdentity
from core.tracking.lookup import order_view
from core.tracking.order_reply import details_button, order_reply
from core.tracking.view_predictions import with_predictions

log = logging.getLogger(__name__)

_ERROR_LIMIT = 500
_REF_LIMIT = 128


@dataclass(frozen=True)
class LiveClaim:
    id: int
    identity_id: int
    order_id: int
    channel: str
    recipient: str
    message_ref: str | None
    version: int
    attempts: int


@dataclass
class LiveStats:
    claimed: int = 0
    sent: int = 0  # a new live message
    edited: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0  # no longer wanted: order gone, chat blocked

    def __add__(self, other: LiveStats) -> LiveStats:
        return LiveStats(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


class LiveStatusUpdater:
    """Keeps every due live card current, through `senders` that are `LiveSender`s."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        config: CoreConfig,
        senders: Mapping[str, object],
        *,
        worker: str,
        batch_size: int = 50,
        lease: timedelta = timedelta(minutes=1),
        retry: RetryPolicy | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.database = database
        self.clock = clock
        self.config = config
        self.senders = {
            channel: sender
            for channel, sender in senders.items()
            if channel in config.live_status_channels and isinstance(sender, LiveSender)
        }
        self.worker = worker
        self.batch_size = batch_size
        self.lease = lease
        self.retry = retry or RetryPolicy(max_attempts=config.dispatch_max_attempts)
        self.rng = rng or random.Random()

    async def drain(self, *, max_rounds: int = 20) -> LiveStats:
        """Rounds until nothing is due (bounded, so one tick never runs away)."""
        total = LiveStats()
        for _ in range(max_rounds):
            stats = await self.run_once()
            total += stats
            if stats.claimed < self.batch_size:
                break
        return total

    async def run_once(self) -> LiveStats:
        """Claim due cards, render each order as it is now, edit or send, record."""
        stats = LiveStats()
        if not self.senders:
            return stats
        claimed = await self._claim()
        stats.claimed = len(claimed)
        for item in claimed:
            reply = await self._render(item)
            if reply is None:
                await self._drop(item)
                stats.dropped += 1
                continue
            sender = self.senders[item.channel]
            assert isinstance(sender, LiveSender)
            outcome = await sender.edit_or_send(item.recipient, item.message_ref, reply)
            await self._record(item, outcome, stats)
        return stats

    async def _claim(self) -> list[LiveClaim]:
        now = self.clock.now()
        async with self.database.transaction() as session:
            paused = await locks.active_until(
                session, self.clock, [PAUSE_PREFIX + c for c in self.senders]
            )
            channels = [c for c in self.senders if PAUSE_PREFIX + c not in paused]
            if not channels:
                return []
            picked = (
                select(L.c.id)
                .where(
                    L.c.channel.in_(channels),
                    or_(
                        and_(L.c.state == "pending", L.c.due_at <= now),
                        and_(L.c.state == "claimed", L.c.lease_until < now),  # claimer died
                    ),
                )
                .order_by(L.c.due_at, L.c.id)
                .limit(self.batch_size)
                .with_for_update(skip_locked=True)
            )
            if not self.database.is_sqlite:  # a CTE keeps the LIMIT and the row locks together
                picked = select(picked.cte("picked").c.id)
            result = await session.execute(
                update(L)
                .where(L.c.id.in_(picked))
                .values(
                    state="claimed",
                    claimed_by=self.worker,
                    lease_until=now + self.lease,
                    attempts=L.c.attempts + 1,
                )
                .returning(
                    L.c.id,
                    L.c.identity_id,
                    L.c.order_id,
                    L.c.channel,
                    L.c.recipient,
                    L.c.message_ref,
                    L.c.version,
                    L.c.attempts,
                )
            )
            rows = [LiveClaim(*row) for row in result.all()]
        return sorted(rows, key=lambda row: row.id)

    async def _render(self, item: LiveClaim) -> Reply | None:
        now = self.clock.now()
        async with self.database.session() as session:
            identity = await session.get(ChannelIdentity, item.identity_id)
            if identity is None or identity.blocked_at is not None:
                return None
            view = await order_view(session, item.order_id, identity_id=item.identity_id)
            if view is None or not view.following:
                return None
            tz_name = await shopper_timezone(session, self.config, identity, item.order_id)
            tz = zone(tz_name, self.config.timezone)
            view = await with_predictions(session, view, now=now, timezone=self.config.timezone)
        card = order_reply(view, tz=tz, now=now, locale=identity.locale, following=True)
        details = details_button(self.config.public_url, view.number, identity.locale)
        if details is not None:
            card.buttons.append(details)
        updated = messages.format_moment(now, tz, identity.locale)
        return live_reply(card, updated=updated, locale=identity.locale)

    async def _drop(self, item: LiveClaim) -> None:
        async with self.database.transaction() as session:
            await session.execute(delete(L).where(L.c.id == item.id, L.c.claimed_by == self.worker))

    async def _record(self, item: LiveClaim, outcome: SendOutcome, stats: LiveStats) -> None:
        now = self.clock.now()
        ours = and_(L.c.id == item.id, L.c.claimed_by == self.worker)
        async with self.database.transaction() as session:
            if isinstance(outcome, Sent):
                edited = bool(item.message_ref) and outcome.ref == item.message_ref
                counter = "edited" if edited else "sent"
                setattr(stats, counter, getattr(stats, counter) + 1)
                shown = {
                    "message_ref": outcome.ref[:_REF_LIMIT] or item.message_ref,
                    "shown_version": item.version,
                    "updated_at": now,
                }
                done = await session.execute(
                    update(L)
                    .where(ours)
                    .values(
                        **shown,
                        # A scan that came in meanwhile needs one more edit.
                        state=case((L.c.version == item.version, "current"), else_="pending"),
                        claimed_by=None,
                        lease_until=None,
                        attempts=0,
                        last_error=None,
                    )
                )
                if not getattr(done, "rowcount", 0):  # lease ran out; the next edit goes there
                    await session.execute(update(L).where(L.c.id == item.id).values(shown))
                return
            if isinstance(outcome, Blocked):
                stats.dropped += 1
                await block(session, item.identity_id, now)
                await session.execute(delete(L).where(L.c.identity_id == item.identity_id))
                return
            values: dict[str, Any] = {"claimed_by": None, "lease_until": None, "updated_at": now}
            if isinstance(outcome, RateLimited):
                wait = timedelta(seconds=max(outcome.retry_after, 0.0))
                pause = PAUSE_PREFIX + item.channel
                await locks.extend_until(session, pause, self.worker, now + wait)
                # The try does not count against the card.
                values.update(state="pending", due_at=now + wait, attempts=item.attempts - 1)
                stats.retried += 1
            elif isinstance(outcome, Transient) and not self.retry.gives_up(item.attempts):
                values.update(
                    state="pending",
                    due_at=now + self.retry.delay(item.attempts, self.rng),
                    last_error=outcome.reason[:_ERROR_LIMIT],
                )
                stats.retried += 1
            else:  # permanent, or transient too often: the next change tries again afresh
                reason = getattr(outcome, "reason", type(outcome).__name__)
                values.update(state="failed", last_error=str(reason)[:_ERROR_LIMIT])
                stats.failed += 1
                log.warning("live status %s to %s failed: %s", item.id, item.channel, reason)
            await session.execute(update(L).where(ours).values(values))
