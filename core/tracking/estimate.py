"""When a parcel will arrive, decided once: the status sentence, the expected day and the
usual window all come from `delivery_estimate`, so an answer never contradicts itself.

Which source wins, newest fact first:
1. an out-for-delivery scan made today: it arrives today, whatever an older carrier
   estimate said (the estimate is dropped, and no "usually arrives" window is added);
2. the carrier's estimate, while its day has not passed;
3. the shop's promised date, while its day has not passed;
4. beside a promise (or alone), the window the shop's own deliveries predict.
A day that has passed is no longer an expectation and is not shown as one. "Today" is said
only when one of these facts falls on the shopper's today. Nothing is expected of a parcel
that is delivered or waiting at a pickup point, and no usual window is offered for one that
is held up (exception) or without news (expired): "usually" describes healthy parcels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from core.tracking.statuses import ShipmentStatus

if TYPE_CHECKING:
    from core.tracking.prediction import DeliveryWindow
    from core.tracking.views import OrderView, ShipmentView


class EstimateSource(StrEnum):
    """Where the expected day came from."""

    SCAN = "scan"  # today's out-for-delivery scan
    CARRIER = "carrier"  # the carrier's estimate
    PROMISE = "promise"  # the shop's promised date


# Statuses with no delivery to expect: it happened, or the shopper collects it.
_NOTHING_EXPECTED = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.AVAILABLE_FOR_PICKUP})
# Statuses for which "usually arrives between ..." would read as a promise we cannot keep.
_NO_USUAL_WINDOW = _NOTHING_EXPECTED | {
    ShipmentStatus.EXCEPTION,
    ShipmentStatus.EXPIRED,
    ShipmentStatus.OUT_FOR_DELIVERY,
}


@dataclass(frozen=True)
class DeliveryEstimate:
    """One parcel's (or a parcel-less order's) answer to "when will it arrive?"."""

    sentence_key: str  # the catalogue key of the status sentence ("" for none)
    expected: datetime | None = None  # the day shown under "Expected" / "Expected by"
    source: EstimateSource | None = None
    window: DeliveryWindow | None = None  # the usual days, from the shop's deliveries
    sentence_values: dict[str, datetime] = field(default_factory=dict)

    @property
    def from_carrier(self) -> bool:
        """True when the day is the carrier's word (a scan or an estimate), not the shop's."""
        return self.source in (EstimateSource.SCAN, EstimateSource.CARRIER)


def delivery_estimate(
    view: OrderView, shipment: ShipmentView | None, *, now: datetime, tz: ZoneInfo
) -> DeliveryEstimate:
    """The status sentence, expected day and usual window for `shipment` of `view` (or for
    the order itself while nothing has shipped), as the shopper in zone `tz` reads it `now`."""
    today = now.astimezone(tz).date()
    if shipment is None:
        key = f"order.{view.status}.text"
        if view.is_finished:
            return DeliveryEstimate(key)
        return _promise_or_nothing(key, view, today, tz)
    key = f"shipment.{shipment.status}.text"
    if shipment.status in _NOTHING_EXPECTED or view.is_finished:
        return DeliveryEstimate(key)
    if shipment.status == ShipmentStatus.OUT_FOR_DELIVERY:
        scan = out_for_delivery_scan(shipment)
        if scan is not None and _day(scan, tz) == today:
            return DeliveryEstimate(key, expected=scan, source=EstimateSource.SCAN)
        if scan is not None:  # out since an earlier day: say when, promise nothing for today
            key = "shipment.out_for_delivery.earlier"
            estimate = _carrier_or_promise(key, view, shipment, today, tz)
            return DeliveryEstimate(
                key, estimate.expected, estimate.source, sentence_values={"since": scan}
            )
        key = "shipment.out_for_delivery.undated"
    estimate = _carrier_or_promise(key, view, shipment, today, tz)
    if estimate.source != EstimateSource.CARRIER and shipment.status not in _NO_USUAL_WINDOW:
        # No carrier word: what the shop's own deliveries say, beside the shop's promise.
        estimate = DeliveryEstimate(key, estimate.expected, estimate.source, shipment.predicted)
    return estimate


def wants_window(shipment: ShipmentView, *, now: datetime, tz: ZoneInfo) -> bool:
    """Could a usual window be part of this parcel's answer? (The carrier's live estimate
    wins, so a window is worth computing only without one.)"""
    if shipment.status in _NO_USUAL_WINDOW or shipment.delivered_at is not None:
        return False
    if shipment.handed_over is None:
        return False
    eta = shipment.carrier_eta
    return eta is None or _day(eta, tz) < now.astimezone(tz).date()


def out_for_delivery_scan(shipment: ShipmentView) -> datetime | None:
    """When the parcel went out for delivery: the newest such event, else its last scan."""
    for event in shipment.events:  # newest first
        if event.status == ShipmentStatus.OUT_FOR_DELIVERY:
            return event.at
    return shipment.last_event_at


def _carrier_or_promise(
    key: str, view: OrderView, shipment: ShipmentView, today: date, tz: ZoneInfo
) -> DeliveryEstimate:
    eta = shipment.carrier_eta
    if eta is not None and _day(eta, tz) >= today:
        return DeliveryEstimate(key, expected=eta, source=EstimateSource.CARRIER)
    return _promise_or_nothing(key, view, today, tz)


def _promise_or_nothing(key: str, view: OrderView, today: date, tz: ZoneInfo) -> DeliveryEstimate:
    promised = view.promised_by
    if promised is not None and _day(promised, tz) >= today:
        return DeliveryEstimate(key, expected=promised, source=EstimateSource.PROMISE)
    return DeliveryEstimate(key)


def _day(when: datetime, tz: ZoneInfo) -> date:
    return when.astimezone(tz).date()
