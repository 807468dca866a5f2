"""AfterShip, EasyPost and Shopify webhooks over real HTTP: good, forged, replayed, unknown."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import logging
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from core.ingest import intake
from core.pushes import notifications
from core.storage.models import (
    ChannelIdentity,
    Customer,
    Notification,
    Order,
    OrderItem,
    ProcessedUpdate,
    Shipment,
    TrackingEvent,
)
from tests.integration.ingest.conftest import SECRETS, Served

PAYLOADS = Path(__file__).parent / "payloads"


def load(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / name).read_text())


def b64_sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def easypost_sign(secret: str, body: bytes) -> str:
    key = unicodedata.normalize("NFKD", secret).encode()
    return "hmac-sha256-hex=" + hmac.new(key, body, hashlib.sha256).hexdigest()


async def post_aftership(served: Served, payload: dict[str, Any], *, forged: bool = False) -> Any:
    body = json.dumps(payload).encode()
    secret = "wrong" if forged else SECRETS["aftership_webhook_secret"]
    return await served.client.post(
        "/webhooks/aftership",
        content=body,
        headers={
            "aftership-hmac-sha256": b64_sign(secret, body),
            "Content-Type": "application/json",
        },
    )


async def post_easypost(served: Served, payload: dict[str, Any], *, forged: bool = False) -> Any:
    body = json.dumps(payload).encode()
    secret = "wrong" if forged else SECRETS["easypost_webhook_secret"]
    return await served.client.post(
        "/webhooks/easypost",
        content=body,
        headers={
            "X-Hmac-Signature": easypost_sign(secret, body),
            "Content-Type": "application/json",
        },
    )


async def post_shopify(
    served: Served, topic: str, payload: dict[str, Any], event_id: str, *, forged: bool = False
) -> Any:
    body = json.dumps(payload).encode()
    secret = "wrong" if forged else SECRETS["shopify_webhook_secret"]
    return await served.client.post(
        "/webhooks/shopify",
        content=body,
        headers={
            "X-Shopify-Hmac-Sha256": b64_sign(secret, body),
            "X-Shopify-Topic": topic,
            "X-Shopify-Event-Id": event_id,
            "X-Shopify-Webhook-Id": f"delivery-{event_id}",
            "Content-Type": "application/json",
        },
    )


async def shipment_for(served: Served, tracking_number: str, carrier: str) -> None:
    clock = served.services.clock
    order = intake.OrderData(
        external_id="o-1",
        number="1001",
        customer=intake.CustomerData(email="ana@example.com"),
        placed_at=datetime(2026, 10, 30, tzinfo=UTC),
    )
    shipment = intake.ShipmentData(
        external_id="s-1", carrier=carrier, tracking_number=tracking_number, order_external_id="o-1"
    )
    async with served.services.database.transaction() as session:
        await intake.upsert_order(session, clock, order, actor="test")
        await intake.upsert_shipment(session, clock, shipment, actor="test")


async def follower(served: Served) -> None:
    """A verified shopper on the console channel following order 1001."""
    clock = served.services.clock
    async with served.services.database.transaction() as session:
        order = (await session.exec(select(Order))).one()
        shopper = ChannelIdentity(
            channel="console", external_id="ana", customer_id=order.customer_id,
            verified_at=clock.now(), created_at=clock.now(),
        )  # fmt: skip
        session.add(shopper)
        await session.flush()
        assert shopper.id is not None and order.id is not None
        await notifications.follow(session, clock, shopper.id, order.id)


async def stored(served: Served) -> tuple[Shipment | None, list[TrackingEvent], int]:
    async with served.services.database.session() as session:
        shipment = (await session.exec(select(Shipment))).first()
        events = list((await session.exec(select(TrackingEvent))).all())
        processed = len((await session.exec(select(ProcessedUpdate))).all())
    return shipment, events, processed


# --- AfterShip ---------------------------------------------------------------------------


async def test_aftership_update_moves_the_shipment_and_fills_the_timeline(served: Served) -> None:
    await shipment_for(served, "1Z999AA10123456784", "ups")
    await follower(served)
    response = await post_aftership(served, load("aftership_tracking_update.json"))
    assert response.status_code == 200
    assert response.json()["status"] == "processed"
    assert response.json()["events_applied"] == 2
    shipment, events, _ = await stored(served)
    assert shipment is not None and shipment.status == "in_transit"
    assert shipment.eta == datetime(2026, 11, 4, 17, 0, tzinfo=UTC)
    assert sorted(e.status for e in events) == ["in_transit", "info_received"]
    assert {e.location for e in events} == {"Louisville, KY, USA"}
    async with served.services.database.session() as session:
        pushes = (await session.exec(select(Notification))).all()
    assert [(p.recipient, p.kind) for p in pushes] == [("ana", "shipped")]


async def test_aftership_forged_signature_is_401_and_writes_nothing(served: Served) -> None:
    await shipment_for(served, "1Z999AA10123456784", "ups")
    response = await post_aftership(served, load("aftership_tracking_update.json"), forged=True)
    assert response.status_code == 401
    assert response.json()["error"] == "bad_signature"
    shipment, events, processed = await stored(served)
    assert shipment is not None and shipment.status == "pending"
    assert (events, processed) == ([], 0)


async def test_aftership_replay_is_processed_once(served: Served) -> None:
    await shipment_for(served, "1Z999AA10123456784", "ups")
    payload = load("aftership_tracking_update.json")
    await post_aftership(served, payload)
    replay = await post_aftership(served, payload)
    assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
    _, events, _ = await stored(served)
    assert len(events) == 2


async def test_aftership_unknown_tag_keeps_the_last_status_and_is_logged(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    await shipment_for(served, "1Z999AA10123456784", "ups")
    await follower(served)
    payload = load("aftership_tracking_update.json")
    payload["msg"]["checkpoints"][0]["tag"] = "Teleported"
    payload["msg"]["checkpoints"][1]["tag"] = "Teleported"
    with caplog.at_level(logging.WARNING):
        response = await post_aftership(served, payload)
    assert response.status_code == 200
    shipment, events, _ = await stored(served)
    assert shipment is not None and shipment.status == "pending"
    assert {(e.raw_status, e.status) for e in events} == {("Teleported", "pending")}
    assert "unknown tag 'Teleported'" in caplog.text
    async with served.services.database.session() as session:
        assert (await session.exec(select(Notification))).all() == []  # no shopper alarmed


async def test_aftership_edd_revise_moves_the_eta(served: Served) -> None:
    await shipment_for(served, "1Z999AA10123456784", "ups")
    await post_aftership(served, load("aftership_tracking_update.json"))
    response = await post_aftership(served, load("aftership_edd_revise.json"))
    assert response.status_code == 200 and response.json()["events_applied"] == 1
    shipment, _, _ = await stored(served)
    assert shipment is not None and shipment.status == "in_transit"
    assert shipment.eta == datetime(2026, 11, 6, 17, 0, tzinfo=UTC)


async def test_malformed_json_with_a_good_signature_is_422(served: Served) -> None:
    body = b'{"event": "tracking_update",'
    response = await served.client.post(
        "/webhooks/aftership",
        content=body,
        headers={"aftership-hmac-sha256": b64_sign(SECRETS["aftership_webhook_secret"], body)},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


async def test_a_webhook_without_a_secret_is_off(served: Served) -> None:
    served.services.settings.aftership_webhook_secret = None
    response = await post_aftership(served, load("aftership_tracking_update.json"))
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "WISMO_AFTERSHIP_WEBHOOK_SECRET"


# --- EasyPost ----------------------------------------------------------------------------


async def test_easypost_tracker_update_moves_the_shipment(served: Served) -> None:
    await shipment_for(served, "9400100000000000000000", "usps")
    response = await post_easypost(served, load("easypost_tracker_updated.json"))
    assert response.status_code == 200 and response.json()["events_applied"] == 2
    shipment, events, _ = await stored(served)
    assert shipment is not None and shipment.status == "in_transit"
    assert shipment.last_location == "COLUMBUS, OH, US"
    assert sorted(e.status for e in events) == ["in_transit", "info_received"]


async def test_easypost_forged_and_replayed(served: Served) -> None:
    await shipment_for(served, "9400100000000000000000", "usps")
    payload = load("easypost_tracker_updated.json")
    forged = await post_easypost(served, payload, forged=True)
    assert forged.status_code == 401
    assert (await stored(served))[1:] == ([], 0)
    first = await post_easypost(served, payload)
    replay = await post_easypost(served, payload)
    assert first.json()["status"] == "processed" and replay.json()["status"] == "duplicate"
    assert len((await stored(served))[1]) == 2


async def test_easypost_unknown_status_keeps_the_last_one(served: Served) -> None:
    await shipment_for(served, "9400100000000000000000", "usps")
    payload = load("easypost_tracker_updated.json")
    payload["result"]["tracking_details"][1]["status"] = "lost_in_space"
    response = await post_easypost(served, payload)
    assert response.status_code == 200
    shipment, _, _ = await stored(served)
    assert shipment is not None and shipment.status == "info_received"


async def test_easypost_events_other_than_trackers_are_ignored(served: Served) -> None:
    payload = load("easypost_tracker_updated.json")
    payload["description"] = "batch.updated"
    response = await post_easypost(served, payload)
    assert response.status_code == 200
    assert response.json()["status"] == "ignored" and response.json()["reason"] == "batch.updated"


# --- Shopify -----------------------------------------------------------------------------


async def test_shopify_order_then_fulfillment_arrive_on_their_own(served: Served) -> None:
    created = await post_shopify(served, "orders/create", load("shopify_orders_create.json"), "e1")
    assert created.status_code == 200 and created.json()["orders"] == 1
    fulfilled = await post_shopify(
        served, "fulfillments/update", load("shopify_fulfillments_update.json"), "e2"
    )
    assert fulfilled.status_code == 200
    assert fulfilled.json()["shipments"] == 1 and fulfilled.json()["events_applied"] == 1
    async with served.services.database.session() as session:
        order = (await session.exec(select(Order))).one()
        customer = (await session.exec(select(Customer))).one()
        items = (await session.exec(select(OrderItem).order_by(OrderItem.id))).all()
        shipment = (await session.exec(select(Shipment))).one()
    assert (order.number, order.external_id, order.total_minor, order.currency) == (
        "1001",
        "shopify:820982911946154508",
        40300,
        "USD",
    )
    assert order.status == "shipped"
    assert customer.email == "jon@example.com" and customer.name == "John Smith"
    assert [(i.sku, i.price_minor) for i in items] == [
        ("IPOD-342-N", 19900),
        ("variant-808950811", 19400),
    ]
    assert (shipment.carrier, shipment.tracking_number, shipment.status) == (
        "UPS",
        "1Z2345",
        "in_transit",
    )
    assert shipment.tracking_url is not None and "1Z2345" in shipment.tracking_url


async def test_shopify_forged_and_replayed(served: Served) -> None:
    payload = load("shopify_orders_create.json")
    forged = await post_shopify(served, "orders/create", payload, "e1", forged=True)
    assert forged.status_code == 401
    async with served.services.database.session() as session:
        assert (await session.exec(select(Order))).all() == []
    await post_shopify(served, "orders/create", payload, "e1")
    replay = await post_shopify(served, "orders/create", payload, "e1")
    assert replay.json()["status"] == "duplicate"


async def test_shopify_cancellation_and_unknown_shipment_status(served: Served) -> None:
    order = load("shopify_orders_create.json")
    await post_shopify(served, "orders/create", order, "e1")
    fulfillment = load("shopify_fulfillments_update.json")
    fulfillment["shipment_status"] = "abducted"
    response = await post_shopify(served, "fulfillments/update", fulfillment, "e2")
    assert response.status_code == 200
    cancelled = copy.deepcopy(order)
    cancelled["cancelled_at"] = "2026-10-31T12:00:00-04:00"
    await post_shopify(served, "orders/updated", cancelled, "e3")
    async with served.services.database.session() as session:
        shipment = (await session.exec(select(Shipment))).one()
        stored_order = (await session.exec(select(Order))).one()
    assert shipment.status == "pending"
    assert stored_order.status == "cancelled"


async def test_shopify_fulfillment_for_an_unknown_order_is_rejected_without_a_retry(
    served: Served,
) -> None:
    # The order's own webhook carries its fulfillments, so nothing is lost by not retrying.
    response = await post_shopify(
        served, "fulfillments/create", load("shopify_fulfillments_update.json"), "e9"
    )
    assert response.status_code == 200
    assert response.json() == {
        "status": "rejected",
        "errors": [
            {"field": "order_external_id", "message": "no order 'shopify:820982911946154508'"}
        ],
    }
    async with served.services.database.session() as session:
        assert (await session.exec(select(ProcessedUpdate))).all() == []
        assert (await session.exec(select(Shipment))).all() == []


async def test_shopify_order_without_an_email_is_rejected(served: Served) -> None:
    order = load("shopify_orders_create.json")
    order["email"] = order["contact_email"] = None
    order["customer"]["email"] = None
    response = await post_shopify(served, "orders/create", order, "e10")
    assert response.json()["status"] == "rejected"
    assert response.json()["errors"][0]["field"] == "email"
    async with served.services.database.session() as session:
        assert (await session.exec(select(Order))).all() == []


async def test_shopify_order_webhook_brings_its_fulfillments(served: Served) -> None:
    order = load("shopify_orders_create.json")
    order["fulfillments"] = [load("shopify_fulfillments_update.json")]
    response = await post_shopify(served, "orders/updated", order, "e11")
    assert (response.json()["orders"], response.json()["shipments"]) == (1, 1)
    async with served.services.database.session() as session:
        shipment = (await session.exec(select(Shipment))).one()
    assert (shipment.tracking_number, shipment.status) == ("1Z2345", "in_transit")
