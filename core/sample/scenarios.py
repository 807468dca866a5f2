"""The kinds of orders in the sample data, how common each is, and when things happened."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.sample.journeys import CARRIER_BY_CODE, CARRIERS, PLACES, Carrier, Place
from core.tracking.statuses import OrderStatus, ShipmentStatus

S = ShipmentStatus
OS = OrderStatus
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Timing:
    placed_at: datetime
    processing_at: datetime | None
    shipped_at: datetime  # the first label; later shipments add their lag
    lags: list[timedelta]
    promised_by: datetime
    cancelled_at: datetime | None = None


@dataclass(frozen=True)
class Scenario:
    """One kind of order: its status, its shipments' statuses, how recent and how common."""

    name: str
    order_status: OrderStatus
    shipments: tuple[ShipmentStatus, ...]
    demo_weight: float
    bulk_weight: float
    quiet_hours: tuple[float, float] = (0.5, 12.0)  # hours since the last scan
    stuck: bool = False
    late: bool = False
    return_state: str | None = None
    carriers: tuple[str, ...] = ()  # fixed carriers (demo story); random otherwise
    place: Place | None = None
    skus: tuple[str, ...] = ()

    def carrier_for(self, index: int, rng: random.Random) -> Carrier:
        """The carrier of the index-th shipment."""
        if index < len(self.carriers):
            return CARRIER_BY_CODE[self.carriers[index]]
        return rng.choice(CARRIERS)

    def timing(
        self, now: datetime, rng: random.Random, last_scans: list[timedelta], slowest_days: int
    ) -> Timing:
        """When the order was placed, shipped and promised, given its shipments' last scans.

        Every scan ends in the past: the first label is dated so that the shipment whose
        journey runs longest reached its last scan `quiet_hours` ago.
        """
        hours = rng.uniform(*self.quiet_hours)
        lags = [i * timedelta(hours=rng.uniform(6, 30)) for i in range(len(last_scans))]
        if self.order_status is OS.PLACED:
            placed = now - timedelta(minutes=rng.uniform(5, 360))
            return Timing(placed, None, placed, lags, placed + (slowest_days + 2) * DAY)
        if self.order_status is OS.CANCELLED:
            placed = now - timedelta(hours=rng.uniform(24, 480))
            cancelled = placed + timedelta(hours=rng.uniform(1, 20))
            return Timing(placed, None, placed, lags, placed + (slowest_days + 2) * DAY, cancelled)
        if not last_scans:  # processing, nothing shipped yet
            placed = now - timedelta(hours=rng.uniform(2, 30))
            processing = placed + timedelta(minutes=rng.uniform(10, 90))
            return Timing(placed, processing, placed, lags, placed + (slowest_days + 2) * DAY)
        longest = max(lag + last for lag, last in zip(lags, last_scans, strict=True))
        shipped = now - longest - timedelta(hours=hours)
        placed = shipped - timedelta(hours=rng.uniform(3, 30))
        promised = placed + (slowest_days + 2) * DAY
        if self.late:
            promised = now - timedelta(hours=rng.uniform(20, 72))
            placed = min(placed, promised - (slowest_days + 2) * DAY)
        elif S.DELIVERED not in self.shipments and not self.stuck:
            promised = max(promised, now + timedelta(hours=rng.uniform(20, 60)))
        processing = placed + timedelta(minutes=rng.uniform(10, 90))
        return Timing(placed, processing, shipped, lags, promised)


def _sc(name: str, status: OrderStatus, shipments: tuple[S, ...], demo: float, bulk: float,
        **kwargs: object) -> Scenario:  # fmt: skip
    return Scenario(name, status, shipments, demo, bulk, **kwargs)  # type: ignore[arg-type]


RECENT = (0.5, 6.0)
LONG_AGO = (2.0, 45 * 24.0)
RETURN_AGE = (4 * 24.0, 20 * 24.0)

SCENARIOS: tuple[Scenario, ...] = (
    _sc("placed", OS.PLACED, (), 8, 1.0),
    _sc("processing", OS.PROCESSING, (), 8, 1.5),
    _sc("label_created", OS.PROCESSING, (S.PENDING,), 6, 1.0),
    _sc("info_received", OS.SHIPPED, (S.INFO_RECEIVED,), 10, 1.5),
    _sc("in_transit", OS.SHIPPED, (S.IN_TRANSIT,), 30, 5.0),
    _sc("out_for_delivery", OS.SHIPPED, (S.OUT_FOR_DELIVERY,), 12, 1.5, quiet_hours=RECENT),
    _sc("failed_attempt", OS.SHIPPED, (S.FAILED_ATTEMPT,), 6, 0.5),
    _sc("available_for_pickup", OS.SHIPPED, (S.AVAILABLE_FOR_PICKUP,), 6, 0.7),
    _sc("delivered", OS.DELIVERED, (S.DELIVERED,), 60, 72.0, quiet_hours=LONG_AGO),
    _sc("exception", OS.SHIPPED, (S.EXCEPTION,), 5, 0.4),
    _sc("expired", OS.SHIPPED, (S.EXPIRED,), 3, 0.2, quiet_hours=(1.0, 96.0)),
    _sc("stuck", OS.SHIPPED, (S.IN_TRANSIT,), 5, 0.4, quiet_hours=(100.0, 200.0), stuck=True),
    _sc("late", OS.SHIPPED, (S.IN_TRANSIT,), 6, 0.6, quiet_hours=(5.0, 30.0), late=True),
    _sc("partially_shipped", OS.PARTIALLY_SHIPPED, (S.IN_TRANSIT,), 8, 1.0),
    _sc("split_in_transit", OS.SHIPPED, (S.DELIVERED, S.IN_TRANSIT), 8, 1.5),
    _sc("split_delivered", OS.DELIVERED, (S.DELIVERED, S.DELIVERED), 6, 3.0,
        quiet_hours=LONG_AGO),
    _sc("cancelled", OS.CANCELLED, (), 6, 1.5),
    _sc("return_requested", OS.RETURN_REQUESTED, (S.DELIVERED,), 5, 1.0, quiet_hours=RETURN_AGE,
        return_state="requested"),
    _sc("returned", OS.RETURNED, (S.DELIVERED,), 4, 2.0, quiet_hours=RETURN_AGE,
        return_state="refunded"),
)  # fmt: skip

# The demo shopper's own orders, numbered from 1001 in this order: one of each thing a
# newcomer should see in the first minute (and 1002 is followed, so a push comes soon).
BERLIN = PLACES[0]
DEMO_STORY: tuple[Scenario, ...] = (
    _sc("in_transit", OS.SHIPPED, (S.IN_TRANSIT,), 0, 0, carriers=("dhl",), place=BERLIN,
        quiet_hours=(2.0, 3.0), skus=("SNK-WHT-42", "SOCK-3PK")),
    _sc("out_for_delivery", OS.SHIPPED, (S.OUT_FOR_DELIVERY,), 0, 0, carriers=("ups",),
        place=BERLIN, quiet_hours=(1.0, 2.0), skus=("HEAD-BT",)),
    _sc("delivered", OS.DELIVERED, (S.DELIVERED,), 0, 0, carriers=("dpd",), place=BERLIN,
        quiet_hours=(5 * 24.0, 6 * 24.0), skus=("JKT-RAIN-S", "SALE-SUNG", "BEANIE-NVY")),
    _sc("split_in_transit", OS.SHIPPED, (S.DELIVERED, S.IN_TRANSIT), 0, 0,
        carriers=("dhl", "gls"), place=BERLIN, quiet_hours=(3.0, 5.0),
        skus=("LAMP-DESK", "BOOK-COOK", "MUG-CER-2")),
    _sc("processing", OS.PROCESSING, (), 0, 0, place=BERLIN, skus=("HOOD-GRY-M",)),
    _sc("exception", OS.SHIPPED, (S.EXCEPTION,), 0, 0, carriers=("fedex",), place=BERLIN,
        quiet_hours=(8.0, 10.0), skus=("BPK-20L",)),
)  # fmt: skip
