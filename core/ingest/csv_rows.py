"""The CSV formats `wismo import` reads: columns, and each row turned into core data.

Every parser returns the record or raises RowError with every reason the row cannot be
imported, at once ("bad amount in column 'total': 'ten'; bad yes/no in column 'returnable':
'maybe'"), so one round of fixes is enough; `core.ingest.importer` attaches the line number
and carries on with the next row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from core.ingest.intake_types import (
    AddressData,
    CustomerData,
    IntakeError,
    ItemData,
    OrderData,
    ShipmentData,
)
from core.ingest.storable import MAX_INTEGER, time_problem
from core.ingest.tracking_update import BadTrackingUpdate, TrackingUpdate
from core.tracking.statuses import OrderStatus, ShipmentStatus, parse_shipment_status

IMPORT_SOURCE = "csv"
T = TypeVar("T")


@dataclass(frozen=True)
class CsvFormat:
    """One file kind: the columns it must have and the ones it may have."""

    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]


ORDERS = CsvFormat(
    "orders",
    required=("order_id", "number", "placed_at", "email"),
    optional=(
        "customer_id", "customer_name", "phone", "status", "promised_by", "currency", "total",
        "sku", "item_name", "qty", "price", "returnable",
        "ship_name", "ship_street", "ship_city", "ship_postcode", "ship_country",
    ),
)  # fmt: skip
SHIPMENTS = CsvFormat(
    "shipments",
    required=("shipment_id", "carrier", "tracking_number"),
    optional=("order_id", "order_number", "tracking_url", "shipped_at", "eta"),
)
EVENTS = CsvFormat(
    "events",
    required=("event_id", "tracking_number", "status", "occurred_at"),
    optional=("carrier", "substatus", "location", "text", "eta"),
)
FORMATS = {f.kind: f for f in (ORDERS, SHIPMENTS, EVENTS)}


class RowError(ValueError):
    """Why one row cannot be imported."""


class _Checks:
    """Runs a row's checks one after another and keeps every reason, not just the first."""

    def __init__(self) -> None:
        self.reasons: list[str] = []

    def __call__(self, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except RowError as exc:
            self.reasons.append(str(exc))
            return None

    def fail(self, reason: str) -> None:
        self.reasons.append(reason)

    def done(self) -> None:
        """Raise RowError with all the reasons found, if any."""
        if self.reasons:
            raise RowError("; ".join(self.reasons))


def detect_kind(header: list[str]) -> str | None:
    """The file kind whose required columns the header has (events, shipments, orders)."""
    columns = set(header)
    for fmt in (EVENTS, SHIPMENTS, ORDERS):
        if set(fmt.required) <= columns:
            return fmt.kind
    return None


def missing_columns(fmt: CsvFormat, header: list[str]) -> list[str]:
    """Required columns the header lacks."""
    return [c for c in fmt.required if c not in header]


def _required(row: dict[str, str], column: str) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        raise RowError(f"missing value in column {column!r}")
    return value


def _optional(row: dict[str, str], column: str) -> str | None:
    value = (row.get(column) or "").strip()
    return value or None


def parse_time(value: str | None, column: str) -> datetime | None:
    """ISO 8601 (`2026-11-01T10:00:00Z`, `2026-11-01 10:00+01:00`, `2026-11-01`); naive = UTC."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RowError(f"bad date in column {column!r}: {value!r} (use ISO 8601)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    problem = time_problem(parsed)  # 0001-01-01T00:00:00+14:00 has no UTC time at all
    if problem:
        raise RowError(f"bad date in column {column!r}: {value!r} {problem}")
    return parsed.astimezone(UTC)


_LARGEST_AMOUNT = Decimal(MAX_INTEGER) / 100  # in minor units it must fit the column


def _money(value: str | None, column: str) -> int | None:
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise RowError(f"bad amount in column {column!r}: {value!r}") from None
    if not amount.is_finite():  # "NaN", "Infinity", "INF": Decimal reads them, no shop has them
        raise RowError(f"bad amount in column {column!r}: {value!r}")
    if amount < 0:
        raise RowError(f"negative amount in column {column!r}")
    if amount > _LARGEST_AMOUNT:  # compared before scaling: 1e999999 must not overflow
        raise RowError(f"amount too large in column {column!r}: {value!r}")
    return int((amount * 100).to_integral_value())


def _int(value: str | None, column: str, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1:
        raise RowError(f"bad number in column {column!r}: {value!r} (a whole number >= 1)")
    return int(value)


def _bool(value: str | None, column: str) -> bool:
    if value is None:
        return True
    lowered = value.lower()
    if lowered in ("true", "yes", "1", "y"):
        return True
    if lowered in ("false", "no", "0", "n"):
        return False
    raise RowError(f"bad yes/no in column {column!r}: {value!r}")


# Intake field names as the CSV columns that carry them, for the reasons a row gets.
_ORDER_COLUMNS = {
    "external_id": "order_id",
    "customer.email": "email",
    "customer.external_id": "customer_id",
    "customer.name": "customer_name",
    "customer.phone": "phone",
    "total_minor": "total",
    "items.sku": "sku",
    "items.name": "item_name",
    "items.price_minor": "price",
    "shipping.name": "ship_name",
    "shipping.street": "ship_street",
    "shipping.city": "ship_city",
    "shipping.postcode": "ship_postcode",
    "shipping.country": "ship_country",
}
_SHIPMENT_COLUMNS = {"external_id": "shipment_id", "order_external_id": "order_id"}


def _unstorable(exc: IntakeError, columns: dict[str, str]) -> RowError:
    column = columns.get(exc.field, exc.field)
    return RowError(f"bad value in column {column!r}: {exc.message}")


def order_row(row: dict[str, str]) -> tuple[OrderData, ItemData | None]:
    """One orders.csv row: the order it belongs to and the item it adds (if any)."""
    try:
        return _order_row(row)
    except IntakeError as exc:  # e.g. a NUL character, which no database column takes
        raise _unstorable(exc, _ORDER_COLUMNS) from None


def _email(row: dict[str, str]) -> str:
    email = _required(row, "email")
    if "@" not in email:
        raise RowError(f"bad e-mail address in column 'email': {email!r}")
    return email


def _order_status(value: str | None) -> OrderStatus | None:
    if value is None:
        return None
    try:
        status = OrderStatus(value.lower())
    except ValueError:
        raise RowError(f"unknown order status {value!r}") from None
    if status not in (OrderStatus.PLACED, OrderStatus.PROCESSING, OrderStatus.CANCELLED):
        raise RowError(f"order status {value!r} follows from shipments; not importable")
    return status


def _currency(value: str | None) -> str | None:
    if value is not None and (len(value) != 3 or not value.isalpha()):
        raise RowError(f"bad currency {value!r} (three letters, e.g. EUR)")
    return value


def _address(row: dict[str, str]) -> AddressData | None:
    if not any(
        _optional(row, c) for c in ("ship_name", "ship_street", "ship_city", "ship_postcode")
    ):
        return None
    return AddressData(
        name=_optional(row, "ship_name") or "",
        street=_optional(row, "ship_street") or "",
        city=_optional(row, "ship_city") or "",
        postcode=_optional(row, "ship_postcode") or "",
        country=(_optional(row, "ship_country") or "")[:2],
    )


def _order_row(row: dict[str, str]) -> tuple[OrderData, ItemData | None]:
    """One orders.csv row: the order it belongs to and the item it adds (if any)."""
    check = _Checks()
    external_id = check(lambda: _required(row, "order_id"))
    number = check(lambda: _required(row, "number"))
    email = check(lambda: _email(row))
    placed_at = check(lambda: parse_time(_required(row, "placed_at"), "placed_at"))
    status = check(lambda: _order_status(_optional(row, "status")))
    currency = check(lambda: _currency(_optional(row, "currency")))
    promised_by = check(lambda: parse_time(_optional(row, "promised_by"), "promised_by"))
    total = check(lambda: _money(_optional(row, "total"), "total"))
    sku = _optional(row, "sku")
    qty = check(lambda: _int(_optional(row, "qty"), "qty", 1))
    price = check(lambda: _money(_optional(row, "price"), "price"))
    returnable = check(lambda: _bool(_optional(row, "returnable"), "returnable"))
    check.done()
    assert external_id and number and email and placed_at is not None
    order = OrderData(
        external_id=external_id,
        number=number,
        customer=CustomerData(
            email=email,
            external_id=_optional(row, "customer_id"),
            name=_optional(row, "customer_name") or "",
            phone=_optional(row, "phone"),
        ),
        placed_at=placed_at,
        status=status,
        promised_by=promised_by,
        total_minor=total,
        currency=currency,
        shipping=_address(row),
    )
    if sku is None:
        return order, None
    item = ItemData(
        sku=sku[:64],
        name=(_optional(row, "item_name") or sku)[:300],
        qty=qty or 1,
        price_minor=price or 0,
        returnable=bool(returnable),
    )
    return order, item


def shipment_row(row: dict[str, str]) -> ShipmentData:
    """One shipments.csv row."""
    try:
        return _shipment_row(row)
    except IntakeError as exc:
        raise _unstorable(exc, _SHIPMENT_COLUMNS) from None


def _shipment_row(row: dict[str, str]) -> ShipmentData:
    check = _Checks()
    order_id, order_number = _optional(row, "order_id"), _optional(row, "order_number")
    if not order_id and not order_number:
        check.fail("missing value in column 'order_id' (or 'order_number')")
    external_id = check(lambda: _required(row, "shipment_id"))
    carrier = check(lambda: _required(row, "carrier")[:64])
    tracking_number = check(lambda: _required(row, "tracking_number"))
    shipped_at = check(lambda: parse_time(_optional(row, "shipped_at"), "shipped_at"))
    eta = check(lambda: parse_time(_optional(row, "eta"), "eta"))
    check.done()
    assert external_id and carrier and tracking_number
    return ShipmentData(
        external_id=external_id,
        carrier=carrier,
        tracking_number=tracking_number,
        order_external_id=order_id,
        order_number=order_number,
        tracking_url=_optional(row, "tracking_url"),
        shipped_at=shipped_at,
        eta=eta,
    )


def _event_status(value: str) -> ShipmentStatus | None:
    try:
        return parse_shipment_status(value)
    except ValueError:
        raise RowError(f"unknown status {value!r}") from None


def event_row(row: dict[str, str]) -> TrackingUpdate:
    """One events.csv row as a tracking update (source `csv`, your event id)."""
    check = _Checks()
    status_text = check(lambda: _required(row, "status"))
    status = check(lambda: _event_status(status_text)) if status_text else None
    occurred = check(lambda: parse_time(_required(row, "occurred_at"), "occurred_at"))
    event_id = check(lambda: _required(row, "event_id"))
    tracking_number = check(lambda: _required(row, "tracking_number"))
    eta = check(lambda: parse_time(_optional(row, "eta"), "eta"))
    check.done()
    assert status_text and occurred is not None and event_id and tracking_number
    try:
        return TrackingUpdate(
            source=IMPORT_SOURCE,
            source_event_id=event_id,
            tracking_number=tracking_number,
            status=status,
            occurred_at=occurred,
            raw_status=status_text[:128],
            substatus=_optional(row, "substatus"),
            location=_optional(row, "location"),
            text=_optional(row, "text") or "",
            eta=eta,
            carrier=_optional(row, "carrier"),
        )
    except BadTrackingUpdate as exc:
        raise RowError(str(exc)) from None
