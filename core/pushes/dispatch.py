"""The notification dispatcher: claim due pushes, send them, record what happened.

Safe on several replicas at once. A claim is one statement — PostgreSQL picks rows with
`SELECT … FOR UPDATE SKIP LOCKED`, SQLite runs the conditional UPDATE under its write
lock — and stamps the rows with a short lease, renewed while the dispatcher works. Each
push's outcome is written as soon as it is known (core.pushes.recording), so a dispatcher
that dies repeats at most the pushes it had in flight (its concurrency), never loses one,
and its unsent claims go back to the others within one lease. Order is kept per chat: a
push is claimed only when no earlier push to the same chat is in flight or waiting for a
retry (pushes held back by quiet hours do not hold up urgent ones).

Outcomes: Sent → sent; Blocked → failed, the identity stops receiving pushes;
RateLimited → back to pending and the whole channel pauses (for every replica) for
`retry_after`; Transient → retried with exponential back-off and jitter up to the
policy's limit, then failed with the reason kept; Permanent → failed.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.event import contains, listen, remove
from sqlalchemy.orm import Session

from core.pushes import claims as outbox_claims
from core.pushes.notifications import OUTBOX_TOUCHED
from core.pushes.outcomes import Claimed, Verdict, judge
from core.pushes.pacing import SlidingWindowLimiter
from core.pushes.recording import OutcomeWriter, keep_claims
from core.pushes.retry import RetryPolicy
from core.pushes.stats import DispatchStats, worker_name
from core.replies.sender import RateLimited, Sender
from core.runtime import metrics
from core.runtime.clock import Clock
from core.storage import locks
from core.storage.db import Database
from core.storage.models import Notification

log = logging.getLogger(__name__)

N = Notification.__table__  # type: ignore[attr-defined]
PAUSE_PREFIX = outbox_claims.PAUSE_PREFIX
# Renewed every third of it while the claims are worked on: a dead dispatcher's claims go
# back to the others within this, yet a busy event loop has two beats to spare.
LEASE = timedelta(seconds=30)


class Dispatcher:
    """Sends the outbox through `senders` (channel name → core.replies.sender.Sender)."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        senders: Mapping[str, Sender],
        *,
        batch_size: int = 100,
        lease: timedelta = LEASE,
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
        self._claim_limit = batch_size
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
        # Bound to the engine, or to a connection of it (SQLite's write transactions).
        return getattr(session.bind, "engine", None) is self.database.engine.sync_engine

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
                if claimed and len(claimed) >= self._claim_limit and room and not self._stopping:
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
        heartbeat = asyncio.ensure_future(
            keep_claims(self.database, self.clock, self.worker, self.lease)
        )
        try:
            unwritten = await self._send_all(claimed, stats)
        finally:
            heartbeat.cancel()
        if unwritten:  # their group commit failed: one more try, else the round fails
            await self._record(unwritten, stats)

    async def _release(self, claimed: list[Claimed]) -> None:
        if claimed:
            await self._record([Verdict.release(item) for item in claimed], DispatchStats())

    async def _reap(self, session: Any) -> int:
        return await outbox_claims.reap(session, self.clock.now())

    async def _claim(self, session: Any, channels: list[str]) -> list[Claimed]:
        self._claim_limit = self.claim_size(channels)  # a full claim means: claim ahead
        return await outbox_claims.claim(
            session,
            now=self.clock.now(),
            channels=channels,
            worker=self.worker,
            lease=self.lease,
            limit=self._claim_limit,
            postgresql=not self.database.is_sqlite,
        )

    def claim_size(self, channels: list[str]) -> int:
        """How many pushes to claim: `batch_size`, or about a second's sends when paced.

        Claiming more than is sent soon would only hold pushes back from other replicas
        (and, if this one dies, for a lease).
        """
        if not channels or any(c not in self.limiters for c in channels):
            return self.batch_size
        per_second = sum(self.limiters[c].capacity / self.limiters[c].window for c in channels)
        return max(1, min(self.batch_size, max(self.concurrency, math.ceil(per_second))))

    def _paused(self, channel: str) -> bool:
        until = self._pauses.get(channel)
        return until is not None and until > self.clock.now()

    async def _send_all(self, claimed: list[Claimed], stats: DispatchStats) -> list[Verdict]:
        """Send with `concurrency` at once; a send's slot is free once its outcome is written.

        Returns the verdicts whose write failed.
        """
        gate = asyncio.Semaphore(self.concurrency)
        writer = OutcomeWriter(lambda verdicts: self._record(verdicts, stats))
        unwritten: list[Verdict] = []

        async def one(item: Claimed) -> None:
            async with gate:
                verdict = await self._send_one(item)
                try:
                    await writer.written(verdict)
                except Exception:
                    log.warning("could not write the outcome of push %s yet", item.id)
                    unwritten.append(verdict)

        await asyncio.gather(*(one(item) for item in claimed))
        return unwritten

    async def _send_one(self, item: Claimed) -> Verdict:
        if self._paused(item.channel):
            return Verdict.release(item)
        sender, limiter = self.senders[item.channel], self.limiters.get(item.channel)
        if limiter is None:
            verdict = await judge(sender, item, self.clock, self.retry, self.rng)
        else:
            async with limiter.slot():
                if self._paused(item.channel):
                    return Verdict.release(item)
                verdict = await judge(sender, item, self.clock, self.retry, self.rng)
        if isinstance(verdict.outcome, RateLimited):
            # Seen by this process at once; other replicas see the pause lease.
            wait = timedelta(seconds=max(verdict.outcome.retry_after, 0.0))
            self._pauses[item.channel] = self.clock.now() + wait
        return verdict

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
