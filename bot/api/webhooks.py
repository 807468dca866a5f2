"""Shop and carrier webhooks: `/webhooks/{aftership,easypost,shopify}`.

Each receiver checks the platform's signature over the raw body first (401, nothing
written, on a bad one), parses with its adapter, then applies the delivery once in one
transaction; a replay of the same delivery id answers 200 `duplicate` and changes nothing.
A signed delivery wismo cannot use answers 200 `rejected` with the reason, writing nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from adapters.carriers import aftership, easypost, shopify
from adapters.carriers.parsing import PayloadError
from bot.api.auth import services_of
from bot.api.bodies import json_object
from bot.api.errors import problem
from core.ingest import BadTrackingUpdate, Delivery, IntakeError, apply_delivery

log = logging.getLogger(__name__)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or bad signature; nothing was written"},
    404: {"description": "This webhook's secret is not configured"},
    413: {"description": "Body larger than WISMO_MAX_REQUEST_BYTES"},
    422: {"description": "The body is not a JSON object"},
}


async def _receive(
    request: Request,
    *,
    name: str,
    secret: str | None,
    setting: str,
    verify: Callable[[str, bytes, str | None], bool],
    signature: str | None,
    parse: Callable[[dict[str, Any]], Delivery],
) -> JSONResponse:
    if not secret:
        return problem(
            404, "not_configured", [{"field": setting, "message": f"{name} webhooks are off"}]
        )
    body = await request.body()
    if not verify(secret, body, signature):
        log.warning("%s webhook with a bad signature refused", name)
        return problem(401, "bad_signature", [{"field": "signature", "message": "does not match"}])
    payload = json_object(body)
    if isinstance(payload, str):
        return problem(422, "invalid_request", [{"field": "body", "message": payload}])
    services = services_of(request)
    try:
        delivery = parse(payload)
        async with services.database.transaction() as session:
            outcome = await apply_delivery(session, services.clock, services.config, delivery)
    except IntegrityError:
        # A twin of this delivery committed first; answering non-2xx makes the platform
        # retry, and the retry is then recognised as a duplicate.
        return problem(409, "in_flight", [{"field": "body", "message": "delivered twice at once"}])
    except (PayloadError, BadTrackingUpdate, IntakeError) as exc:
        # Retrying cannot fix a payload wismo cannot use (an order without an e-mail, a
        # fulfillment for an order never sent), and platforms switch off a webhook that
        # keeps failing: answer 2xx, write nothing, and say why (also in the log).
        field = getattr(exc, "field", "body")
        message = getattr(exc, "message", str(exc))
        log.warning("%s webhook rejected (nothing written): %s: %s", name, field, message)
        return JSONResponse(
            {"status": "rejected", "errors": [{"field": field, "message": message}]}
        )
    if outcome.duplicate:
        state = "duplicate"
    elif delivery.ignored_reason:
        state = "ignored"
    else:
        state = "processed"
    return JSONResponse(
        {
            "status": state,
            "reason": delivery.ignored_reason or None,
            "orders": outcome.orders,
            "shipments": outcome.shipments,
            "events_applied": outcome.events_applied,
            "events_duplicate": outcome.events_duplicate,
            "unknown_tracking_numbers": outcome.unknown_tracking,
        }
    )


@router.post("/aftership", responses=_RESPONSES, summary="AfterShip tracking webhook")
async def aftership_webhook(request: Request) -> JSONResponse:
    """`tracking_update` and `edd_revise`, signed with `aftership-hmac-sha256`."""
    return await _receive(
        request,
        name="AfterShip",
        secret=services_of(request).settings.aftership_webhook_secret,
        setting="WISMO_AFTERSHIP_WEBHOOK_SECRET",
        verify=aftership.verify_signature,
        signature=request.headers.get(aftership.SIGNATURE_HEADER),
        parse=aftership.parse_webhook,
    )


@router.post("/easypost", responses=_RESPONSES, summary="EasyPost tracker webhook")
async def easypost_webhook(request: Request) -> JSONResponse:
    """`tracker.created` and `tracker.updated` Events, signed with `X-Hmac-Signature`."""
    return await _receive(
        request,
        name="EasyPost",
        secret=services_of(request).settings.easypost_webhook_secret,
        setting="WISMO_EASYPOST_WEBHOOK_SECRET",
        verify=easypost.verify_signature,
        signature=request.headers.get(easypost.SIGNATURE_HEADER),
        parse=easypost.parse_webhook,
    )


@router.post("/shopify", responses=_RESPONSES, summary="Shopify orders and fulfillments webhook")
async def shopify_webhook(request: Request) -> JSONResponse:
    """`orders/create|updated`, `fulfillments/create|update`, signed with X-Shopify-Hmac-Sha256."""
    topic = request.headers.get(shopify.TOPIC_HEADER, "")
    # Shopify keeps X-Shopify-Event-Id across retries; older deliveries carry only the webhook id.
    delivery_id = (
        request.headers.get("X-Shopify-Event-Id")
        or request.headers.get("X-Shopify-Webhook-Id")
        or ""
    )

    def parse(payload: dict[str, Any]) -> Delivery:
        if not delivery_id:
            raise PayloadError("X-Shopify-Webhook-Id", "missing header")
        return shopify.parse_webhook(topic, delivery_id, payload)

    return await _receive(
        request,
        name="Shopify",
        secret=services_of(request).settings.shopify_webhook_secret,
        setting="WISMO_SHOPIFY_WEBHOOK_SECRET",
        verify=shopify.verify_signature,
        signature=request.headers.get(shopify.SIGNATURE_HEADER),
        parse=parse,
    )
