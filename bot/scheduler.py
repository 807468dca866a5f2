"""The scheduled jobs: one APScheduler 3 `AsyncIOScheduler` in the service's own event loop.

Jobs — each safe on several replicas, because the work itself is claimed row by row:
`poll` (due shipments, by indexed `next_poll_at`), `dispatch` (the outbox, then the live
status messages; also run at once whenever a transaction that enqueued a push commits),
`detect` (due orders), `digest` (daily, at `WISMO_DIGEST_TIME` shop time, posted once
across replicas),
`handoff_idle` (hand-off threads silent for a day go back to the bot),
`prune_deliveries` (forgets redelivery marks older than a week), `insights` (brings the
insights rollups up to date every minute, one replica at a time) and, in
the demo, `simulate` (the simulated carrier). A job that fails logs and runs again at
its next tick; it never stops the scheduler.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.services import Services
from core import handoff
from core.ingest import CarrierSource, Poller
from core.insights import post_chart, rollups
from core.pushes import Dispatcher, LiveStatusUpdater, RetryPolicy, worker_name
from core.replies import Sent
from core.staff import Detector, alert_channel, post_daily_digest
from core.storage import prune_deliveries

log = logging.getLogger(__name__)

HANDOFF_IDLE_CHECK_SECONDS = 300
PRUNE_EVERY_SECONDS = 3600
INSIGHTS_REFRESH_SECONDS = 60  # the rollups `wismo insights` and the digests read
# Platforms redeliver within minutes (Slack) to a day (Telegram, carrier webhooks).
KEEP_DELIVERY_MARKS = timedelta(days=7)


class Jobs:
    """The scheduler component of `wismo run` (and of `wismo demo`)."""

    name = "scheduler"

    def __init__(
        self,
        services: Services,
        *,
        senders: Mapping[str, Any] | None = None,
        sources: Mapping[str, CarrierSource] | None = None,
        simulator: Any = None,
    ) -> None:
        """`senders` default to `services.senders`, `sources` to `services.carrier_sources`;
        `simulator` (with `async tick(database, config)`) runs when the setting asks."""
        self.services = services
        self._senders = senders
        self._sources = sources
        self.simulator = simulator
        self.worker = worker_name()
        self.scheduler = AsyncIOScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
        )
        self.dispatcher: Dispatcher | None = None
        self.live: LiveStatusUpdater | None = None
        self._running: set[asyncio.Task[Any]] = set()  # job runs in flight
        self._dispatching = False  # a dispatch run is in flight (tick or wake)
        self._dispatch_again = False  # woken during that run: it goes round once more
        self._stopping = False
        self.poller: Poller | None = None
        self.detector: Detector | None = None

    async def start(self) -> None:
        """Build the workers (channels have registered their senders by now) and start."""
        services, settings = self.services, self.services.settings
        senders = dict(self._senders if self._senders is not None else services.senders)
        sources = self._sources
        if sources is None:
            sources = getattr(services, "carrier_sources", None) or {}
        self.dispatcher = Dispatcher(
            services.database,
            services.clock,
            senders,
            batch_size=settings.dispatch_batch_size,
            retry=RetryPolicy(max_attempts=settings.dispatch_max_attempts),
            worker=self.worker,
        )
        self.live = LiveStatusUpdater(
            services.database, services.clock, services.config, senders, worker=self.worker
        )
        self.poller = Poller(services.database, services.clock, services.config, sources)
        self.detector = Detector(services.database, services.clock, services.config)

        def add(job: Callable[[], Any], trigger: Any, *, id: str, **options: Any) -> None:
            self.scheduler.add_job(job, trigger, id=id, name=id, **options)

        # APScheduler logs every run at INFO (every 2 s for dispatch); failures still show.
        logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
        add(self._guard("dispatch", self._dispatch), "interval",
            seconds=settings.dispatch_interval_seconds, id="dispatch")  # fmt: skip
        if sources:
            add(self._guard("poll", self._poll), "interval",
                seconds=settings.poll_interval_seconds, id="poll")  # fmt: skip
        add(self._guard("detect", self._detect), "interval",
            seconds=settings.detect_interval_seconds, id="detect")  # fmt: skip
        # Hand-off threads silent for WISMO_HANDOFF_IDLE_HOURS go back to the bot.
        add(self._guard("handoff_idle", self._handoff_idle), "interval",
            seconds=HANDOFF_IDLE_CHECK_SECONDS, id="handoff_idle")  # fmt: skip
        add(self._guard("prune_deliveries", self.prune_deliveries), "interval",
            seconds=PRUNE_EVERY_SECONDS, id="prune_deliveries")  # fmt: skip
        add(self._guard("insights", self._insights), "interval",
            seconds=INSIGHTS_REFRESH_SECONDS, id="insights")  # fmt: skip
        hour, minute = (int(part) for part in settings.digest_time.split(":"))
        daily = CronTrigger(hour=hour, minute=minute, timezone=settings.timezone)
        add(self._guard("digest", self._digest), daily, id="digest")
        if settings.simulate_carrier and self.simulator is not None:
            add(self._guard("simulate", self._simulate), "interval",
                seconds=settings.simulate_interval_seconds, id="simulate")  # fmt: skip
        self.dispatcher.on_wake(self.dispatch_now)
        self.dispatcher.watch_commits()
        self.scheduler.start()  # needs the running loop: start() is awaited inside it
        log.info("scheduler started with jobs %s", sorted(j.id for j in self.scheduler.get_jobs()))

    async def stop(self, grace: float = 10) -> None:
        """Stop scheduling, letting the runs in flight finish (up to `grace` seconds each for
        the push batch and the other jobs); anything cut short is redone once its claims
        expire."""
        self._stopping = True
        if self.scheduler.running:
            self.scheduler.pause()  # no new runs while the ones in flight finish
        if self.dispatcher is not None:
            self.dispatcher.close()
            if not await self.dispatcher.finish(within=grace):
                log.warning("stopped while pushes were in flight; they are resent after the lease")
        if self._running:
            await asyncio.wait(set(self._running), timeout=grace)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def dispatch_now(self) -> None:
        """Run a dispatch now rather than at the next tick; if one is running, it goes
        round once more. (Not through the scheduler: it would skip a run asked for while
        the tick's own run is still in flight, leaving the push until the next tick.)"""
        if self._stopping or not self.scheduler.running:
            return
        if self._dispatching:
            self._dispatch_again = True
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # woken outside the loop: the next tick sends it
            return
        run = loop.create_task(self._guard("dispatch", self._dispatch)())
        self._running.add(run)  # held until it ends (the guard discards it)

    def _guard(self, name: str, job: Callable[[], Awaitable[object]]) -> Callable[[], Any]:
        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                await job()
            except Exception:
                # Logged with the traceback; the next tick simply tries again.
                log.exception("job %s failed; it runs again at its next tick", name)
            finally:
                self._running.discard(task)  # type: ignore[arg-type]

        run.__name__ = f"wismo_{name}"
        return run

    async def _dispatch(self) -> None:
        assert self.dispatcher is not None and self.live is not None
        if self._dispatching:  # the tick met a woken run: that run goes round again
            self._dispatch_again = True
            return
        self._dispatching = True
        try:
            while True:
                self._dispatch_again = False
                await self.dispatcher.drain()
                # Milestones first, then the live messages (each edited once for many scans).
                await self.live.drain()
                if not self._dispatch_again or self._stopping:
                    break
        finally:
            self._dispatching = False

    async def _detect(self) -> None:
        assert self.detector is not None
        await self.detector.run()

    async def _poll(self) -> None:
        assert self.poller is not None
        # Several batches per tick when many parcels are due, but never an unbounded loop.
        for _ in range(20):
            stats = await self.poller.run_once()
            if stats.claimed < self.poller.batch_size:
                break

    async def _insights(self) -> None:
        services = self.services
        await rollups.refresh(services.database, services.clock, holder=self.worker)

    async def _digest(self) -> None:
        services = self.services
        posted = await post_daily_digest(
            services.database, services.clock, services.config, holder=self.worker
        )
        senders = self._senders if self._senders is not None else services.senders
        slack = senders.get("slack")
        channel = alert_channel(services.config, "digest")  # the chart goes with the digest
        if posted and slack is not None and channel:
            # Only the replica that won the day's lock gets here, so one chart per day. The
            # image is uploaded directly: the outbox carries Replies, not files.
            outcome = await post_chart(
                services.database, services.clock, slack, channel,
                stuck_after=services.config.stuck_after,
            )  # fmt: skip
            if outcome is not None and not isinstance(outcome, Sent):
                log.warning("daily digest chart not posted to %s: %s", channel, outcome)

    async def _handoff_idle(self) -> None:
        services = self.services
        async with services.database.transaction() as session:
            await handoff.close_idle(session, services.clock, services.config)

    async def prune_deliveries(self) -> int:
        """Forget redelivery marks older than KEEP_DELIVERY_MARKS; how many went."""
        services = self.services
        before = services.clock.now() - KEEP_DELIVERY_MARKS
        async with services.database.transaction() as session:
            pruned = await prune_deliveries(session, before)
        if pruned:
            log.info("forgot %s redelivery marks older than %s", pruned, before)
        return pruned

    async def _simulate(self) -> None:
        await self.simulator.tick(self.services.database, self.services.config)


def build_jobs(services: Services) -> Jobs:
    """The scheduler for `wismo run`; the simulated carrier joins when WISMO_SIMULATE_CARRIER."""
    simulator = None
    if services.settings.simulate_carrier:
        from adapters.carriers.simulated import SimulatedCarrier

        simulator = SimulatedCarrier(services.clock)
    return Jobs(services, simulator=simulator)
