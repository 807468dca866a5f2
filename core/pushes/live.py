"""Live status messages: one message per followed order, edited in place as scans arrive.

A chat that follows an order on a channel that can edit its messages (Telegram) gets one
card that always shows the order as it is now — status, predicted window, the newest
scans. Every applied scan marks that card due (`mark_due`, in the scan's own transaction);
the `LiveStatusUpdater` (core.pushes.live_updater) claims due cards with a lease (safe on
several replicas), renders the order at that moment — so a burst of scans makes one edit,
not ten — and edits the message, or sends it without a sound the first time. Edits never
ring, whatever the hour; milestones still arrive as new, audible pushes through the outbox
(core.pushes.changes).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime
from typing import Protocol, runtime_checkable

from sqlalchemy import case, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes.notifications import outbox_touched
from core.replies import messages
from core.replies.reply import Reply
from core.replies.sender import SendOutcome
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage.models import ChannelIdentity, LiveStatus, Subscription

L = LiveStatus.__table__  # type: ignore[attr-defined]
S = Subscription.__table__  # type: ignore[attr-defined]
C = ChannelIdentity.__table__  # type: ignore[attr-defined]


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
