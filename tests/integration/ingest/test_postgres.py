"""The ingest API and a Shopify webhook on PostgreSQL: idempotency, bulk report, replays."""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.storage.models import Order, Shipment, TrackingEvent
from tests.integration.ingest.conftest import Served
from tests.integration.ingest.test_api import ORDER, SHIPMENT, event
from tests.integration.ingest.test_webhooks import load, post_shopify

pytestmark = pytest.mark.postgres


async def test_ingest_api_on_postgres(pg_served: Served) -> None:
    served = pg_served
    first = await served.client.post("/api/v1/orders", json=ORDER, headers=served.auth)
    again = await served.client.post("/api/v1/orders", json=ORDER, headers=served.auth)
    assert (first.status_code, again.status_code) == (201, 200)
    shipment = await served.client.post("/api/v1/shipments", json=SHIPMENT, headers=served.auth)
    assert shipment.status_code == 201
    body = {
        "events": [
            event("p1", "in_transit", "2026-11-01T09:00:00Z"),
            event("p1", "in_transit", "2026-11-01T09:00:00Z"),
            {**event("p2", "delivered"), "tracking_number": "NOPE"},
            event("p3", "out_for_delivery", "2026-11-01T12:00:00Z"),
        ]
    }
    report = (
        await served.client.post("/api/v1/events/bulk", json=body, headers=served.auth)
    ).json()
    assert [r["outcome"] for r in report["results"]] == [
        "applied",
        "duplicate",
        "failed",
        "applied",
    ]
    async with served.services.database.session() as session:
        stored = (await session.exec(select(Shipment))).one()
        events = (await session.exec(select(TrackingEvent))).all()
    assert stored.status == "out_for_delivery"
    assert sorted(e.source_event_id for e in events) == ["p1", "p3"]


async def test_shopify_webhook_on_postgres(pg_served: Served) -> None:
    payload = load("shopify_orders_create.json")
    first = await post_shopify(pg_served, "orders/create", payload, "pg-1")
    replay = await post_shopify(pg_served, "orders/create", payload, "pg-1")
    fulfilled = await post_shopify(
        pg_served, "fulfillments/create", load("shopify_fulfillments_update.json"), "pg-2"
    )
    assert (first.json()["status"], replay.json()["status"]) == ("processed", "duplicate")
    assert fulfilled.json()["events_applied"] == 1
    async with pg_served.services.database.session() as session:
        order = (await session.exec(select(Order))).one()
    assert (order.number, order.status) == ("1001", "shipped")
