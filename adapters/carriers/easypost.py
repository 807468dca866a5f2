"""EasyPost: webhook signature, tracker events → tracking updates, the status-mapping table.

EasyPost signs the raw body with HMAC-SHA256 under the webhook secret (NFKD-normalised)
and sends `X-Hmac-Signature: hmac-sha256-hex=<hex digest>`. Webhooks are delivered at
least once; the Event id makes a redelivery a no-op.
"""

from __future__ import annotations

import hmac
import logging
import unicodedata
from typing import Any

from adapters.carriers.parsing import PayloadError, hmac_sha256, items, mapping, text, when
from core.ingest import Delivery, TrackingUpdate
from core.tracking import ShipmentStatus

log = logging.getLogger(__name__)

SOURCE = "easypost"
SIGNATURE_HEADER = "X-Hmac-Signature"
SIGNATURE_PREFIX = "hmac-sha256-hex="
TRACKER_EVENTS = frozenset({"tracker.created", "tracker.updated"})

# "unknown" is EasyPost's word for "no scan yet", not an unknown code; "error" means the
# tracker itself failed, which says nothing about the parcel, so the last status stays.
STATUSES: dict[str, ShipmentStatus | None] = {
    "unknown": ShipmentStatus.PENDING,
    "pre_transit": ShipmentStatus.INFO_RECEIVED,
    "in_transit": ShipmentStatus.IN_TRANSIT,
    "out_for_delivery": ShipmentStatus.OUT_FOR_DELIVERY,
    "available_for_pickup": ShipmentStatus.AVAILABLE_FOR_PICKUP,
    "delivered": ShipmentStatus.DELIVERED,
    "return_to_sender": ShipmentStatus.EXCEPTION,
    "failure": ShipmentStatus.EXCEPTION,
    "cancelled": ShipmentStatus.EXCEPTION,
    "error": None,
}


def verify_signature(secret: str, body: bytes, signature: str | None) -> bool:
    """True when `signature` is `hmac-sha256-hex=` + hex HMAC-SHA256 of `body`."""
    if not signature or not secret:
        return False
    key = unicodedata.normalize("NFKD", secret).encode("utf-8")
    expected = SIGNATURE_PREFIX + hmac_sha256(key, body).hex()
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().lower().encode("utf-8"))


def map_status(status: str | None) -> ShipmentStatus | None:
    """wismo's status for an EasyPost tracker status; None (keep the last one) otherwise."""
    key = text(status).lower()
    if key not in STATUSES:
        log.warning("easypost: unknown status %r; keeping the last status", status)
        return None
    return STATUSES[key]


def _location(detail: dict[str, Any]) -> str | None:
    where = mapping(detail.get("tracking_location"))
    parts = [text(where.get(k)) for k in ("city", "state", "country")]
    return ", ".join(p for p in parts if p)[:200] or None


def tracker_updates(tracker: dict[str, Any]) -> list[TrackingUpdate]:
    """Every tracking detail of an EasyPost Tracker as a tracking update, oldest first."""
    number = text(tracker.get("tracking_code"), 128)
    if not number:
        raise PayloadError("result.tracking_code", "missing")
    tracker_id = text(tracker.get("id"), 64) or number
    carrier = text(tracker.get("carrier"), 64) or None
    eta = when(tracker.get("est_delivery_date"), "result.est_delivery_date")
    details = items(tracker.get("tracking_details"))
    updates = []
    for index, detail in enumerate(details):
        occurred = when(detail.get("datetime"), f"result.tracking_details.{index}.datetime")
        if occurred is None:
            raise PayloadError(f"result.tracking_details.{index}.datetime", "missing timestamp")
        raw = text(detail.get("status"))
        substatus = text(detail.get("status_detail"), 64) or None
        updates.append(
            TrackingUpdate(
                source=SOURCE,
                source_event_id=f"{tracker_id}:{occurred.isoformat()}:{raw}:{substatus}"[:200],
                tracking_number=number,
                status=map_status(raw),
                occurred_at=occurred,
                raw_status=raw[:128] or None,
                substatus=substatus,
                location=_location(detail),
                text=text(detail.get("message") or detail.get("description"), 500),
                eta=eta if index == len(details) - 1 else None,
                carrier=carrier,
            )
        )
    if not updates:
        occurred = when(
            tracker.get("updated_at") or tracker.get("created_at"),
            "result.updated_at",
            required=True,
        )
        assert occurred is not None
        raw = text(tracker.get("status"))
        updates.append(
            TrackingUpdate(
                source=SOURCE,
                source_event_id=f"{tracker_id}:{occurred.isoformat()}:{raw}"[:200],
                tracking_number=number,
                status=map_status(raw),
                occurred_at=occurred,
                raw_status=raw[:128] or None,
                substatus=text(tracker.get("status_detail"), 64) or None,
                eta=eta,
                carrier=carrier,
            )
        )
    return updates


def parse_webhook(payload: dict[str, Any]) -> Delivery:
    """An EasyPost Event body as a Delivery keyed by the Event id."""
    event_id = text(payload.get("id"), 100)
    if not event_id:
        raise PayloadError("id", "missing")
    description = text(payload.get("description"))
    if description not in TRACKER_EVENTS:
        return Delivery(
            source=SOURCE, delivery_id=event_id, kind=description, ignored_reason=description
        )
    tracker = mapping(payload.get("result"))
    if not tracker:
        raise PayloadError("result", "missing tracker")
    return Delivery(
        source=SOURCE,
        delivery_id=event_id,
        kind=description,
        updates=tuple(tracker_updates(tracker)),
    )
