"""What comes in from the shop and the carriers: tracking updates applied idempotently, orders
and shipments upserted, CSV imports, webhook deliveries, carrier polling and API keys.

- tracking_update (TrackingUpdate), updates (`apply_tracking_updates`), events (stored once),
  order_progress (an order follows its parcels).
- intake (+ intake_types, intake_shipments, intake_views): orders and shipments from the shop.
- csv_rows, importer: `wismo import`; deliveries: carrier webhooks; polling: carrier clients.
- apikeys: the ingest API's keys.
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
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
    from core.ingest.storable import MAX_INTEGER, text_problem, time_problem, value_problem
    from core.ingest.tracking_update import BadTrackingUpdate, TrackingUpdate
    from core.ingest.updates import (
        ApplyOutcome,
        ApplyResult,
        apply_tracking_update,
        apply_tracking_updates,
    )

__all__ = [
    "MAX_INTEGER",
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
    "text_problem",
    "time_problem",
    "value_problem",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "AddressData": "core.ingest.intake_types",
        "ApplyOutcome": "core.ingest.updates",
        "ApplyResult": "core.ingest.updates",
        "BadTrackingUpdate": "core.ingest.tracking_update",
        "CarrierSource": "core.ingest.polling",
        "CustomerData": "core.ingest.intake_types",
        "Delivery": "core.ingest.deliveries",
        "IntakeError": "core.ingest.intake_types",
        "ItemData": "core.ingest.intake_types",
        "MAX_INTEGER": "core.ingest.storable",
        "OrderData": "core.ingest.intake_types",
        "PollResult": "core.ingest.polling",
        "PollTarget": "core.ingest.polling",
        "Poller": "core.ingest.polling",
        "ShipmentData": "core.ingest.intake_types",
        "TrackingUpdate": "core.ingest.tracking_update",
        "apikeys": "core.ingest.apikeys",
        "apply_delivery": "core.ingest.deliveries",
        "apply_tracking_update": "core.ingest.updates",
        "apply_tracking_updates": "core.ingest.updates",
        "begin_writes": "core.ingest.intake",
        "importer": "core.ingest.importer",
        "intake": "core.ingest.intake",
        "text_problem": "core.ingest.storable",
        "time_problem": "core.ingest.storable",
        "value_problem": "core.ingest.storable",
    },
)
