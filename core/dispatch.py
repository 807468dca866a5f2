"""The notification dispatcher: claim due pushes, send them, record what happened.

Safe on several replicas at once. A claim is one statement — PostgreSQL picks rows with
`SELECT … FOR UPDATE SKIP LOCKED`, SQLite runs the conditional UPDATE under its write
lock — and stamps the rows with a lease. A dispatcher that dies leaves its claims to
expire; the next one reclaims them, so a crash may repeat at most one claim batch,
never lose a push. Order is kept per chat: a push is claimed only when no earlier push
to the same chat is in flight or waiting for a retry (pushes held back by quiet hours do
not hold up urgent ones).

Outcomes: Sent → sent; Blocked → failed, the identity stops receiving pushes;
RateLimited → back to pending and the whole channel pauses (for every replica) for
`retry_after`; Transient → retried with exponential back-off and jitter up to the
policy's limit, then failed with the reason kept; Permanent → failed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import secrets
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, bindparam, exists, or_, select, update
from sqlalchemy.event import contains, listen, remove
from sqlalchemy.orm import Session

from core import locks
from core.clock import Clock
from core.db import Database
from core.dispatch_outcomes import Claimed, Verdict, judge
from core.models import ChannelIdentity, Notification
from core.notifications import OUTBOX_TOUCHED
from core.pacing import SlidingWindowLimiter
from core.ports import RateLimited, Sender
from core.retry import RetryPolicy

log = logging.getLogger(__name__)

N = Notification.__table__  # type: ignore[attr-defined]
PAUSE_PREFIX = "pause:"


@dataclass
class DispatchStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0
    rate_limited: int = 0
    released: int = 0  # handed back unsent because the channel paused mid-batch
    reaped: int = 0  # expired claims of a dead dispatcher made pending again

    def __add__(self, other: DispatchStats) -> DispatchStats:
        return DispatchStats(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


def worker_name() -> str:
    """A name for this dispatcher process, unique enough to tell claimers apart."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(3)}"


class Dispatcher:
    """Sends the outbox through `senders` (channel name → core.ports.Sender)."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        senders: Mapping[str, Sender],
        *,
        batch_size: int = 100,
        lease: timedelta = timedelta(minutes=5),
        retry: RetryPolicy | None = None,
        rate_limits: Mapping[str, float] | None = None,
        concurrency: int = 16,
        worker: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if batch_size < 1 or concurrency < 1:
            raise ValueError("batch_size and concurrency must be at least 1")
        self.database = database
        self.clock = clock
        self.senders = dict(senders)
        self.batch_size = batch_size
        self.lease = lease
        self.retry = retry or RetryPolicy()
        self.limiters = {c: SlidingWindowLimiter(r) for c, r in (rate_limits or {}).items()}
        self.concurrency = concurrency
        self.worker = worker or worker_name()
        self.rng = rng or random.Random()
        self.draining = False
        self._woken = asyncio.Event()
        self._wake_listeners: list[Callable[[], None]] = []

    # --- waking ------------------------------------------------------------------------

    def wake(self) -> None:
        """Ask for a dispatch round now (a push was just enqueued), not at the next tick."""
        self._woken.set()
        if not self.draining:
            for listener in self._wake_listeners:
                listener()

    def on_wake(self, listener: Callable[[], None]) -> None:
        """Call `listener` when woken while idle (the scheduler uses it to run its job now)."""
        self._wake_listeners.append(listener)

    def watch_commits(self) -> None:
        """Wake whenever a transaction on this database that enqueued a push commits."""
        if not contains(Session, "after_commit", self._after_commit):
            listen(Session, "after_commit", self._after_commit)
            listen(Session, "after_rollback", self._after_rollback)

    def close(self) -> None:
        """Stop watching commits."""
        if contains(Session, "after_commit", self._after_commit):
            remove(Session, "after_commit", self._after_commit)
            remove(Session, "after_rollback", self._after_rollback)

    def _ours(self, session: Session) -> bool:
        return session.bind is self.database.engine.sync_engine

    def _after_commit(self, session: Session) -> None:
        if self._ours(session) and session.info.pop(OUTBOX_TOUCHED, False):
            self.wake()

    def _after_rollback(self, session: Session) -> None:
        if self._ours(session):
            session.info.pop(OUTBOX_TOUCHED, None)

    # --- running -----------------------------------------------------------------------

    async def drain(self, *, max_rounds: int | None = None) -> DispatchStats:
        """Run rounds until nothing is claimable (a wake during a round means one more)."""
        total = DispatchStats()
        self.draining = True
        try:
            rounds = 0
            while max_rounds is None or rounds < max_rounds:
                self._woken.clear()
                stats = await self.run_once()
                total += stats
                rounds += 1
                if stats.claimed == 0 and not self._woken.is_set():
                    break
        finally:
            self.draining = False
        return total

    async def run_forever(self, stop: asyncio.Event, interval: float) -> DispatchStats:
        """Drain, then sleep until woken, `interval` seconds pass, or `stop` is set."""
        total = DispatchStats()
        while not stop.is_set():
            try:
                total += await self.drain()
            except Exception:
                log.exception("dispatch round failed; retrying in %ss", interval)
            waiters = {
                asyncio.ensure_future(self._woken.wait()),
                asyncio.ensure_future(stop.wait()),
            }
            _, pending = await asyncio.wait(
                waiters, timeout=interval, return_when=asyncio.FIRST_COMPLETED
            )
            for waiter in pending:
                waiter.cancel()
        return total

    async def run_once(self) -> DispatchStats:
        """One round: reap dead claims, claim a batch, send it, record the outcomes."""
        stats = DispatchStats()
        if not self.senders:
            return stats
        async with self.database.transaction() as session:
            stats.reaped = await self._reap(session)
            paused = await locks.active_until(
                session, self.clock, [PAUSE_PREFIX + c for c in self.senders]
            )
            channels = [c for c in self.senders if PAUSE_PREFIX + c not in paused]
            claimed = await self._claim(session, channels) if channels else []
        stats.claimed = len(claimed)
        if not claimed:
            return stats
        verdicts = await self._send_all(claimed)
        await self._record(verdicts, stats)
        return stats

    async def _reap(self, session: Any) -> int:
        now = self.clock.now()
        result = await session.execute(
            update(N)
            .where(N.c.state == "claimed", N.c.lease_until < now)
            .values(state="pending", claimed_by=None, lease_until=None)
        )
        reaped = int(result.rowcount or 0)
        if reaped:
            log.warning("reclaimed %d pushes whose dispatcher stopped mid-send", reaped)
        return reaped

    async def _claim(self, session: Any, channels: list[str]) -> list[Claimed]:
        now = self.clock.now()
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
            .limit(self.batch_size)
            .with_for_update(skip_locked=True)  # PostgreSQL; SQLite's UPDATE is atomic anyway
        )
        if not self.database.is_sqlite:
            picked = picked.cte("picked")  # type: ignore[assignment]
            picked = select(picked.c.id)  # type: ignore[attr-defined]
        result = await session.execute(
            update(N)
            .where(N.c.id.in_(picked), N.c.state == "pending")
            .values(
                state="claimed",
                claimed_by=self.worker,
                lease_until=now + self.lease,
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

    async def _send_all(self, claimed: list[Claimed]) -> list[Verdict]:
        gate = asyncio.Semaphore(self.concurrency)
        paused: set[str] = set()

        async def one(item: Claimed) -> Verdict:
            async with gate:
                if item.channel in paused:
                    return Verdict.release(item)
                limiter = self.limiters.get(item.channel)
                if limiter is None:
                    verdict = await judge(
                        self.senders[item.channel], item, self.clock, self.retry, self.rng
                    )
                else:
                    async with limiter.slot():
                        if item.channel in paused:
                            return Verdict.release(item)
                        verdict = await judge(
                            self.senders[item.channel], item, self.clock, self.retry, self.rng
                        )
                if isinstance(verdict.outcome, RateLimited):
                    paused.add(item.channel)
                return verdict

        return list(await asyncio.gather(*(one(item) for item in claimed)))

    async def _record(self, verdicts: list[Verdict], stats: DispatchStats) -> None:
        now = self.clock.now()
        sent = [v.row() for v in verdicts if v.state == "sent"]
        other = [v.row() for v in verdicts if v.state != "sent"]
        async with self.database.transaction() as session:
            if sent:
                # Sent is the truth even if our lease ran out meanwhile: never send it again.
                await session.execute(
                    update(N)
                    .where(
                        N.c.id == bindparam("b_id"),
                        or_(N.c.state == "claimed", N.c.state == "pending"),
                    )
                    .values(_marks()),
                    sent,
                )
            if other:
                await session.execute(
                    update(N)
                    .where(
                        N.c.id == bindparam("b_id"),
                        N.c.state == "claimed",
                        N.c.claimed_by == self.worker,
                    )
                    .values(_marks()),
                    other,
                )
            for verdict in verdicts:
                if verdict.blocked and verdict.item.identity_id is not None:
                    await _block(session, verdict.item.identity_id, now)
                if isinstance(verdict.outcome, RateLimited):
                    until = now + timedelta(seconds=max(verdict.outcome.retry_after, 0.0))
                    await locks.extend_until(
                        session, PAUSE_PREFIX + verdict.item.channel, self.worker, until
                    )
        for verdict in verdicts:
            setattr(stats, verdict.counter, getattr(stats, verdict.counter) + 1)


def _marks() -> dict[str, Any]:
    return {
        name: bindparam(f"b_{name}")
        for name in (
            "state", "not_before", "attempts", "claimed_by", "lease_until",
            "last_error", "external_ref", "sent_at",
        )
    }  # fmt: skip


async def _block(session: Any, identity_id: int, now: Any) -> None:
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
