"""The HTTP app under uvicorn on 127.0.0.1 with one shipped order, for the tracking page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest

from bot.services import Services, core_config
from bot.settings import Settings
from core.ingest import apikeys
from core.runtime.clock import ManualClock
from core.storage.db import Database
from tests.integration.ingest.conftest import serve_app

ORDER = {
    "external_id": "shop-1001",
    "number": "1001",
    "placed_at": "2026-11-30T09:00:00Z",
    "customer": {"email": "ana@example.com", "external_id": "c-1", "name": "Ana Lima"},
    "items": [{"sku": "MUG", "name": 'Blue <mug> & "saucer"', "qty": 2, "price_minor": 1200}],
    "currency": "EUR",
}
SHIPMENT = {
    "external_id": "f-1",
    "order_external_id": "shop-1001",
    "carrier": "dhl",
    "tracking_number": "JD0001",
}
EVENTS = [
    ("e1", "info_received", "2026-12-01T08:00:00Z", "Leipzig, DE", "Shipping label created"),
    ("e2", "in_transit", "2026-12-02T11:45:00Z", "Leipzig, DE", "Picked up by DHL"),
    ("e3", "in_transit", "2026-12-03T09:45:00Z", "Berlin <hub>", "Arrived at the hub"),
]


@dataclass
class Shop:
    client: httpx.AsyncClient
    services: Services
    page_path: str  # /t/<token> of order 1001


async def _with_order(client: httpx.AsyncClient, auth: dict[str, str]) -> str:
    created = await client.post("/api/v1/orders", json=ORDER, headers=auth)
    assert created.status_code == 201, created.text
    assert (await client.post("/api/v1/shipments", json=SHIPMENT, headers=auth)).status_code == 201
    for event_id, status, at, location, text in EVENTS:
        body = {
            "event_id": event_id,
            "tracking_number": "JD0001",
            "status": status,
            "occurred_at": at,
            "location": location,
            "text": text,
        }
        assert (await client.post("/api/v1/events", json=body, headers=auth)).status_code in (
            200,
            201,
        )
    url = created.json()["tracking_url"]
    return "/" + url.split("/", 3)[3]


async def open_shop(
    database: Database, clock: ManualClock, **settings: object
) -> AsyncIterator[Shop]:
    """Serve the app for `database` with order 1001 in it (through the ingest API)."""
    config = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database.url,
        shop_name="Northwind Outfitters",
        **settings,
    )
    services = Services(settings=config, database=database, clock=clock, config=core_config(config))
    async with database.transaction() as session:
        key = await apikeys.create_key(session, clock, "shop")
    server, task, port = await serve_app(services)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            path = await _with_order(client, {"Authorization": f"Bearer {key.secret}"})
            yield Shop(client=client, services=services, page_path=path)
    finally:
        server.should_exit = True
        await task


NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def page_clock() -> ManualClock:
    """Thursday 3 December 2026, noon UTC: after the parcel's last scan."""
    return ManualClock(NOW)


@pytest.fixture
async def shop(db: Database, page_clock: ManualClock) -> AsyncIterator[Shop]:
    """The app with order 1001, no Telegram bot configured."""
    async for running in open_shop(db, page_clock):
        yield running
