"""The real `wismo run`: an API key from `wismo apikey create`, then the ingest API and a
signed Shopify webhook over HTTP, as a merchant's systems would use them."""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import Wismo, free_port, wait_ready

pytestmark = pytest.mark.slow
PAYLOADS = Path(__file__).resolve().parents[1] / "integration" / "ingest" / "payloads"


def test_ingest_through_a_running_service(wismo: Wismo) -> None:
    created = wismo("apikey", "create", "warehouse")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    port = free_port()
    service = wismo.start("run", WISMO_HTTP_PORT=str(port), WISMO_SHOPIFY_WEBHOOK_SECRET="shh")
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, service)
        with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=10) as client:
            body = (PAYLOADS / "shopify_orders_create.json").read_bytes()
            signature = base64.b64encode(hmac.new(b"shh", body, hashlib.sha256).digest())
            hook = client.post(
                "/webhooks/shopify",
                content=body,
                headers={
                    "X-Shopify-Hmac-Sha256": signature.decode(),
                    "X-Shopify-Topic": "orders/create",
                    "X-Shopify-Event-Id": "e2e-1",
                },
            )
            assert hook.json()["status"] == "processed"
            shipment = client.post(
                "/api/v1/shipments",
                json={
                    "external_id": "wh-1",
                    "order_number": "1001",
                    "carrier": "dhl",
                    "tracking_number": "JD0042",
                },
            )
            assert shipment.status_code == 201
            posted = client.post(
                "/api/v1/events/bulk",
                json={
                    "events": [
                        {
                            "event_id": "dhl-1",
                            "tracking_number": "JD0042",
                            "status": "out_for_delivery",
                            "occurred_at": "2026-11-02T07:30:00+01:00",
                        }
                    ]
                },
            )
            assert posted.json()["applied"] == 1
            order = client.get("/api/v1/orders/shopify:820982911946154508").json()
            assert order["number"] == "1001"
            assert [(s["tracking_number"], s["status"]) for s in order["shipments"]] == [
                ("JD0042", "out_for_delivery")
            ]
            refused = httpx.post(f"{base}/api/v1/events", json={}, timeout=10)
            assert refused.status_code == 401
    finally:
        service.terminate()
        service.wait(timeout=30)
    assert service.returncode == 0
