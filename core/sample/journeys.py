"""What a parcel's journey looks like: carriers, places and the scans along the way.

Shared by the sample data (`core.sample.demo_shop`) and the simulated carrier, so the events a
demo order starts with and the ones the simulation adds later read alike.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.tracking.statuses import ShipmentStatus


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str
    url_template: str  # `{number}` is replaced by the tracking number
    number_prefix: str
    number_digits: int
    transit_days: tuple[int, int]  # fastest and slowest door-to-door time

    def tracking_number(self, rng: random.Random) -> str:
        """A tracking number in this carrier's usual shape."""
        digits = str(rng.randrange(10**self.number_digits)).zfill(self.number_digits)
        return f"{self.number_prefix}{digits}"

    def tracking_url(self, number: str) -> str:
        """The carrier's public tracking page for `number`."""
        return self.url_template.format(number=number)


CARRIERS: tuple[Carrier, ...] = (
    Carrier("dhl", "DHL", "https://www.dhl.com/de-en/home/tracking.html?tracking-id={number}",
            "00340434", 12, (1, 3)),
    Carrier("ups", "UPS", "https://www.ups.com/track?tracknum={number}", "1Z", 16, (1, 4)),
    Carrier("dpd", "DPD", "https://tracking.dpd.de/status/en_US/parcel/{number}", "0", 13, (1, 3)),
    Carrier("gls", "GLS", "https://gls-group.com/track/{number}", "", 11, (2, 4)),
    Carrier("postnl", "PostNL", "https://jouw.postnl.nl/track-and-trace/{number}", "3S",
            13, (1, 5)),
    Carrier("fedex", "FedEx", "https://www.fedex.com/fedextrack/?trknbr={number}", "", 12, (2, 5)),
)  # fmt: skip
CARRIER_BY_CODE = {carrier.code: carrier for carrier in CARRIERS}

WAREHOUSE = "Leipzig, DE"
_CODES = {status: status.value for status in ShipmentStatus}


@dataclass(frozen=True)
class Place:
    city: str
    country: str
    timezone: str
    postcode: str
    hub: str  # the carrier's sorting centre near the destination


PLACES: tuple[Place, ...] = (
    Place("Berlin", "DE", "Europe/Berlin", "10115", "Berlin-Schönefeld, DE"),
    Place("Hamburg", "DE", "Europe/Berlin", "20095", "Hamburg-Allermöhe, DE"),
    Place("München", "DE", "Europe/Berlin", "80331", "Aschheim, DE"),
    Place("Köln", "DE", "Europe/Berlin", "50667", "Köln-Eifeltor, DE"),
    Place("Amsterdam", "NL", "Europe/Amsterdam", "1012 AB", "Nieuwegein, NL"),
    Place("Rotterdam", "NL", "Europe/Amsterdam", "3011 AD", "Nieuwegein, NL"),
    Place("Wien", "AT", "Europe/Vienna", "1010", "Wien-Inzersdorf, AT"),
    Place("Paris", "FR", "Europe/Paris", "75002", "Roissy-CDG, FR"),
    Place("Lyon", "FR", "Europe/Paris", "69002", "Saint-Priest, FR"),
    Place("Bruxelles", "BE", "Europe/Brussels", "1000", "Mechelen, BE"),
    Place("København", "DK", "Europe/Copenhagen", "1050", "Brøndby, DK"),
    Place("Milano", "IT", "Europe/Rome", "20121", "Peschiera Borromeo, IT"),
    Place("Madrid", "ES", "Europe/Madrid", "28013", "Coslada, ES"),
    Place("London", "GB", "Europe/London", "EC1A 1BB", "East Midlands, GB"),
    Place("Dublin", "IE", "Europe/Dublin", "D02 X285", "Dublin Airport, IE"),
)

STREETS = (
    "Hauptstraße", "Lindenallee", "Bahnhofstraße", "Kerkstraat", "Rue de la Paix",
    "Via Roma", "Calle Mayor", "High Street", "Gartenweg", "Mühlenweg",
)  # fmt: skip


@dataclass(frozen=True)
class Scan:
    """One tracking event of a journey, `after` the parcel was handed over."""

    status: ShipmentStatus
    after: timedelta
    text: str
    location: str | None
    substatus: str | None = None

    @property
    def code(self) -> str:
        """The status as stored (a plain string)."""
        return _CODES[self.status]


# The happy path; shipments in other states follow its start and end differently.
@functools.cache
def happy_path(carrier: Carrier, place: Place) -> tuple[Scan, ...]:
    """The scans of a parcel from label to doorstep, with hours after the label."""
    h = timedelta(hours=1)
    return (
        Scan(ShipmentStatus.INFO_RECEIVED, 0 * h, "Shipping label created", WAREHOUSE),
        Scan(ShipmentStatus.IN_TRANSIT, 7 * h, f"Picked up by {carrier.name}", WAREHOUSE),
        Scan(ShipmentStatus.IN_TRANSIT, 13 * h, "Departed the sorting centre", WAREHOUSE),
        Scan(ShipmentStatus.IN_TRANSIT, 29 * h, "Arrived at the destination hub", place.hub),
        Scan(
            ShipmentStatus.OUT_FOR_DELIVERY,
            38 * h,
            "With the driver for delivery today",
            place.city,
        ),
        Scan(ShipmentStatus.DELIVERED, 42 * h, "Handed to the recipient", place.city),
    )


FAILED_ATTEMPT_TEXTS = (
    "Delivery attempted: nobody was at home; we will try again on the next working day",
    "Delivery attempted: the building was not accessible",
)
EXCEPTION_TEXTS = (
    ("Exception_004", "Delayed: held at customs for clearance"),
    ("Exception_003", "Delayed by bad weather; the parcel will move on as soon as possible"),
    ("Exception_006", "Address could not be confirmed; the carrier is checking it"),
)


def journey(
    status: ShipmentStatus, carrier: Carrier, place: Place, rng: random.Random
) -> list[Scan]:
    """The scans a shipment has had by the time it is in `status` (empty for pending)."""
    path = happy_path(carrier, place)
    h = timedelta(hours=1)
    if status is ShipmentStatus.PENDING:
        return []
    if status is ShipmentStatus.INFO_RECEIVED:
        return list(path[:1])
    if status is ShipmentStatus.IN_TRANSIT:
        return list(path[: rng.randint(2, 4)])
    if status is ShipmentStatus.OUT_FOR_DELIVERY:
        return list(path[:5])
    if status is ShipmentStatus.DELIVERED:
        return list(path)
    if status is ShipmentStatus.FAILED_ATTEMPT:
        text = rng.choice(FAILED_ATTEMPT_TEXTS)
        return [*path[:5], Scan(status, 41 * h, text, place.city, "AttemptFail_001")]
    if status is ShipmentStatus.AVAILABLE_FOR_PICKUP:
        point = f"{carrier.name} service point, {place.city}"
        return [
            *path[:5],
            Scan(ShipmentStatus.FAILED_ATTEMPT, 41 * h, FAILED_ATTEMPT_TEXTS[0], place.city),
            Scan(status, 44 * h, f"Ready for pickup at the {point}", point),
        ]
    if status is ShipmentStatus.EXCEPTION:
        substatus, text = rng.choice(EXCEPTION_TEXTS)
        return [*path[:3], Scan(status, 26 * h, text, place.hub, substatus)]
    # EXPIRED: a label was made but the carrier never scanned the parcel.
    return [path[0], Scan(status, 30 * 24 * h, "No tracking information for 30 days", None)]


def next_scan(
    status: ShipmentStatus, carrier: Carrier, place: Place, scans_so_far: int, rng: random.Random
) -> Scan | None:
    """The scan that moves a shipment on from `status`, or None once it has arrived.

    Most parcels take the happy path; now and then one misses a delivery or is held up,
    and recovers on a later step, as real parcels do.
    """
    path = happy_path(carrier, place)
    h = timedelta(hours=1)
    if status in (ShipmentStatus.DELIVERED, ShipmentStatus.EXPIRED):
        return None
    if status is ShipmentStatus.PENDING:
        return path[0]
    if status is ShipmentStatus.INFO_RECEIVED:
        return path[1]
    if status is ShipmentStatus.IN_TRANSIT:
        roll = rng.random()
        if roll < 0.05:
            substatus, text = rng.choice(EXCEPTION_TEXTS)
            return Scan(ShipmentStatus.EXCEPTION, h, text, place.hub, substatus)
        if scans_so_far >= 4 or roll > 0.7:
            return path[4]
        return path[min(max(scans_so_far, 2), 3)]
    if status is ShipmentStatus.EXCEPTION:
        return Scan(ShipmentStatus.IN_TRANSIT, h, "Released; on its way again", place.hub)
    if status is ShipmentStatus.OUT_FOR_DELIVERY:
        if rng.random() < 0.12:
            return Scan(ShipmentStatus.FAILED_ATTEMPT, h, FAILED_ATTEMPT_TEXTS[0], place.city)
        return path[5]
    if status is ShipmentStatus.FAILED_ATTEMPT:
        if rng.random() < 0.5:
            point = f"{carrier.name} service point, {place.city}"
            return Scan(
                ShipmentStatus.AVAILABLE_FOR_PICKUP, h, f"Ready for pickup at the {point}", point
            )
        return Scan(ShipmentStatus.OUT_FOR_DELIVERY, h, "Second delivery attempt today",
                    place.city)  # fmt: skip
    # AVAILABLE_FOR_PICKUP
    return Scan(ShipmentStatus.DELIVERED, h, "Collected at the service point", place.city)


def place_of(city: str) -> Place:
    """The place for a city name (unknown cities get the first place's hub)."""
    for place in PLACES:
        if place.city == city:
            return place
    return PLACES[0]


def spread(start: datetime, scans: list[Scan]) -> list[tuple[datetime, Scan]]:
    """Each scan with its time, counted from `start`."""
    return [(start + scan.after, scan) for scan in scans]
