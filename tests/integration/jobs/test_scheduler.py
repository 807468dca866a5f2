"""`wismo run`'s scheduler: the jobs it runs, pushes sent within moments, failures survived."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.scheduler import Jobs
from bot.services import build_services
from bot.settings import load_settings
from core.ingest.polling import PollResult
from core.ingest.tracking_update import TrackingUpdate
from core.ingest.updates import apply_tracking_update
from core.replies.sender import Sent
from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.tracking.statuses import ShipmentStatus
from tests.unit.jobs.factory import make_shop
from tests.unit.jobs.fakes import RecordingSender


async def eventually(check, within: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for a background job's side effect (never a fixed sleep)."""
    deadline = asyncio.get_running_loop().time() + within
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


@pytest.fixture
def services(db: Database, tmp_path: Path):
    settings = load_settings(
        database_url=db.url,
        dispatch_interval_seconds=60,  # a push must not wait for this tick
        detect_interval_seconds=0.05,
        poll_interval_seconds=0.05,
        slack_alerts_channel="C-ALERTS",
    )
    # Midday in the shop's timezone, whatever the hour the suite runs at: a delivered push
    # at night waits for the end of quiet hours.
    built = build_services(settings, clock=ManualClock(datetime(2026, 12, 2, 12, 0, tzinfo=UTC)))
    yield built


async def test_a_carrier_update_reaches_the_shopper_within_moments_not_at_the_next_tick(
    services,
):
    sender = RecordingSender()
    jobs = Jobs(services, senders={"telegram": sender}, sources={})
    await jobs.start()
    try:
        assert sorted(j.id for j in jobs.scheduler.get_jobs()) == [
            "detect",
            "digest",
            "dispatch",
            "handoff_idle",
            "insights",
            "prune_deliveries",
        ]
        async with services.database.transaction() as session:
            await make_shop(session, services.clock)
        # A carrier webhook's update, applied as the ingest API does; nothing else is run.
        update = TrackingUpdate("carrier", "ev-1", "TRK1001", ShipmentStatus.OUT_FOR_DELIVERY,
                                services.clock.now())  # fmt: skip
        async with services.database.transaction() as session:
            await apply_tracking_update(session, services.clock, services.config, update)
        await eventually(
            lambda: sender.sent == [("chat-1001", "DHL is bringing your order today.")]
        )
    finally:
        await jobs.stop()
        await services.database.dispose()


async def test_a_push_enqueued_as_a_dispatch_run_finishes_is_not_left_for_the_next_tick(
    services,
):
    sender = RecordingSender()
    jobs = Jobs(services, senders={"telegram": sender}, sources={})
    await jobs.start()
    assert jobs.live is not None
    in_live_step, go_on = asyncio.Event(), asyncio.Event()
    live_drain = jobs.live.drain

    async def slow_live_drain(**options):  # type: ignore[no-untyped-def]
        in_live_step.set()
        await go_on.wait()
        return await live_drain(**options)

    jobs.live.drain = slow_live_drain  # type: ignore[method-assign]
    try:
        async with services.database.transaction() as session:
            await make_shop(session, services.clock)
        jobs.dispatch_now()
        await asyncio.wait_for(in_live_step.wait(), 5)
        # The milestones are drained and the run is in its last step when the update lands:
        # its wake must not be dropped as "already running" (the next tick is 60 s away).
        update = TrackingUpdate("carrier", "ev-1", "TRK1001", ShipmentStatus.OUT_FOR_DELIVERY,
                                services.clock.now())  # fmt: skip
        async with services.database.transaction() as session:
            await apply_tracking_update(session, services.clock, services.config, update)
        go_on.set()
        await eventually(
            lambda: sender.sent == [("chat-1001", "DHL is bringing your order today.")]
        )
    finally:
        go_on.set()
        await jobs.stop()
        await services.database.dispose()


async def test_a_failing_job_logs_and_runs_again(services, caplog: pytest.LogCaptureFixture):
    jobs = Jobs(services, senders={}, sources={})
    await jobs.start()
    calls = []

    async def broken(**_: object) -> None:
        calls.append(1)
        raise RuntimeError("database went away")

    assert jobs.detector is not None
    jobs.detector.run = broken  # type: ignore[method-assign]
    try:
        with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
            await eventually(lambda: len(calls) >= 3)
        assert "job detect failed; it runs again at its next tick" in caplog.text
        assert jobs.scheduler.running
    finally:
        await jobs.stop()
        await services.database.dispose()


async def test_the_simulated_carrier_joins_only_when_asked(services):
    class Simulator:
        ticks = 0

        async def tick(self, database, config) -> None:  # type: ignore[no-untyped-def]
            self.ticks += 1

    jobs = Jobs(services, senders={}, sources={}, simulator=Simulator())
    await jobs.start()
    try:
        assert "simulate" not in {j.id for j in jobs.scheduler.get_jobs()}
    finally:
        await jobs.stop()
    services.settings = services.settings.model_copy(
        update={"simulate_carrier": True, "simulate_interval_seconds": 0.05}
    )
    simulator = Simulator()
    jobs = Jobs(services, senders={}, sources={}, simulator=simulator)
    await jobs.start()
    try:
        await eventually(lambda: simulator.ticks >= 2)
    finally:
        await jobs.stop()
        await services.database.dispose()


async def test_the_poll_job_runs_when_a_carrier_source_is_configured(services):
    class Carrier:
        async def poll(self, targets):  # type: ignore[no-untyped-def]
            return PollResult([
                TrackingUpdate("poll", f"p-{t.tracking_number}", t.tracking_number,
                               ShipmentStatus.DELIVERED, services.clock.now())
                for t in targets
            ])  # fmt: skip

    sender = RecordingSender()
    async with services.database.transaction() as session:
        shop = await make_shop(session, services.clock)
        shop.shipment.next_poll_at = services.clock.now()
        session.add(shop.shipment)
    jobs = Jobs(services, senders={"telegram": sender}, sources={"*": Carrier()})
    await jobs.start()
    try:
        assert "poll" in {j.id for j in jobs.scheduler.get_jobs()}
        await eventually(lambda: [r for r, _ in sender.sent] == ["chat-1001"])
        assert "delivered" in sender.sent[0][1]
    finally:
        await jobs.stop()
        await services.database.dispose()


class ImageRecordingSender(RecordingSender):
    """A Slack-like sender: records the cards and the images it was asked to post."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[tuple[str, bytes, str, str]] = []

    async def send_image(
        self, recipient: str, image: bytes, *, filename: str, title: str, comment: str = ""
    ) -> Sent:
        self.images.append((recipient, image, filename, title))
        return Sent(ref=f"F{len(self.images)}")


async def test_the_daily_digest_carries_the_chart_image(services):
    slack = ImageRecordingSender()
    jobs = Jobs(services, senders={"slack": slack}, sources={})
    await jobs.start()
    try:
        async with services.database.transaction() as session:
            await make_shop(session, services.clock)
        jobs.scheduler.modify_job("digest", next_run_time=datetime.now(UTC))
        await eventually(lambda: len(slack.images) == 1, within=30)
        [(recipient, image, filename, title)] = slack.images
        assert recipient == "C-ALERTS"
        assert image.startswith(b"\x89PNG\r\n\x1a\n")
        assert filename == f"wismo-insights-{services.clock.now():%Y-%m-%d}.png"
        assert title == "Stage durations and on-time rate per week"
        # the numbers go out through the outbox, woken by the digest's commit
        await eventually(lambda: [r for r, _ in slack.sent] == ["C-ALERTS"])
    finally:
        await jobs.stop()
        await services.database.dispose()
