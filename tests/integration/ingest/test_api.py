"""The ingest API over real HTTP: auth, idempotency, bulk, limits and error bodies."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlmodel import select

from core.storage.models import Order, Shipment, TrackingEvent
from tests.integration.ingest.conftest import MAX_BYTES, Served

ORDER = {
    "external_id": "shop-1001",
    "number": "1001",
    "placed_at": "2026-10-30T09:00:00Z",
    "customer": {"email": "ana@example.com", "external_id": "c-1", "name": "Ana Lima"},
    "items": [{"sku": "MUG", "name": "Blue mug", "qty": 2, "price_minor": 1200}],
    "currency": "EUR",
}
SHIPMENT = {
    "external_id": "f-1",
    "order_external_id": "shop-1001",
    "carrier": "dhl",
    "tracking_number": "JD0001",
}


def event(event_id: str, status: str, at: str = "2026-11-01T10:00:00Z", **extra: object) -> dict:
    return {
        "event_id": event_id,
        "tracking_number": "JD0001",
        "status": status,
        "occurred_at": at,
        **extra,
    }


async def with_shipment(served: Served) -> None:
    assert (
        await served.client.post("/api/v1/orders", json=ORDER, headers=served.auth)
    ).status_code == 201
    response = await served.client.post("/api/v1/shipments", json=SHIPMENT, headers=served.auth)
    assert response.status_code == 201


async def test_requests_without_a_valid_key_are_refused(served: Served) -> None:
    missing = await served.client.post("/api/v1/orders", json=ORDER)
    wrong = await served.client.post(
        "/api/v1/orders", json=ORDER, headers={"Authorization": "Bearer wismo_nope_nope"}
    )
    via_header = await served.client.post(
        "/api/v1/orders", json=ORDER, headers={"X-API-Key": served.key}
    )
    assert missing.status_code == 401 and "missing API key" in missing.json()["detail"]
    assert missing.headers["www-authenticate"] == "Bearer"
    assert wrong.status_code == 401 and wrong.json()["detail"] == "unknown or revoked API key"
    assert via_header.status_code == 201


async def test_a_revoked_key_stops_working_at_once(served: Served) -> None:
    from core.ingest import apikeys

    async with served.services.database.transaction() as session:
        await apikeys.revoke_key(session, served.services.clock, "shop")
    response = await served.client.post("/api/v1/orders", json=ORDER, headers=served.auth)
    assert response.status_code == 401


async def test_repeating_an_order_gives_the_same_result(served: Served) -> None:
    first = await served.client.post("/api/v1/orders", json=ORDER, headers=served.auth)
    again = await served.client.post("/api/v1/orders", json=ORDER, headers=served.auth)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json() == {
        "id": first.json()["id"],
        "external_id": "shop-1001",
        "created": True,
        "changed": True,
        "tracking_url": first.json()["tracking_url"],
    }
    assert first.json()["tracking_url"].startswith("http://127.0.0.1:8080/t/")
    assert again.json() == {**first.json(), "created": False, "changed": False}
    read = await served.client.get("/api/v1/orders/shop-1001", headers=served.auth)
    assert read.json()["number"] == "1001"
    assert read.json()["items"] == [
        {"sku": "MUG", "name": "Blue mug", "qty": 2, "returnable": True}
    ]
    async with served.services.database.session() as session:
        assert len((await session.exec(select(Order))).all()) == 1


async def test_an_order_number_taken_by_another_order_is_409(served: Served) -> None:
    await served.client.post("/api/v1/orders", json=ORDER, headers=served.auth)
    clash = await served.client.post(
        "/api/v1/orders", json={**ORDER, "external_id": "other"}, headers=served.auth
    )
    assert clash.status_code == 409
    assert clash.json()["errors"] == [
        {"field": "number", "message": "order number 1001 belongs to another order"}
    ]


async def test_bad_fields_are_named_in_a_422(served: Served) -> None:
    bad = {**ORDER, "placed_at": "yesterday", "customer": {"email": "not-an-email"}}
    response = await served.client.post("/api/v1/orders", json=bad, headers=served.auth)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"placed_at", "customer.email"}


async def test_malformed_json_is_a_422_naming_the_body(served: Served) -> None:
    response = await served.client.post(
        "/api/v1/orders",
        content=b'{"external_id": "x",',
        headers={**served.auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "body" and error["message"].startswith("malformed JSON")


async def test_a_shipment_for_an_unknown_order_is_a_422(served: Served) -> None:
    response = await served.client.post(
        "/api/v1/shipments", json={**SHIPMENT, "order_external_id": "ghost"}, headers=served.auth
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "order_external_id", "message": "no order 'ghost'"}
    ]


async def test_one_event_is_applied_once(served: Served) -> None:
    await with_shipment(served)
    first = await served.client.post(
        "/api/v1/events", json=event("e1", "in_transit"), headers=served.auth
    )
    again = await served.client.post(
        "/api/v1/events", json=event("e1", "in_transit"), headers=served.auth
    )
    assert first.json()["outcome"] == "applied" and first.json()["shipment_status"] == "in_transit"
    assert again.json()["outcome"] == "duplicate"
    async with served.services.database.session() as session:
        assert len((await session.exec(select(TrackingEvent))).all()) == 1


async def test_an_event_for_an_unknown_tracking_number_is_a_422(served: Served) -> None:
    response = await served.client.post(
        "/api/v1/events",
        json={**event("e1", "delivered"), "tracking_number": "NOPE"},
        headers=served.auth,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "tracking_number"


async def test_an_older_status_is_stored_but_never_moves_the_shopper_backwards(
    served: Served,
) -> None:
    await with_shipment(served)
    await served.client.post(
        "/api/v1/events",
        json=event("e2", "out_for_delivery", "2026-11-01T08:00:00Z"),
        headers=served.auth,
    )
    late = await served.client.post(
        "/api/v1/events",
        json=event("e1", "in_transit", "2026-11-01T07:00:00Z"),
        headers=served.auth,
    )
    assert late.json()["outcome"] == "applied"
    assert late.json()["shipment_status"] == "out_for_delivery"
    async with served.services.database.session() as session:
        shipment = (await session.exec(select(Shipment))).one()
        events = (await session.exec(select(TrackingEvent))).all()
    assert shipment.status == "out_for_delivery"
    assert sorted(e.status for e in events) == ["in_transit", "out_for_delivery"]


async def test_bulk_reports_each_event_and_applies_the_good_ones(served: Served) -> None:
    await with_shipment(served)
    await served.client.post(
        "/api/v1/events", json=event("seen", "info_received"), headers=served.auth
    )
    body = {
        "events": [
            event("b1", "in_transit", "2026-11-01T09:00:00Z"),
            event("seen", "info_received"),
            event("b2", "teleported"),
            {**event("b3", "delivered"), "tracking_number": "UNKNOWN"},
            "not an object",
            event("b4", "out_for_delivery", "2026-11-01T12:00:00Z"),
        ]
    }
    response = await served.client.post("/api/v1/events/bulk", json=body, headers=served.auth)
    assert response.status_code == 200
    report = response.json()
    assert (report["received"], report["applied"], report["duplicates"], report["failed"]) == (
        6,
        2,
        1,
        3,
    )
    outcomes = [(r["index"], r["event_id"], r["outcome"]) for r in report["results"]]
    assert outcomes == [
        (0, "b1", "applied"),
        (1, "seen", "duplicate"),
        (2, "b2", "failed"),
        (3, "b3", "failed"),
        (4, "", "failed"),
        (5, "b4", "applied"),
    ]
    assert report["results"][2]["errors"][0]["field"] == "events.2.status"
    assert report["results"][3]["errors"][0]["field"] == "events.3.tracking_number"
    async with served.services.database.session() as session:
        shipment = (await session.exec(select(Shipment))).one()
        stored = {e.source_event_id for e in (await session.exec(select(TrackingEvent))).all()}
    assert shipment.status == "out_for_delivery"
    assert stored == {"seen", "b1", "b4"}

    repeat = await served.client.post("/api/v1/events/bulk", json=body, headers=served.auth)
    assert (repeat.json()["applied"], repeat.json()["duplicates"]) == (0, 3)


async def test_bulk_over_1000_events_is_refused_whole(served: Served) -> None:
    await with_shipment(served)
    body = {"events": [event(f"e{i}", "in_transit") for i in range(1001)]}
    response = await served.client.post("/api/v1/events/bulk", json=body, headers=served.auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "events"
    async with served.services.database.session() as session:
        assert (await session.exec(select(TrackingEvent))).all() == []


async def test_a_body_over_the_limit_is_413_even_without_content_length(served: Served) -> None:
    big = json.dumps({"events": [event("x" * 100, "in_transit")] * 1500}).encode()
    assert len(big) > MAX_BYTES
    declared = await served.client.post(
        "/api/v1/events/bulk",
        content=big,
        headers={**served.auth, "Content-Type": "application/json"},
    )

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(big), 8192):
            yield big[start : start + 8192]

    streamed = await served.client.post(
        "/api/v1/events/bulk",
        content=chunks(),  # chunked transfer encoding: no Content-Length to trust
        headers={**served.auth, "Content-Type": "application/json"},
    )
    assert declared.status_code == 413
    assert streamed.status_code == 413
    assert "content-length" not in streamed.request.headers


async def test_openapi_docs_list_the_ingest_api(served: Served) -> None:
    docs = await served.client.get("/docs")
    schema = (await served.client.get("/openapi.json")).json()
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    for path in ("/api/v1/orders", "/api/v1/shipments", "/api/v1/events", "/api/v1/events/bulk"):
        assert path in schema["paths"]
    assert "/webhooks/shopify" in schema["paths"]


async def test_a_busy_sqlite_writer_is_a_503_to_retry() -> None:
    from sqlalchemy.exc import OperationalError
    from starlette.requests import Request

    from bot.api.errors import database_busy_handler

    request = Request({"type": "http", "method": "POST", "path": "/api/v1/events", "headers": []})
    busy = await database_busy_handler(
        request, OperationalError("INSERT", {}, Exception("database is locked"))
    )
    broken = await database_busy_handler(
        request, OperationalError("INSERT", {}, Exception("disk I/O error"))
    )
    assert (busy.status_code, busy.headers["retry-after"]) == (503, "1")
    assert broken.status_code == 500


async def test_a_future_dated_event_is_stored_but_does_not_block_later_ones(
    served: Served,
) -> None:
    await with_shipment(served)
    future = await served.client.post(
        "/api/v1/events",
        json=event("f1", "in_transit", "2026-11-09T12:00:00Z"),
        headers=served.auth,
    )
    now = await served.client.post(
        "/api/v1/events",
        json=event("n1", "out_for_delivery", "2026-11-02T12:30:00Z"),
        headers=served.auth,
    )
    assert future.json()["outcome"] == "applied" and now.json()["outcome"] == "applied"
    assert now.json()["shipment_status"] == "out_for_delivery"
    async with served.services.database.session() as session:
        stored = {
            e.source_event_id: e.occurred_at
            for e in (await session.exec(select(TrackingEvent))).all()
        }
    assert stored["f1"].isoformat() == "2026-11-09T12:00:00+00:00"


async def test_an_unexpected_error_is_a_json_500_in_the_same_shape(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.ingest import intake

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(intake, "find_order", broken)
    response = await served.client.get("/api/v1/orders/any", headers=served.auth)
    assert response.status_code == 500
    assert response.json() == {
        "error": "internal_error",
        "errors": [{"field": "", "message": "unexpected server error"}],
    }
