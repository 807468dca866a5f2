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
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.event import contains, listen, remove
from sqlalchemy.orm import Session

from core.pushes import claims as outbox_claims
from core.pushes.notifications import OUTBOX_TOUCHED
from core.pushes.outcomes import Claimed, Verdict, judge
from core.pushes.pacing import SlidingWindowLimiter
from core.pushes.retry import RetryPolicy
from core.replies.sender import RateLimited, Sender
from core.runtime import metrics
from core.runtime.clock import Clock
from core.storage import locks
from core.storage.db import Database
from core.storage.models import Notification

log = logging.getLogger(__name__)

N = Notification.__table__  # type: ignore[attr-defined]
PAUSE_PREFIX = outbox_claims.PAUSE_PREFIX


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
    """Sends the outbox through `senders` (channel name → core.replies.sender.Sender)."""

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
        self._pauses: dict[str, datetime] = {}  # channel -> paused until (this process)
        self._stopping = False
        self._idle = asyncio.Event()
        self._idle.set()

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
        """Run rounds until nothing is claimable (a wake during a round means one more).

        While a full batch is being sent, the next one is already being claimed, so the
        database round trips overlap the sending instead of pausing it.
        """
        total = DispatchStats()
        self.draining = True
        self._idle.clear()
        rounds = 0
        self._woken.clear()
        ahead: asyncio.Future[tuple[list[Claimed], DispatchStats]] | None = None
        ahead = asyncio.ensure_future(self._claim_round())
        overlapped = False  # was `ahead` claimed while the previous batch was in flight?
        try:
            while ahead is not None:
                claimed, stats = await ahead
                # A claim made while a chat's earlier push was in flight skips that chat;
                # an empty one is therefore only final once repeated afterwards.
                again = overlapped and not claimed
                ahead, overlapped = None, False
                rounds += 1
                room = max_rounds is None or rounds < max_rounds
                if claimed and len(claimed) == self.batch_size and room and not self._stopping:
                    ahead, overlapped = asyncio.ensure_future(self._claim_round()), True
                if claimed:
                    await self._deliver(claimed, stats)
                total += stats
                more = claimed or again or self._woken.is_set()
                if ahead is None and room and more and not self._stopping:
                    self._woken.clear()
                    ahead = asyncio.ensure_future(self._claim_round())
        finally:
            self.draining = False
            self._idle.set()
            if ahead is not None:
                # Interrupted with a batch claimed ahead: hand it back rather than let the
                # lease run out.
                claimed, _ = await ahead
                await self._release(claimed)
        return total

    def stop_after_batch(self) -> None:
        """Claim nothing more; the batch in flight is still sent and recorded."""
        self._stopping = True

    async def finish(self, within: float) -> bool:
        """Stop after the batch in flight is sent and recorded; False if that took too long.

        Called on shutdown, so a deploy does not leave a half-sent batch to be repeated.
        """
        self.stop_after_batch()
        try:
            await asyncio.wait_for(self._idle.wait(), timeout=within)
        except TimeoutError:
            return False
        return True

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
        claimed, stats = await self._claim_round()
        if claimed:
            await self._deliver(claimed, stats)
        return stats

    async def _claim_round(self) -> tuple[list[Claimed], DispatchStats]:
        stats = DispatchStats()
        if not self.senders:
            return [], stats
        async with self.database.transaction() as session:
            stats.reaped = await self._reap(session)
            paused = await locks.active_until(
                session, self.clock, [PAUSE_PREFIX + c for c in self.senders]
            )
            channels = [c for c in self.senders if PAUSE_PREFIX + c not in paused]
            claimed = await self._claim(session, channels) if channels else []
        stats.claimed = len(claimed)
        return claimed, stats

    async def _deliver(self, claimed: list[Claimed], stats: DispatchStats) -> None:
        verdicts = await self._send_all(claimed)
        await self._record(verdicts, stats)

    async def _release(self, claimed: list[Claimed]) -> None:
        if claimed:
            await self._record([Verdict.release(item) for item in claimed], DispatchStats())

    async def _reap(self, session: Any) -> int:
        return await outbox_claims.reap(session, self.clock.now())

    async def _claim(self, session: Any, channels: list[str]) -> list[Claimed]:
        return await outbox_claims.claim(
            session,
            now=self.clock.now(),
            channels=channels,
            worker=self.worker,
            lease=self.lease,
            limit=self.batch_size,
            postgresql=not self.database.is_sqlite,
        )

    def _paused(self, channel: str) -> bool:
        until = self._pauses.get(channel)
        return until is not None and until > self.clock.now()

    async def _send_all(self, claimed: list[Claimed]) -> list[Verdict]:
        gate = asyncio.Semaphore(self.concurrency)

        async def one(item: Claimed) -> Verdict:
            async with gate:
                if self._paused(item.channel):
                    return Verdict.release(item)
                limiter = self.limiters.get(item.channel)
                if limiter is None:
                    verdict = await judge(
                        self.senders[item.channel], item, self.clock, self.retry, self.rng
                    )
                else:
                    async with limiter.slot():
                        if self._paused(item.channel):
                            return Verdict.release(item)
                        verdict = await judge(
                            self.senders[item.channel], item, self.clock, self.retry, self.rng
                        )
                if isinstance(verdict.outcome, RateLimited):
                    # Seen by this process at once; other replicas see the pause lease.
                    wait = timedelta(seconds=max(verdict.outcome.retry_after, 0.0))
                    self._pauses[item.channel] = self.clock.now() + wait
                return verdict

        return list(await asyncio.gather(*(one(item) for item in claimed)))

    async def _record(self, verdicts: list[Verdict], stats: DispatchStats) -> None:
        async with self.database.transaction() as session:
            await outbox_claims.record(session, verdicts, worker=self.worker, now=self.clock.now())
        for verdict in verdicts:
            setattr(stats, verdict.counter, getattr(stats, verdict.counter) + 1)
            # Reported once the outcome is committed, so a rolled-back batch is not counted.
            if verdict.metric_outcome is not None:
                metrics.push_outcome(verdict.item.channel, verdict.metric_outcome)
            if verdict.sent_at is not None:
                lag = (verdict.sent_at - verdict.item.not_before).total_seconds()
                metrics.dispatch_lag(verdict.item.channel, lag)
