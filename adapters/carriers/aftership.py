"""AfterShip: webhook signature, payload → tracking updates, and the one tag-mapping table.

AfterShip's tags are the taxonomy wismo's nine follow, so the table is one-to-one. The same
`tracking_updates` reads a tracking from a webhook's `msg` and from the REST API, so a
checkpoint seen by both is stored once (same source event id).
"""

from __future__ import annotations

import logging
from typing import Any

from adapters.carriers.parsing import PayloadError, base64_hmac_matches, items, mapping, text, when
from core.ingest import Delivery, TrackingUpdate
from core.tracking import ShipmentStatus

log = logging.getLogger(__name__)

SOURCE = "aftership"
SIGNATURE_HEADER = "aftership-hmac-sha256"

TAGS: dict[str, ShipmentStatus] = {
    "Pending": ShipmentStatus.PENDING,
    "InfoReceived": ShipmentStatus.INFO_RECEIVED,
    "InTransit": ShipmentStatus.IN_TRANSIT,
    "OutForDelivery": ShipmentStatus.OUT_FOR_DELIVERY,
    "AttemptFail": ShipmentStatus.FAILED_ATTEMPT,
    "AvailableForPickup": ShipmentStatus.AVAILABLE_FOR_PICKUP,
    "Delivered": ShipmentStatus.DELIVERED,
    "Exception": ShipmentStatus.EXCEPTION,
    "Expired": ShipmentStatus.EXPIRED,
}
TRACKING_EVENTS = frozenset({"tracking_update", "edd_revise"})


def verify_signature(secret: str, body: bytes, signature: str | None) -> bool:
    """AfterShip signs the raw body: base64 HMAC-SHA256 in `aftership-hmac-sha256`."""
    return base64_hmac_matches(secret, body, signature)


def map_tag(tag: str | None) -> ShipmentStatus | None:
    """wismo's status for an AfterShip tag; None (keep the last status) when unknown."""
    status = TAGS.get(text(tag))
    if status is None and tag:
        log.warning("aftership: unknown tag %r; keeping the last status", tag)
    return status


def _location(checkpoint: dict[str, Any]) -> str | None:
    place = text(checkpoint.get("location"))
    if not place:
        parts = [text(checkpoint.get(k)) for k in ("city", "state", "country_region")]
        place = ", ".join(p for p in parts if p)
    return place[:200] or None


def _eta(tracking: dict[str, Any]) -> Any:
    latest = mapping(tracking.get("latest_estimated_delivery"))
    return (
        latest.get("datetime")
        or latest.get("datetime_max")
        or mapping(tracking.get("courier_estimated_delivery_date")).get("estimated_delivery_date")
        or mapping(tracking.get("aftership_estimated_delivery_date")).get("estimated_delivery_date")
        or tracking.get("expected_delivery")
    )


def tracking_updates(
    tracking: dict[str, Any], *, fallback_time: Any = None
) -> list[TrackingUpdate]:
    """Every checkpoint of one AfterShip tracking as a tracking update, oldest first.

    A tracking with no checkpoints yields one update carrying its overall tag.
    """
    number = text(tracking.get("tracking_number"), 128)
    if not number:
        raise PayloadError("msg.tracking_number", "missing")
    slug = text(tracking.get("slug"), 64) or None
    eta = when(_eta(tracking), "msg.latest_estimated_delivery")
    updates: list[TrackingUpdate] = []
    checkpoints = items(tracking.get("checkpoints"))
    for index, checkpoint in enumerate(checkpoints):
        occurred = when(checkpoint.get("checkpoint_time"), f"msg.checkpoints.{index}")
        occurred = occurred or when(checkpoint.get("created_at"), f"msg.checkpoints.{index}")
        if occurred is None:
            raise PayloadError(f"msg.checkpoints.{index}.checkpoint_time", "missing timestamp")
        tag = text(checkpoint.get("tag"))
        subtag = text(checkpoint.get("subtag"), 64) or None
        updates.append(
            TrackingUpdate(
                source=SOURCE,
                source_event_id=f"{slug}:{number}:{occurred.isoformat()}:{tag}:{subtag}"[:200],
                tracking_number=number,
                status=map_tag(tag),
                occurred_at=occurred,
                raw_status=tag[:128] or None,
                substatus=subtag,
                location=_location(checkpoint),
                text=text(checkpoint.get("message") or checkpoint.get("subtag_message"), 500),
                eta=eta if index == len(checkpoints) - 1 else None,
                carrier=slug,
            )
        )
    if not updates:
        occurred = when(
            tracking.get("updated_at") or fallback_time, "msg.updated_at", required=True
        )
        assert occurred is not None
        tag = text(tracking.get("tag"))
        updates.append(
            TrackingUpdate(
                source=SOURCE,
                source_event_id=f"{slug}:{number}:{occurred.isoformat()}:{tag}"[:200],
                tracking_number=number,
                status=map_tag(tag),
                occurred_at=occurred,
                raw_status=tag[:128] or None,
                substatus=text(tracking.get("subtag"), 64) or None,
                text=text(tracking.get("subtag_message"), 500),
                eta=eta,
                carrier=slug,
            )
        )
    return updates


def edd_update(tracking: dict[str, Any], ts: Any) -> TrackingUpdate:
    """An `edd_revise` event: the same status with a new estimated delivery date."""
    number = text(tracking.get("tracking_number"), 128)
    if not number:
        raise PayloadError("msg.tracking_number", "missing")
    eta = when(_eta(tracking), "msg.latest_estimated_delivery")
    if eta is None:
        raise PayloadError("msg.latest_estimated_delivery", "edd_revise without a date")
    occurred = when(ts or tracking.get("updated_at"), "ts", required=True)
    assert occurred is not None
    tag = text(tracking.get("tag"))
    return TrackingUpdate(
        source=SOURCE,
        # The estimate is part of the id: each revision is a new fact, a replay is not.
        source_event_id=f"edd:{number}:{eta.isoformat()}"[:200],
        tracking_number=number,
        status=map_tag(tag),
        occurred_at=occurred,
        raw_status=tag[:128] or None,
        substatus=text(tracking.get("subtag"), 64) or None,
        text="Estimated delivery date revised",
        eta=eta,
        carrier=text(tracking.get("slug"), 64) or None,
    )


def parse_webhook(payload: dict[str, Any]) -> Delivery:
    """An AfterShip webhook body as a Delivery keyed by its `event_id`."""
    event_id = text(payload.get("event_id"), 100)
    if not event_id:
        raise PayloadError("event_id", "missing")
    event = text(payload.get("event"))
    if event not in TRACKING_EVENTS:
        return Delivery(source=SOURCE, delivery_id=event_id, kind=event, ignored_reason=event)
    tracking = mapping(payload.get("msg"))
    if not tracking:
        raise PayloadError("msg", "missing tracking")
    if event == "edd_revise":
        updates = [edd_update(tracking, payload.get("ts"))]
    else:
        updates = tracking_updates(tracking, fallback_time=payload.get("ts"))
    return Delivery(source=SOURCE, delivery_id=event_id, kind=event, updates=tuple(updates))
