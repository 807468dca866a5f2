"""What comes in from the shop and the carriers: tracking updates applied idempotently, orders
and shipments upserted, CSV imports, webhook deliveries, carrier polling and API keys.

- tracking_update (TrackingUpdate), updates (`apply_tracking_updates`), events (stored once),
  order_progress (an order follows its parcels).
- intake (+ intake_types, intake_shipments, intake_views): orders and shipments from the shop.
- csv_rows, importer: `wismo import`; deliveries: carrier webhooks; polling: carrier clients.
- apikeys: the ingest API's keys.
"""

from core.ingest import apikeys, importer, intake
from core.ingest.deliveries import Delivery, apply_delivery
from core.ingest.intake import begin_writes
from core.ingest.intake_types import (
    AddressData,
    CustomerData,
    IntakeError,
    ItemData,
    OrderData,
    ShipmentData,
)
from core.ingest.polling import CarrierSource, Poller, PollResult, PollTarget
from core.ingest.tracking_update import BadTrackingUpdate, TrackingUpdate
from core.ingest.updates import (
    ApplyOutcome,
    ApplyResult,
    apply_tracking_update,
    apply_tracking_updates,
)

__all__ = [
    "AddressData",
    "ApplyOutcome",
    "ApplyResult",
    "BadTrackingUpdate",
    "CarrierSource",
    "CustomerData",
    "Delivery",
    "IntakeError",
    "ItemData",
    "OrderData",
    "PollResult",
    "PollTarget",
    "Poller",
    "ShipmentData",
    "TrackingUpdate",
    "apikeys",
    "apply_delivery",
    "apply_tracking_update",
    "apply_tracking_updates",
    "begin_writes",
    "importer",
    "intake",
]
