"""Where an order is: the status taxonomy, the shopper's view of orders and parcels, carrier
links, transit times from the shop's own history and the delivery windows predicted from them.

- statuses: the nine shipment tags and the order lifecycle.
- lookup: a verified customer's orders and parcels (the hot path); views: their read models.
- order_reply: the order card and the order list as replies.
- transit, prediction, view_predictions: usual delivery days and windows.
- carrier_links: carrier names and tracking links.
"""

from typing import TYPE_CHECKING

from core import lazy_exports

if TYPE_CHECKING:
    from core.tracking.statuses import OrderStatus, ShipmentStatus

__all__ = [
    "OrderStatus",
    "ShipmentStatus",
]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "OrderStatus": "core.tracking.statuses",
        "ShipmentStatus": "core.tracking.statuses",
    },
)
