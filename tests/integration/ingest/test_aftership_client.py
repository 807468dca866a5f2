"""The AfterShip polling client against a local stand-in API over real HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlmodel import select

from adapters.carriers.aftership_client import AfterShipError, AfterShipSource
from core.ingest import intake
from core.ingest.polling import Poller, PollTarget
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import Shipment
from core.tracking.statuses import ShipmentStatus

TRACKING = json.loads(
    (Path(__file__).parent / "payloads" / "aftership_tracking_update.json").read_text()
)["msg"]
NUMBER = TRACKING["tracking_number"]


@dataclass
class Scripted:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class StandIn:
    """AfterShip's GET /trackings; answers from `script` first, then from `known`."""

    url: str = ""
    script: list[Scripted] = field(default_factory=list)
    known: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[web.Request] = field(default_factory=list)

    async def trackings(self, request: web.Request) -> web.Response:
        self.requests.append(request)
        if self.script:
            step = self.script.pop(0)
            if step.delay:
                await asyncio.sleep(step.delay)
            if step.status != 200 or step.body is not None:
                return web.json_response(step.body or {}, status=step.status, headers=step.headers)
        numbers = request.query.get("tracking_numbers", "").split(",")
        found = [self.known[n] for n in numbers if n in self.known]
        return web.json_response(
            {
                "meta": {"code": 200},
                "data": {"trackings": found, "pagination": {"total": len(found)}},
            }
        )


@pytest.fixture
async def stand_in() -> AsyncIterator[StandIn]:
    server = StandIn(known={NUMBER: TRACKING})
    app = web.Application()
    app.router.add_get("/tracking/2024-10/trackings", server.trackings)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.url = f"http://127.0.0.1:{port}/tracking/2024-10/"
    yield server
    await runner.cleanup()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def recorder(sleeps: list[float]) -> Callable[[float], Awaitable[None]]:
    """A sleep that records how long it was asked to wait and returns at once."""

    async def record(seconds: float) -> None:
        sleeps.append(round(seconds, 2))

    return record


def source(stand_in: StandIn, sleeps: list[float], **options: Any) -> AfterShipSource:
    return AfterShipSource(
        "test-key", stand_in.url, sleep=recorder(sleeps), rate_per_second=1000.0, **options
    )


def target(number: str, shipment_id: int = 1) -> PollTarget:
    return PollTarget(shipment_id, "ups", number, ShipmentStatus.PENDING, None)


async def test_success_maps_checkpoints_and_reports_unknown_numbers(
    stand_in: StandIn, sleeps: list[float]
) -> None:
    client = source(stand_in, sleeps)
    result = await client.poll([target(NUMBER), target("UNKNOWN1", 2)])
    await client.aclose()
    assert [(u.status, u.location) for u in result.updates] == [
        (ShipmentStatus.INFO_RECEIVED, "Louisville, KY, USA"),
        (ShipmentStatus.IN_TRANSIT, "Louisville, KY, USA"),
    ]
    assert dict(result.failed) == {"UNKNOWN1": "AfterShip does not track this number"}
    [request] = stand_in.requests
    assert request.headers["as-api-key"] == "test-key"
    assert request.query["tracking_numbers"] == f"{NUMBER},UNKNOWN1"


async def test_429_waits_as_told_then_retries(stand_in: StandIn, sleeps: list[float]) -> None:
    stand_in.script = [Scripted(429, {"meta": {"code": 429}}, {"Retry-After": "2"})]
    client = source(stand_in, sleeps)
    result = await client.poll([target(NUMBER)])
    await client.aclose()
    assert len(result.updates) == 2 and len(stand_in.requests) == 2
    assert 2.0 in sleeps


async def test_5xx_backs_off_exponentially_then_gives_up(
    stand_in: StandIn, sleeps: list[float]
) -> None:
    stand_in.script = [Scripted(503, {"meta": {"code": 503}})] * 4
    client = source(stand_in, sleeps, max_retries=3, first_backoff=0.5)
    with pytest.raises(AfterShipError, match="server error 503 after 4 attempts"):
        await client.poll([target(NUMBER)])
    await client.aclose()
    assert [s for s in sleeps if s >= 0.5] == [0.5, 1.0, 2.0]
    assert len(stand_in.requests) == 4


async def test_5xx_then_success(stand_in: StandIn, sleeps: list[float]) -> None:
    stand_in.script = [Scripted(502, {"meta": {"code": 502}})]
    client = source(stand_in, sleeps)
    result = await client.poll([target(NUMBER)])
    await client.aclose()
    assert len(result.updates) == 2


async def test_a_timeout_is_retried_and_then_raised(stand_in: StandIn, sleeps: list[float]) -> None:
    stand_in.script = [Scripted(200, delay=1.0), Scripted(200, delay=1.0)]
    client = source(stand_in, sleeps, timeout=0.2, max_retries=1)
    with pytest.raises(AfterShipError, match="timed out after 2 attempts"):
        await client.poll([target(NUMBER)])
    await client.aclose()


async def test_a_refused_key_is_not_retried(stand_in: StandIn, sleeps: list[float]) -> None:
    stand_in.script = [Scripted(401, {"meta": {"code": 401, "message": "Invalid API key."}})]
    client = source(stand_in, sleeps)
    with pytest.raises(AfterShipError, match="401 Invalid API key"):
        await client.poll([target(NUMBER)])
    await client.aclose()
    assert len(stand_in.requests) == 1


async def test_an_exhausted_rate_window_waits_for_the_reset(
    stand_in: StandIn, sleeps: list[float]
) -> None:
    clock = ManualClock()
    reset = int(clock.now().timestamp()) + 3
    stand_in.script = [
        Scripted(
            200,
            {"meta": {"code": 200}, "data": {"trackings": []}},
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
        )
    ]
    client = source(stand_in, sleeps, clock=clock)
    await client.poll([target("FIRST")])
    await client.poll([target(NUMBER)])
    await client.aclose()
    assert any(2.5 <= s <= 3.0 for s in sleeps), sleeps


async def test_requests_are_paced_under_the_documented_limit(
    stand_in: StandIn, sleeps: list[float]
) -> None:
    now = [100.0]  # pacing's clock: moves only when the client sleeps, never with the machine

    async def sleep(seconds: float) -> None:
        sleeps.append(round(seconds, 2))
        now[0] += seconds

    client = AfterShipSource(
        "k", stand_in.url, sleep=sleep, monotonic=lambda: now[0], rate_per_second=2.0
    )
    await client.poll([target(NUMBER)])
    await client.poll([target(NUMBER)])
    await client.aclose()
    assert sleeps == [0.5]  # two requests at 2 per second: half a second apart


async def test_the_poller_moves_a_due_shipment_through_the_client(
    stand_in: StandIn, sleeps: list[float], db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        await intake.upsert_order(
            session,
            clock,
            intake.OrderData(
                external_id="o-1",
                number="1001",
                customer=intake.CustomerData(email="ana@example.com"),
                placed_at=datetime(2026, 10, 30, tzinfo=UTC),
            ),
            actor="test",
        )
        await intake.upsert_shipment(
            session,
            clock,
            intake.ShipmentData(
                external_id="s-1", carrier="ups", tracking_number=NUMBER, order_external_id="o-1"
            ),
            actor="test",
        )
    client = source(stand_in, sleeps)
    poller = Poller(db, clock, CoreConfig(), {"*": client})
    stats = await poller.run_once()
    await client.aclose()
    assert (stats.claimed, stats.applied, stats.failed) == (1, 2, 0)
    async with db.session() as session:
        shipment = (await session.exec(select(Shipment))).one()
    assert shipment.status == "in_transit"
    assert shipment.next_poll_at is not None and shipment.next_poll_at > clock.now()
