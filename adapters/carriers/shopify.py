"""Shopify: webhook signature, order and fulfillment payloads → core upserts and updates.

Topics `orders/create`, `orders/updated`, `fulfillments/create`, `fulfillments/update`
(REST payloads). Shopify ids become external ids prefixed `shopify:`, so they never clash
with ids a caller uses on the ingest API. A fulfillment's `shipment_status` is mapped with
the one table below.
"""

from __future__ import annotations

import logging
from typing import Any

from adapters.carriers.parsing import (
    PayloadError,
    base64_hmac_matches,
    items,
    mapping,
    minor_units,
    text,
    texts,
    when,
    whole_number,
)
from core.ingest import (
    AddressData,
    CustomerData,
    Delivery,
    ItemData,
    OrderData,
    ShipmentData,
    TrackingUpdate,
)
from core.tracking import OrderStatus, ShipmentStatus

log = logging.getLogger(__name__)

SOURCE = "shopify"
SIGNATURE_HEADER = "X-Shopify-Hmac-Sha256"
TOPIC_HEADER = "X-Shopify-Topic"
ORDER_TOPICS = frozenset({"orders/create", "orders/updated"})
FULFILLMENT_TOPICS = frozenset({"fulfillments/create", "fulfillments/update"})
TOPICS = ORDER_TOPICS | FULFILLMENT_TOPICS

# Shopify's FulfillmentEventStatus (lower-case in REST payloads). "delayed" is news but
# not a failure: the parcel is still moving, so it stays in transit with a substatus.
SHIPMENT_STATUSES: dict[str, ShipmentStatus] = {
    "label_printed": ShipmentStatus.INFO_RECEIVED,
    "label_purchased": ShipmentStatus.INFO_RECEIVED,
    "confirmed": ShipmentStatus.INFO_RECEIVED,
    "carrier_picked_up": ShipmentStatus.IN_TRANSIT,
    "in_transit": ShipmentStatus.IN_TRANSIT,
    "delayed": ShipmentStatus.IN_TRANSIT,
    "out_for_delivery": ShipmentStatus.OUT_FOR_DELIVERY,
    "attempted_delivery": ShipmentStatus.FAILED_ATTEMPT,
    "ready_for_pickup": ShipmentStatus.AVAILABLE_FOR_PICKUP,
    "delivered": ShipmentStatus.DELIVERED,
    "failure": ShipmentStatus.EXCEPTION,
}


def verify_signature(secret: str, body: bytes, signature: str | None) -> bool:
    """Shopify signs the raw body: base64(HMAC-SHA256(secret, body)) in X-Shopify-Hmac-Sha256."""
    return base64_hmac_matches(secret, body, signature)


def map_shipment_status(value: str | None) -> ShipmentStatus | None:
    """wismo's status for a Shopify shipment_status; None (keep the last one) when unknown."""
    key = text(value).lower()
    status = SHIPMENT_STATUSES.get(key)
    if status is None and key:
        log.warning("shopify: unknown shipment_status %r; keeping the last status", value)
    return status


def _id(value: Any, field: str) -> str:
    ident = text(value, 100)
    if not ident:
        raise PayloadError(field, "missing")
    return f"shopify:{ident}"


def _customer(order: dict[str, Any]) -> CustomerData:
    customer = mapping(order.get("customer"))
    email = text(order.get("email") or order.get("contact_email") or customer.get("email"), 320)
    if not email:
        raise PayloadError("email", "the order has no e-mail address")
    name = " ".join(
        p for p in (text(customer.get("first_name")), text(customer.get("last_name"))) if p
    )
    return CustomerData(
        email=email,
        external_id=f"shopify:{text(customer.get('id'))}" if customer.get("id") else None,
        name=name[:200],
        phone=text(customer.get("phone"), 64) or None,
        locale=text(order.get("customer_locale"), 16) or None,
    )


def _items(order: dict[str, Any]) -> tuple[ItemData, ...]:
    result = []
    for index, line in enumerate(items(order.get("line_items"))):
        sku = (
            text(line.get("sku"), 64) or f"variant-{text(line.get('variant_id') or line.get('id'))}"
        )
        result.append(
            ItemData(
                sku=sku,
                name=text(line.get("name") or line.get("title"), 300) or sku,
                qty=max(1, whole_number(line.get("quantity"), f"line_items.{index}.quantity")),
                price_minor=minor_units(line.get("price"), f"line_items.{index}.price"),
            )
        )
    return tuple(result)


def _address(order: dict[str, Any]) -> AddressData | None:
    address = mapping(order.get("shipping_address"))
    if not address:
        return None
    street = ", ".join(
        p for p in (text(address.get("address1")), text(address.get("address2"))) if p
    )
    return AddressData(
        name=text(address.get("name"), 200),
        street=street[:300],
        city=text(address.get("city"), 120),
        postcode=text(address.get("zip"), 32),
        country=text(address.get("country_code"), 2),
    )


def order_data(order: dict[str, Any]) -> OrderData:
    """A Shopify Order resource as wismo order data."""
    number = text(order.get("order_number")) or text(order.get("name")).lstrip("#")
    if not number:
        raise PayloadError("order_number", "missing")
    placed = when(order.get("created_at"), "created_at", required=True)
    assert placed is not None
    return OrderData(
        external_id=_id(order.get("id"), "id"),
        number=number[:64],
        customer=_customer(order),
        placed_at=placed,
        items=_items(order),
        status=OrderStatus.CANCELLED if order.get("cancelled_at") else None,
        total_minor=minor_units(order.get("total_price"), "total_price"),
        currency=text(order.get("currency"), 3) or None,
        shipping=_address(order),
        note=text(order.get("note"), 2000) or None,
    )


def fulfillment_changes(
    fulfillment: dict[str, Any], order_id: Any = None
) -> tuple[list[ShipmentData], list[TrackingUpdate]]:
    """A Shopify Fulfillment as shipments (one per tracking number) and status updates."""
    fulfillment_id = text(fulfillment.get("id"), 100)
    if not fulfillment_id:
        raise PayloadError("id", "missing fulfillment id")
    order_external_id = _id(fulfillment.get("order_id") or order_id, "order_id")
    numbers = texts(fulfillment.get("tracking_numbers"), 128)
    if not numbers and text(fulfillment.get("tracking_number")):
        numbers = [text(fulfillment.get("tracking_number"), 128)]
    urls = texts(fulfillment.get("tracking_urls"), 500)
    if not urls and text(fulfillment.get("tracking_url")):
        urls = [text(fulfillment.get("tracking_url"), 500)]
    carrier = text(fulfillment.get("tracking_company"), 64) or "unknown"
    raw_status = text(fulfillment.get("shipment_status"))
    occurred = when(
        fulfillment.get("updated_at") or fulfillment.get("created_at"), "updated_at", required=True
    )
    assert occurred is not None
    shipments: list[ShipmentData] = []
    updates: list[TrackingUpdate] = []
    for index, number in enumerate(numbers):
        external_id = f"shopify:{fulfillment_id}" + (f":{index}" if index else "")
        shipments.append(
            ShipmentData(
                external_id=external_id,
                carrier=carrier,
                tracking_number=number,
                order_external_id=order_external_id,
                tracking_url=urls[index] if index < len(urls) else None,
                shipped_at=when(fulfillment.get("created_at"), "created_at"),
            )
        )
        if raw_status:
            updates.append(
                TrackingUpdate(
                    source=SOURCE,
                    source_event_id=f"{fulfillment_id}:{number}:{raw_status}"[:200],
                    tracking_number=number,
                    status=map_shipment_status(raw_status),
                    occurred_at=occurred,
                    raw_status=raw_status[:128],
                    substatus="delayed" if raw_status == "delayed" else None,
                    carrier=carrier,
                )
            )
    return shipments, updates


def parse_webhook(topic: str, delivery_id: str, payload: dict[str, Any]) -> Delivery:
    """A Shopify webhook as a Delivery keyed by its event (or webhook) id and topic."""
    if topic not in TOPICS:
        return Delivery(source=SOURCE, delivery_id=delivery_id, kind=topic, ignored_reason=topic)
    if topic in ORDER_TOPICS:
        order = order_data(payload)
        shipments: list[ShipmentData] = []
        updates: list[TrackingUpdate] = []
        for fulfillment in items(payload.get("fulfillments")):
            found, moved = fulfillment_changes(fulfillment, payload.get("id"))
            shipments += found
            updates += moved
        return Delivery(
            source=SOURCE,
            delivery_id=delivery_id,
            kind=topic,
            orders=(order,),
            shipments=tuple(shipments),
            updates=tuple(updates),
        )
    shipments, updates = fulfillment_changes(payload)
    reason = "" if shipments else "fulfillment without a tracking number"
    return Delivery(
        source=SOURCE,
        delivery_id=delivery_id,
        kind=topic,
        shipments=tuple(shipments),
        updates=tuple(updates),
        ignored_reason=reason,
    )
