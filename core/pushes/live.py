"""Live status messages: one message per followed order, edited in place as scans arrive.

A chat that follows an order on a channel that can edit its messages (Telegram) gets one
card that always shows the order as it is now — status, predicted window, the newest
scans. Every applied scan marks that card due (`mark_due`, in the scan's own transaction);
the `LiveStatusUpdater` claims due cards with a lease (safe on several replicas), renders
the order at that moment — so a burst of scans makes one edit, not ten — and edits the
message, or sends it without a sound the first time. Edits never ring, whatever the hour;
milestones still arrive as new, audible pushes through the outbox (core.pushes.changes).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import and_, case, delete, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes.claims import PAUSE_PREFIX, block
from core.pushes.notifications import outbox_touched
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
from core.storage.models import ChannelIdentity, LiveStatus, Subscription
from core.tracking.lookup import order_view
from core.tracking.order_reply import details_button, order_reply
from core.tracking.view_predictions import with_predictions

log = logging.getLogger(__name__)

L = LiveStatus.__table__  # type: ignore[attr-defined]
S = Subscription.__table__  # type: ignore[attr-defined]
C = ChannelIdentity.__table__  # type: ignore[attr-defined]
_ERROR_LIMIT = 500
_REF_LIMIT = 128


@runtime_checkable
class LiveSender(Protocol):
    """A sender that can keep one message up to date (core.replies.sender.Sender's sibling)."""

    async def edit_or_send(self, recipient: str, ref: str | None, reply: Reply) -> SendOutcome:
        """Show `reply` in message `ref` (edited in place), or in a new message when there is
        none yet or it can no longer be edited; Sent carries the message now showing it."""
        ...


async def mark_due(
    session: AsyncSession, clock: Clock, config: CoreConfig, order_ids: Collection[int]
) -> int:
    """These orders changed: every live card about them needs a fresh look. Returns how many.

    One statement per 500 orders: their active followers on live channels get a card (the
    first time) or have theirs bumped to the next version and made due now.
    """
    channels = list(config.live_status_channels)
    if not channels or not order_ids:
        return 0
    ordered = sorted(order_ids)
    marked = 0
    for start in range(0, len(ordered), 500):
        marked += await _mark(session, clock.now(), channels, ordered[start : start + 500])
    if marked:
        outbox_touched(session)  # wake the dispatcher once this commits
    return marked


async def _mark(
    session: AsyncSession, now: datetime, channels: list[str], order_ids: list[int]
) -> int:
    chats = select(
        S.c.identity_id,
        S.c.order_id,
        C.c.channel,
        C.c.external_id,
        literal("pending"),
        literal(1),
        literal(0),
        literal(now, L.c.due_at.type),
        literal(0),
        literal(now, L.c.updated_at.type),
    ).where(
        S.c.identity_id == C.c.id,
        S.c.order_id.in_(order_ids),
        S.c.active.is_(True),
        C.c.pushes_enabled.is_(True),
        C.c.blocked_at.is_(None),
        C.c.channel.in_(channels),
    )
    postgres = session.bind is not None and session.bind.dialect.name == "postgresql"
    insert = (postgresql if postgres else sqlite).insert(L)
    columns = ["identity_id", "order_id", "channel", "recipient", "state", "version",
               "shown_version", "due_at", "attempts", "updated_at"]  # fmt: skip
    statement = insert.from_select(columns, chats)
    statement = statement.on_conflict_do_update(
        index_elements=[L.c.identity_id, L.c.order_id],
        set_={
            "version": L.c.version + 1,
            # A card being edited right now stays claimed; its claimer sees the new version.
            "state": case((L.c.state == "claimed", "claimed"), else_="pending"),
            "due_at": now,
            "attempts": case((L.c.state == "claimed", L.c.attempts), else_=0),
            "updated_at": now,
        },
    )
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


def live_reply(reply: Reply, *, updated: str, locale: str | None) -> Reply:
    """The order card as a live message: marked live, with when it last changed."""
    sections = list(reply.sections)
    if sections:
        head = sections[0]
        note = messages.text("live.updated", locale, when=updated)
        sections[0] = replace(head, text=f"{head.text}\n{note}".strip() if head.text else note)
    return replace(reply, sections=sections, intent="live_status", silent=True)


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
