"""Valid JSON with odd values, over real HTTP on SQLite and PostgreSQL: never a 5xx.

NUL characters (PostgreSQL refuses them in text), times with no UTC equivalent, integers
beyond any id, invalid UTF-8 and JSON nested 1,000 deep each get the documented answer —
`422` with `errors` naming the field on the API, the webhook's own refusal — and nothing
is written; in `/events/bulk` the bad item fails alone and its neighbours are applied.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import func, select

from core.storage.models import Customer, Order, TrackingEvent
from tests.integration.ingest.conftest import SECRETS, Served
from tests.integration.ingest.test_api import ORDER, event, with_shipment
from tests.integration.ingest.test_webhooks import b64_sign, easypost_sign, load

HUGE = "99999999999999999999999"
NO_UTC_TIME = "0001-01-01T00:00:00+14:00"
DEEP = b'{"a": ' * 1000 + b"1" + b"}" * 1000


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest) -> Served:
    """The ingest API on SQLite, then on PostgreSQL (skipped where none runs)."""
    served: Served = request.getfixturevalue("served" if request.param == "sqlite" else "pg_served")
    return served


async def count(served: Served, model: Any) -> int:
    async with served.services.database.session() as session:
        return int((await session.exec(select(func.count()).select_from(model))).one())


def fields_of(response: Any) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"text": "parcel\u0000scanned"}, "text"),
        ({"location": "\u0000"}, "location"),
        ({"occurred_at": NO_UTC_TIME}, "occurred_at"),
        ({"occurred_at": "9999-12-31T23:59:59-14:00"}, "occurred_at"),
        ({"eta": "0001-01-01T00:00:00Z"}, "eta"),
        ({"event_id": "e\ud800"}, "event_id"),
    ],
    ids=["NUL in text", "NUL alone", "year 1 at +14:00", "beyond year 9999", "year 1", "surrogate"],
)
async def test_an_odd_event_is_a_422_naming_the_field(
    api: Served, extra: dict[str, str], field: str
) -> None:
    await with_shipment(api)
    # Encoded by hand: a lone surrogate is valid JSON (as an escape) but not UTF-8.
    body = json.dumps({**event("odd", "in_transit"), **extra}).encode()
    response = await api.client.post(
        "/api/v1/events", content=body, headers={**api.auth, "Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_request"
    assert fields_of(response) == [field]
    assert await count(api, TrackingEvent) == 0


async def test_bulk_reports_odd_items_and_applies_their_neighbours(api: Served) -> None:
    await with_shipment(api)
    body = {
        "events": [
            event("nul", "in_transit", text="a\u0000b"),
            event("good-1", "in_transit", "2026-11-01T09:00:00Z"),
            event("old", "in_transit", NO_UTC_TIME),
            event("deep", "in_transit", location={"a": [[[[{"b": 1}]]]]}),
            event("good-2", "out_for_delivery", "2026-11-01T12:00:00Z"),
        ]
    }
    response = await api.client.post("/api/v1/events/bulk", json=body, headers=api.auth)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["applied"], report["failed"]) == (2, 3)
    assert [(r["event_id"], r["outcome"]) for r in report["results"]] == [
        ("nul", "failed"),
        ("good-1", "applied"),
        ("old", "failed"),
        ("deep", "failed"),
        ("good-2", "applied"),
    ]
    assert report["results"][0]["errors"][0]["field"] == "events.0.text"
    assert report["results"][2]["errors"][0]["field"] == "events.2.occurred_at"
    assert await count(api, TrackingEvent) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"customer": {**ORDER["customer"], "name": "Ana\u0000"}}, "customer.name"),
        ({"number": "10\u000001"}, "number"),
        ({"placed_at": NO_UTC_TIME}, "placed_at"),
        ({"promised_by": "0001-01-01T00:00:00Z"}, "promised_by"),
        ({"total_minor": int(HUGE)}, "total_minor"),
        (
            {"items": [{"sku": "MUG", "name": "Mug", "price_minor": int(HUGE)}]},
            "items.0.price_minor",
        ),
        ({"note": "\u0000"}, "note"),
    ],
)
async def test_an_odd_order_is_a_422_naming_the_field(
    api: Served, change: dict[str, Any], field: str
) -> None:
    response = await api.client.post("/api/v1/orders", json={**ORDER, **change}, headers=api.auth)
    assert response.status_code == 422, response.text
    assert fields_of(response) == [field]
    assert await count(api, Order) == 0 and await count(api, Customer) == 0


@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("GET", f"/api/v1/returns?after_id={HUGE}", "after_id"),
        ("GET", f"/api/v1/returns/{HUGE}", "return_id"),
        ("POST", f"/api/v1/returns/{HUGE}/received", "return_id"),
        ("POST", f"/api/v1/returns/{HUGE}/refunded", "return_id"),
        ("GET", "/api/v1/returns?after_id=-1", "after_id"),
    ],
)
async def test_huge_numbers_in_paths_and_queries_are_a_422(
    api: Served, method: str, path: str, field: str
) -> None:
    response = await api.client.request(method, path, headers=api.auth)
    assert response.status_code == 422, response.text
    assert fields_of(response) == [field]


@pytest.mark.parametrize("path", ["/api/v1/orders/a%00b", "/api/v1/shipments/%00"])
async def test_a_nul_in_an_id_finds_nothing(api: Served, path: str) -> None:
    response = await api.client.get(path, headers=api.auth)
    assert response.status_code == 404, response.text


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"event_id": "\xff\xfe", "status": "in_transit"}', "not valid UTF-8"),
        (DEEP, "nested too deeply"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
    ids=["invalid UTF-8", "nested 1000 deep", "nested 100,000 deep"],
)
@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/events/bulk", "/api/v1/orders"])
async def test_an_unreadable_body_is_the_documented_422(
    served: Served, path: str, body: bytes, reason: str
) -> None:
    response = await served.client.post(
        path, content=body, headers={**served.auth, "Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_request"
    [error] = response.json()["errors"]
    assert error["field"] == "body" and reason in error["message"]


def _signed(name: str, body: bytes) -> dict[str, str]:
    if name == "aftership":
        return {"aftership-hmac-sha256": b64_sign(SECRETS["aftership_webhook_secret"], body)}
    if name == "easypost":
        return {"X-Hmac-Signature": easypost_sign(SECRETS["easypost_webhook_secret"], body)}
    return {
        "X-Shopify-Hmac-Sha256": b64_sign(SECRETS["shopify_webhook_secret"], body),
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Event-Id": "evt-1",
    }


@pytest.mark.parametrize(
    "body",
    [DEEP, b'{"event": "\xff"}', b"[" * 200 + b"]" * 200],
    ids=["nested 1000 deep", "invalid UTF-8", "a list 200 deep"],
)
@pytest.mark.parametrize("name", ["aftership", "easypost", "shopify"])
async def test_a_signed_unreadable_webhook_is_a_422(served: Served, name: str, body: bytes) -> None:
    response = await served.client.post(
        f"/webhooks/{name}", content=body, headers={**_signed(name, body)}
    )
    assert response.status_code == 422, response.text
    assert fields_of(response) == ["body"]


def _aftership_with(**checkpoint: Any) -> bytes:
    payload = load("aftership_tracking_update.json")
    payload["msg"]["checkpoints"][-1].update(checkpoint)
    return json.dumps(payload).encode()


@pytest.mark.parametrize(
    "checkpoint",
    [{"message": "Departed\u0000"}, {"checkpoint_time": NO_UTC_TIME}, {"location": "\ud800"}],
    ids=["NUL", "no UTC time", "surrogate"],
)
async def test_a_signed_webhook_with_odd_values_is_rejected_and_writes_nothing(
    api: Served, checkpoint: dict[str, Any]
) -> None:
    from tests.integration.ingest.test_webhooks import shipment_for

    await shipment_for(api, "1Z999AA10123456784", "ups")
    body = _aftership_with(**checkpoint)
    response = await api.client.post(
        "/webhooks/aftership", content=body, headers=_signed("aftership", body)
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "rejected"
    assert response.json()["errors"][0]["message"]
    assert await count(api, TrackingEvent) == 0


@pytest.mark.parametrize("event_id", ["evt\u0000", "\ud800"], ids=["NUL", "surrogate"])
async def test_a_webhook_whose_delivery_id_cannot_be_stored_is_rejected(
    api: Served, event_id: str
) -> None:
    """Found by a longer fuzz run: the id is recorded for replays, and PostgreSQL refused it."""
    payload = load("aftership_tracking_update.json")
    payload["event_id"] = event_id
    body = json.dumps(payload).encode()
    response = await api.client.post(
        "/webhooks/aftership", content=body, headers=_signed("aftership", body)
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "rejected"
    assert response.json()["errors"][0]["field"] == "delivery_id"
    assert await count(api, TrackingEvent) == 0


async def test_a_shopify_order_with_a_nul_is_rejected_and_writes_nothing(api: Served) -> None:
    payload = load("shopify_orders_create.json")
    payload["customer"]["first_name"] = "Ana\u0000"
    body = json.dumps(payload).encode()
    response = await api.client.post(
        "/webhooks/shopify", content=body, headers=_signed("shopify", body)
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "rejected"
    assert await count(api, Order) == 0


async def test_a_value_the_checks_miss_still_fails_alone_in_bulk(
    pg_served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a check ever let through what PostgreSQL refuses, the neighbours still land."""
    from core.ingest import tracking_update

    await with_shipment(pg_served)
    monkeypatch.setattr(
        tracking_update, "value_problem", lambda value: None
    )  # the core lets NUL in
    monkeypatch.setattr("bot.api.schemas.value_problem", lambda value: None)  # and so does the API
    body = {
        "events": [
            event("good-1", "in_transit", "2026-11-01T09:00:00Z"),
            event("nul", "in_transit", text="a\u0000b"),
            event("good-2", "out_for_delivery", "2026-11-01T12:00:00Z"),
        ]
    }
    response = await pg_served.client.post("/api/v1/events/bulk", json=body, headers=pg_served.auth)
    assert response.status_code == 200, response.text
    report = response.json()
    assert [r["outcome"] for r in report["results"]] == ["applied", "failed", "applied"]
    assert report["results"][1]["errors"][0]["field"] == "events.1"
    assert await count(pg_served, TrackingEvent) == 2
