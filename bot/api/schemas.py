"""The ingest API's request and response bodies (pydantic); they become intake data
(`core.ingest.intake`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from core.ingest import (
    MAX_INTEGER,
    AddressData,
    CustomerData,
    ItemData,
    OrderData,
    ShipmentData,
    value_problem,
)
from core.tracking import OrderStatus, ShipmentStatus

ExternalId = Field(min_length=1, max_length=128, pattern=r"^\S(.*\S)?$")
MAX_BULK_EVENTS = 1000


class _In(BaseModel):
    # A misspelt field is an error the caller should see, not a value silently dropped.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        # A NUL in a text, a time with no UTC equivalent: a 422 naming the field, not a 500.
        problem = value_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class CustomerIn(_In):
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    external_id: str | None = Field(default=None, min_length=1, max_length=128)
    name: str = Field(default="", max_length=200)
    phone: str | None = Field(default=None, max_length=64)
    locale: str | None = Field(default=None, max_length=16)
    timezone: str | None = Field(default=None, max_length=64)

    def to_data(self) -> CustomerData:
        return CustomerData(**self.model_dump())


class ItemIn(_In):
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=300)
    qty: int = Field(default=1, ge=1, le=100_000)
    price_minor: int = Field(default=0, ge=0, le=MAX_INTEGER)
    returnable: bool = True


class AddressIn(_In):
    name: str = Field(default="", max_length=200)
    street: str = Field(default="", max_length=300)
    city: str = Field(default="", max_length=120)
    postcode: str = Field(default="", max_length=32)
    country: str = Field(default="", max_length=2)
    timezone: str | None = Field(default=None, max_length=64)


class OrderIn(_In):
    """An order to create or update; repeating the same body changes nothing."""

    external_id: str = ExternalId
    number: str = Field(min_length=1, max_length=64, description="The number shoppers see.")
    customer: CustomerIn
    placed_at: AwareDatetime
    items: list[ItemIn] | None = Field(
        default=None, max_length=500, description="The full item list; omit to keep the stored one."
    )
    status: Literal["placed", "processing", "cancelled"] | None = None
    promised_by: AwareDatetime | None = None
    total_minor: int | None = Field(default=None, ge=0, le=MAX_INTEGER)
    currency: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    shipping: AddressIn | None = None
    note: str | None = Field(default=None, max_length=2000)

    def to_data(self) -> OrderData:
        return OrderData(
            external_id=self.external_id,
            number=self.number,
            customer=self.customer.to_data(),
            placed_at=self.placed_at,
            items=None
            if self.items is None
            else tuple(ItemData(**item.model_dump()) for item in self.items),
            status=OrderStatus(self.status) if self.status else None,
            promised_by=self.promised_by,
            total_minor=self.total_minor,
            currency=self.currency,
            shipping=AddressData(**self.shipping.model_dump()) if self.shipping else None,
            note=self.note,
        )


class ShipmentIn(_In):
    """A shipment to create or update; name its order by external id or by number."""

    external_id: str = ExternalId
    order_external_id: str | None = Field(default=None, min_length=1, max_length=128)
    order_number: str | None = Field(default=None, min_length=1, max_length=64)
    carrier: str = Field(min_length=1, max_length=64)
    tracking_number: str = Field(min_length=1, max_length=128)
    tracking_url: str | None = Field(default=None, max_length=500)
    eta: AwareDatetime | None = None
    shipped_at: AwareDatetime | None = None

    def to_data(self) -> ShipmentData:
        return ShipmentData(**self.model_dump())


class EventIn(_In):
    """One tracking event; `event_id` is yours and makes a repeat a no-op."""

    event_id: str = Field(min_length=1, max_length=200)
    tracking_number: str = Field(min_length=1, max_length=128)
    status: ShipmentStatus
    occurred_at: AwareDatetime
    carrier: str | None = Field(default=None, max_length=64)
    substatus: str | None = Field(default=None, max_length=64)
    raw_status: str | None = Field(default=None, max_length=128)
    location: str | None = Field(default=None, max_length=200)
    text: str = Field(default="", max_length=500)
    eta: AwareDatetime | None = None


class BulkEventsIn(BaseModel):
    """Up to 1,000 events; each is validated and applied on its own (see the README)."""

    model_config = ConfigDict(extra="forbid")

    events: list[Any] = Field(
        min_length=1,
        max_length=MAX_BULK_EVENTS,
        description="Each item has the fields of POST /api/v1/events; a bad item fails alone.",
    )


class FieldError(BaseModel):
    field: str
    message: str


class UpsertOut(BaseModel):
    id: int
    external_id: str
    created: bool
    changed: bool


class OrderUpsertOut(UpsertOut):
    # The order's tracking page (/t/<token>), for the shop's e-mails; valid
    # WISMO_TRACKING_LINK_TTL_DAYS from this response.
    tracking_url: str


class EventOut(BaseModel):
    event_id: str
    outcome: Literal["applied", "duplicate", "failed"]
    shipment_status: ShipmentStatus | None = None
    errors: list[FieldError] = Field(default_factory=list)


class BulkItemOut(EventOut):
    index: int


class BulkOut(BaseModel):
    received: int
    applied: int
    duplicates: int
    failed: int
    results: list[BulkItemOut]
