"""GET /metrics on the real app over HTTP: valid Prometheus text with the figures that happened."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
import uvicorn
from prometheus_client.parser import text_string_to_metric_families

from bot.http import create_app
from bot.metrics import MetricsComponent
from bot.services import Services, core_config
from bot.settings import Settings
from core.runtime import metrics
from core.runtime.clock import ManualClock
from core.storage.db import Database
from tests.unit.insights.shop import ShopBuilder


@pytest.fixture
async def served(
    db: Database, clock: ManualClock
) -> AsyncIterator[tuple[httpx.AsyncClient, Services]]:
    settings = Settings(_env_file=None, database_url=db.url)  # type: ignore[call-arg]
    services = Services(settings=settings, database=db, clock=clock, config=core_config(settings))
    component = MetricsComponent(services.metrics)
    await component.start()
    server = uvicorn.Server(
        uvicorn.Config(create_app(services), host="127.0.0.1", port=0, log_level="warning",
                       lifespan="off")
    )  # fmt: skip
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        yield client, services
    server.should_exit = True
    await task
    await component.stop()


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample as {(name, sorted labels): value}; raises if the text is not valid."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_metrics_parse_and_count_what_happened(
    served: tuple[httpx.AsyncClient, Services], db: Database, clock: ManualClock
) -> None:
    client, _services = served
    async with db.transaction() as session:
        shop = ShopBuilder(session)
        order = await shop.order(clock.now())
        await shop.flag(order, "late", clock.now())
        await shop.flag(order, "late", clock.now())
        await shop.flag(order, "stuck", clock.now(), state="resolved")
        shopper = await shop.identity()
        await shop.push("pending", clock.now() - timedelta(minutes=10), shopper)
        await shop.push("claimed", clock.now() - timedelta(minutes=2), shopper)
        await shop.push("pending", clock.now() + timedelta(hours=1), None)  # not due yet
        await shop.push("sent", clock.now() - timedelta(hours=1), shopper)
    async with db.transaction() as session:  # the conversation logs each question so
        shop = ShopBuilder(session, first_number=100)
        await shop.question("track_order", clock.now())
        await shop.question("track_order", clock.now())
        await shop.question("human", clock.now(), by_bot=False)
    metrics.push_outcome("telegram", "sent")
    metrics.push_outcome("telegram", "blocked")
    metrics.dispatch_lag("telegram", 3.5)
    assert (await client.get("/healthz")).status_code == 200

    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)

    def value(name: str, **labels: str) -> float:
        return samples[(name, tuple(sorted(labels.items())))]

    assert value("wismo_questions_total", channel="telegram", intent="track_order") == 2
    assert value("wismo_questions_total", channel="telegram", intent="human") == 1
    assert value("wismo_answers_total", channel="telegram", by="bot") == 2
    assert value("wismo_answers_total", channel="telegram", by="person") == 1
    assert value("wismo_pushes_total", channel="telegram", outcome="sent") == 1
    assert value("wismo_pushes_total", channel="telegram", outcome="blocked") == 1
    assert value("wismo_dispatch_lag_seconds_count", channel="telegram") == 1
    assert value("wismo_dispatch_lag_seconds_sum", channel="telegram") == 3.5
    assert value("wismo_dispatch_lag_seconds_bucket", channel="telegram", le="5.0") == 1
    assert value("wismo_dispatch_lag_seconds_bucket", channel="telegram", le="2.0") == 0
    assert value("wismo_flags_open", kind="late") == 2
    assert ("wismo_flags_open", (("kind", "stuck"),)) not in samples  # resolved
    assert value("wismo_outbox_waiting", channel="telegram") == 2
    assert value("wismo_outbox_waiting", channel="slack") == 1
    assert value("wismo_outbox_oldest_due_seconds") == 600
    assert value(
        "wismo_http_request_seconds_count", method="GET", route="/healthz", status="200"
    ) == 1  # fmt: skip


async def test_a_flag_resolved_since_the_last_scrape_reads_zero(
    served: tuple[httpx.AsyncClient, Services], db: Database, clock: ManualClock
) -> None:
    from sqlalchemy import update

    from core.storage.models import Flag

    client, _services = served
    async with db.transaction() as session:
        shop = ShopBuilder(session)
        await shop.flag(await shop.order(clock.now()), "late", clock.now())
    assert ("wismo_flags_open", (("kind", "late"),)) in _samples(
        (await client.get("/metrics")).text
    )
    async with db.transaction() as session:
        await session.exec(update(Flag).values(state="resolved"))  # type: ignore[call-overload]
    samples = _samples((await client.get("/metrics")).text)
    assert ("wismo_flags_open", (("kind", "late"),)) not in samples
    assert samples[("wismo_outbox_oldest_due_seconds", ())] == 0


async def test_unknown_paths_are_one_series_not_one_per_path(
    served: tuple[httpx.AsyncClient, Services],
) -> None:
    client, _services = served
    for path in ("/nope/1", "/nope/2", "/wp-admin.php"):
        assert (await client.get(path)).status_code == 404
    samples = _samples((await client.get("/metrics")).text)
    key = (
        "wismo_http_request_seconds_count",
        (("method", "GET"), ("route", "unmatched"), ("status", "404")),
    )
    assert samples[key] == 3


async def test_questions_stop_being_counted_when_the_service_stops(
    db: Database, clock: ManualClock
) -> None:
    from sqlalchemy import event

    from bot.metrics import Metrics, _count_question
    from core.storage.models import InboundLog

    registry = Metrics()
    component = MetricsComponent(registry)
    await component.start()
    await component.stop()
    assert not event.contains(InboundLog, "after_insert", _count_question)
    async with db.transaction() as session:
        await ShopBuilder(session).question("track_order", clock.now())
    assert "wismo_questions_total{" not in registry.render().decode()


async def test_raised_flags_are_counted_by_kind_and_source(
    served: tuple[httpx.AsyncClient, Services], db: Database, clock: ManualClock
) -> None:
    from core.runtime.config import CoreConfig
    from core.staff.flags import raise_flag

    client, _services = served
    config = CoreConfig(slack_alerts_channel="C0ALERTS")
    async with db.transaction() as session:
        order_id = await ShopBuilder(session).order(clock.now())
        await raise_flag(session, clock, config, order_id, "stuck", open_key="stuck:1")
        # the same open problem again is no new flag, so no new count
        await raise_flag(session, clock, config, order_id, "stuck", open_key="stuck:1")
        await raise_flag(session, clock, config, order_id, "damaged", source="staff")
    samples = _samples((await client.get("/metrics")).text)
    assert samples[("wismo_flags_raised_total", (("kind", "stuck"), ("source", "detector")))] == 1
    assert samples[("wismo_flags_raised_total", (("kind", "damaged"), ("source", "staff")))] == 1


async def test_tracking_updates_pushes_and_their_lag_are_served(
    served: tuple[httpx.AsyncClient, Services], db: Database, clock: ManualClock
) -> None:
    from core.ingest.tracking_update import TrackingUpdate
    from core.ingest.updates import apply_tracking_update, apply_tracking_updates
    from core.pushes.dispatch import Dispatcher
    from core.replies.sender import Permanent
    from core.runtime.config import CoreConfig
    from core.tracking.statuses import ShipmentStatus
    from tests.unit.jobs.factory import make_shop
    from tests.unit.jobs.fakes import RecordingSender

    client, _services = served
    config = CoreConfig(timezone="UTC")
    now = clock.now()
    async with db.transaction() as session:
        await make_shop(session, clock)
        await make_shop(session, clock, number="1002", tracking="TRK1002", chat="chat-1002")
    out = TrackingUpdate("aftership", "e1", "TRK1001", ShipmentStatus.OUT_FOR_DELIVERY, now)
    async with db.transaction() as session:
        await apply_tracking_update(session, clock, config, out)
    async with db.transaction() as session:
        await apply_tracking_updates(session, clock, config, [
            out,  # again: a duplicate
            TrackingUpdate("aftership", "e2", "TRK9999", ShipmentStatus.DELIVERED, now),
            TrackingUpdate("aftership", "e3", "TRK1002", None, now, raw_status="XZ-17"),
            TrackingUpdate("shopify", "s1", "TRK1002", ShipmentStatus.IN_TRANSIT, now),
        ])  # fmt: skip
    clock.advance(seconds=90)  # the pushes wait a minute and a half for the dispatcher
    sender = RecordingSender([Permanent("chat not found")])
    await Dispatcher(db, clock, {"telegram": sender}).run_once()
    assert len(sender.attempts) == 2

    samples = _samples((await client.get("/metrics")).text)

    def value(name: str, **labels: str) -> float:
        return samples.get((name, tuple(sorted(labels.items()))), 0.0)

    updates = "wismo_tracking_updates_total"
    assert value(updates, source="aftership", result="applied") == 1
    assert value(updates, source="aftership", result="duplicate") == 1
    assert value(updates, source="aftership", result="unknown_shipment") == 1
    assert value(updates, source="aftership", result="unknown_status") == 1
    assert value(updates, source="shopify", result="applied") == 1
    assert value("wismo_pushes_total", channel="telegram", outcome="sent") == 1
    assert value("wismo_pushes_total", channel="telegram", outcome="permanent") == 1
    # only the push that went out has a lag: due at `now`, sent 90 s later
    assert value("wismo_dispatch_lag_seconds_count", channel="telegram") == 1
    assert value("wismo_dispatch_lag_seconds_sum", channel="telegram") == 90
