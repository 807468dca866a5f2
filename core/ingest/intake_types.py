"""The data an order or shipment arrives as, and the errors an upsert raises."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from core.ingest.storable import value_problem
from core.tracking.statuses import OrderStatus


class IntakeError(Exception):
    """Input that cannot be stored; `field` names the culprit, nothing was written for it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class IntakeConflict(IntakeError):
    """The external id or number already belongs to a different record."""


def _check_storable(data: object, prefix: str = "") -> None:
    """Raise IntakeError naming the first field the database could not store as given."""
    for field in fields(data):  # type: ignore[arg-type]
        problem = value_problem(getattr(data, field.name))
        if problem:
            raise IntakeError(prefix + field.name, problem)


class _Checked:
    """Intake data refuses, when built, a value the database could not store."""

    _prefix = ""

    def __post_init__(self) -> None:
        _check_storable(self, self._prefix)


@dataclass(frozen=True)
class CustomerData(_Checked):
    _prefix = "customer."

    email: str
    external_id: str | None = None
    name: str = ""
    phone: str | None = None
    locale: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class ItemData(_Checked):
    _prefix = "items."

    sku: str
    name: str
    qty: int = 1
    price_minor: int = 0
    returnable: bool = True


@dataclass(frozen=True)
class AddressData(_Checked):
    _prefix = "shipping."

    name: str = ""
    street: str = ""
    city: str = ""
    postcode: str = ""
    country: str = ""
    timezone: str | None = None


@dataclass(frozen=True)
class OrderData(_Checked):
    """An order as a shop describes it; None leaves a stored value as it is."""

    external_id: str
    number: str
    customer: CustomerData
    placed_at: datetime
    items: tuple[ItemData, ...] | None = None
    status: OrderStatus | None = None
    promised_by: datetime | None = None
    total_minor: int | None = None
    currency: str | None = None
    shipping: AddressData | None = None
    note: str | None = None


@dataclass(frozen=True)
class ShipmentData(_Checked):
    """A shipment; its order is named by external id or by order number."""

    external_id: str
    carrier: str
    tracking_number: str
    order_external_id: str | None = None
    order_number: str | None = None
    tracking_url: str | None = None
    eta: datetime | None = None
    shipped_at: datetime | None = None


@dataclass(frozen=True)
class Upserted:
    """What an upsert did: the row's id, and whether it was created or changed."""

    id: int
    created: bool
    changed: bool


def assign(row: object, values: dict[str, object]) -> bool:
    """Set each attribute that differs; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed
