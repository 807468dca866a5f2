"""wismo's one status language: nine shipment tags and the order lifecycle.

Wording shown to shoppers lives in `core.replies.messages`; this module is the taxonomy itself.
"""

from __future__ import annotations

from enum import StrEnum


class ShipmentStatus(StrEnum):
    PENDING = "pending"
    INFO_RECEIVED = "info_received"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    FAILED_ATTEMPT = "failed_attempt"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    EXPIRED = "expired"


class OrderStatus(StrEnum):
    PLACED = "placed"
    PROCESSING = "processing"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURN_REQUESTED = "return_requested"
    RETURNED = "returned"


# How far along the journey a status is; used to refuse regressions (a late, out-of-order
# "in transit" scan must not undo "out for delivery"). Exceptions and failed attempts sit
# beside the happy path, so any later forward status may replace them.
SHIPMENT_PROGRESS: dict[ShipmentStatus, int] = {
    ShipmentStatus.PENDING: 0,
    ShipmentStatus.INFO_RECEIVED: 1,
    ShipmentStatus.IN_TRANSIT: 2,
    ShipmentStatus.EXCEPTION: 2,
    ShipmentStatus.EXPIRED: 2,
    ShipmentStatus.OUT_FOR_DELIVERY: 3,
    ShipmentStatus.FAILED_ATTEMPT: 3,
    ShipmentStatus.AVAILABLE_FOR_PICKUP: 4,
    ShipmentStatus.DELIVERED: 5,
}

FINAL_SHIPMENT_STATUSES = frozenset({ShipmentStatus.DELIVERED})
ACTIVE_SHIPMENT_STATUSES = frozenset(
    s for s in ShipmentStatus if s not in (ShipmentStatus.DELIVERED, ShipmentStatus.EXPIRED)
)


# How the feeds say a parcel goes back to the shop: AfterShip's subtags Exception_010
# ("returning to sender") and Exception_011 ("returned to sender"), EasyPost's status
# return_to_sender. Each maps onto `exception`; these codes tell the two kinds of hold-up apart.
RETURN_TO_SENDER_CODES = frozenset({"exception_010", "exception_011", "return_to_sender"})


def returning_to_sender(*codes: str | None) -> bool:
    """True when a feed's status or substatus codes say the parcel goes back to the sender."""
    return any(code and code.strip().lower() in RETURN_TO_SENDER_CODES for code in codes)


def parse_shipment_status(value: str) -> ShipmentStatus:
    """Parse one of the nine tags (case and separators forgiven); ValueError otherwise."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return ShipmentStatus(key)
    except ValueError:
        raise ValueError(f"unknown shipment status {value!r}") from None


def is_regression(current: ShipmentStatus | str, new: ShipmentStatus | str) -> bool:
    """True when moving from `current` to `new` would step the shopper backwards."""
    return SHIPMENT_PROGRESS[ShipmentStatus(new)] < SHIPMENT_PROGRESS[ShipmentStatus(current)]


def order_status_from_shipments(
    shipment_statuses: list[ShipmentStatus], items_all_shipped: bool = True
) -> OrderStatus | None:
    """The order-level status that its shipments imply, or None when they imply nothing."""
    if not shipment_statuses:
        return None
    if all(s == ShipmentStatus.DELIVERED for s in shipment_statuses) and items_all_shipped:
        return OrderStatus.DELIVERED
    if not items_all_shipped:
        return OrderStatus.PARTIALLY_SHIPPED
    if all(s == ShipmentStatus.PENDING for s in shipment_statuses):
        return OrderStatus.PROCESSING
    return OrderStatus.SHIPPED
