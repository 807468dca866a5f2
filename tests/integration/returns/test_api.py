"""`/api/v1/returns` over real HTTP: listing by state, moving requests on, and refusals."""

from __future__ import annotations

from core.returns import requests as returns
from core.storage.models import ReturnRequest
from tests.integration.ingest.conftest import Served
from tests.unit.returns.conftest import Shop


async def _approved_and_requested(served: Served) -> tuple[ReturnRequest, ReturnRequest, Shop]:
    services = served.services
    shop = Shop(services.database, services.clock, services.config)  # type: ignore[arg-type]
    ada = await shop.customer()
    chat = await shop.chat(ada)
    order, (shirt, socks, _hat) = await shop.order(ada, number="1001")
    async with shop.db.transaction() as session:
        first = await returns.request_return(
            session,
            shop.clock,
            shop.config,
            identity=chat,
            order_id=order.id,
            items={shirt.id: 1},
            reason="too_small",
        )
        second = await returns.request_return(
            session,
            shop.clock,
            shop.config,
            identity=chat,
            order_id=order.id,
            items={socks.id: 2},
            reason="defective",
            comment="holes",
        )
        first = await returns.approve(session, shop.clock, shop.config, first.id, actor="slack:U1")
    return first, second, shop


async def test_list_by_state_with_items(served: Served) -> None:
    approved, requested, _shop = await _approved_and_requested(served)
    everything = await served.client.get("/api/v1/returns", headers=served.auth)
    assert everything.status_code == 200
    assert [r["id"] for r in everything.json()["returns"]] == [approved.id, requested.id]

    page = await served.client.get("/api/v1/returns?state=requested", headers=served.auth)
    [only] = page.json()["returns"]
    assert only["id"] == requested.id
    assert only["order_number"] == "1001"
    assert only["items"] == [
        {
            "order_item_id": only["items"][0]["order_item_id"],
            "sku": "SKU-1",
            "name": "Socks",
            "qty": 2,
        }
    ]
    assert (only["reason"], only["comment"], only["state"]) == ("defective", "holes", "requested")
    assert page.json()["next_after_id"] is None

    first_page = await served.client.get("/api/v1/returns?limit=1", headers=served.auth)
    assert first_page.json()["next_after_id"] == approved.id
    rest = await served.client.get(
        f"/api/v1/returns?limit=1&after_id={approved.id}", headers=served.auth
    )
    assert [r["id"] for r in rest.json()["returns"]] == [requested.id]


async def test_a_bad_state_filter_names_the_field(served: Served) -> None:
    response = await served.client.get("/api/v1/returns?state=lost", headers=served.auth)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "state"


async def test_received_then_refunded_over_http(served: Served) -> None:
    approved, _requested, shop = await _approved_and_requested(served)
    received = await served.client.post(
        f"/api/v1/returns/{approved.id}/received", headers=served.auth
    )
    assert received.status_code == 200
    assert received.json()["state"] == "received"
    assert received.json()["received_at"].startswith("2026-11-02T12:00:00")
    refunded = await served.client.post(
        f"/api/v1/returns/{approved.id}/refunded", headers=served.auth
    )
    assert refunded.json()["state"] == "refunded"
    [*_, last] = await shop.audit()
    assert (last.actor, last.action) == ("api:shop", "return.refunded")
    pushes = [n.kind for n in await shop.outbox() if n.identity_id is not None]
    assert pushes == ["return_approved", "return_received", "return_refunded"]


async def test_steps_out_of_order_are_409_and_unknown_ids_404(served: Served) -> None:
    _approved, requested, _shop = await _approved_and_requested(served)
    early = await served.client.post(
        f"/api/v1/returns/{requested.id}/received", headers=served.auth
    )
    assert early.status_code == 409
    assert early.json()["error"] == "wrong_state"
    assert early.json()["state"] == "requested"
    missing = await served.client.post("/api/v1/returns/9999/refunded", headers=served.auth)
    assert missing.status_code == 404
    assert (await served.client.get("/api/v1/returns/9999", headers=served.auth)).status_code == 404
    one = await served.client.get(f"/api/v1/returns/{requested.id}", headers=served.auth)
    assert one.json()["state"] == "requested"


async def test_the_returns_api_needs_a_key(served: Served) -> None:
    assert (await served.client.get("/api/v1/returns")).status_code == 401
    assert (await served.client.post("/api/v1/returns/1/received")).status_code == 401
