"""What the tracking service answers with: plain, frozen views of an order and its parcels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core.tracking.statuses import OrderStatus, ShipmentStatus

if TYPE_CHECKING:
    from core.tracking.prediction import DeliveryWindow

# Order states in which nothing more will happen to the parcels.
FINISHED_ORDER_STATUSES = frozenset(
    {OrderStatus.DELIVERED, OrderStatus.CANCELLED, OrderStatus.RETURNED}
)
TIMELINE_LIMIT = 8  # per shipment; the full history is on the carrier's page


@dataclass(frozen=True)
class EventView:
    at: datetime
    status: str
    text: str
    location: str | None


@dataclass(frozen=True)
class ShipmentView:
    id: int
    carrier: str  # as shoppers know it ("DHL")
    tracking_number: str
    tracking_url: str | None
    status: str
    location: str | None
    carrier_eta: datetime | None
    last_event_at: datetime | None
    delivered_at: datetime | None
    events: tuple[EventView, ...]  # newest first, at most TIMELINE_LIMIT
    carrier_code: str = ""  # as stored ("dhl"): what the transit model is keyed by
    handed_over: datetime | None = None  # shipped_at, else when the parcel was created
    # The usual delivery days from the shop's history, when the carrier gives no ETA
    # (filled by core.tracking.view_predictions.with_predictions).
    predicted: DeliveryWindow | None = None

    @property
    def is_delivered(self) -> bool:
        """True once the parcel has arrived."""
        return self.status == ShipmentStatus.DELIVERED


@dataclass(frozen=True)
class ItemView:
    name: str
    qty: int
    returnable: bool


@dataclass(frozen=True)
class OrderView:
    id: int
    number: str
    customer_id: int
    status: str
    placed_at: datetime
    promised_by: datetime | None
    delivered_at: datetime | None
    timezone: str | None  # the delivery address's zone, when known
    items: tuple[ItemView, ...]
    shipments: tuple[ShipmentView, ...]
    following: bool | None = None  # does the asking chat follow it? (None: not asked)
    ship_country: str = ""  # the delivery address's country and postcode pick the
    ship_postcode: str = ""  # transit history a predicted window comes from

    @property
    def is_finished(self) -> bool:
        """Nothing more will move: delivered, cancelled or returned."""
        return self.status in FINISHED_ORDER_STATUSES

    @property
    def any_delivered(self) -> bool:
        """True when the order, or at least one of its parcels, has arrived."""
        return self.status == OrderStatus.DELIVERED or any(s.is_delivered for s in self.shipments)


@dataclass(frozen=True)
class OrderSummary:
    id: int
    number: str
    status: str
    placed_at: datetime
    parcel_statuses: tuple[str, ...] = ()  # filled by `with_parcel_statuses`
