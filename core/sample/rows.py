"""The sample data's containers: rows per table, ids handed out before insert, summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table

from core.storage.models import (
    Customer,
    Order,
    OrderItem,
    ReturnItem,
    ReturnRequest,
    Shipment,
    TrackingEvent,
)


def table_of(model: Any) -> Table:
    """The Core table behind a SQLModel class."""
    return cast(Table, model.__table__)


# Insert order respects foreign keys.
MODELS = (Customer, Order, OrderItem, Shipment, TrackingEvent, ReturnRequest, ReturnItem)
TABLES: tuple[Table, ...] = tuple(table_of(model) for model in MODELS)
_NAME: dict[Any, str] = {model: table_of(model).name for model in MODELS}
EVENTS_TABLE = _NAME[TrackingEvent]


@dataclass(frozen=True)
class SampleOrder:
    """What the generator made, in the words `wismo seed --json` prints."""

    number: str
    email: str
    customer_name: str
    status: str
    tracking_numbers: list[str]
    carriers: list[str]
    shipment_statuses: list[str]
    scenario: str
    late: bool
    stuck: bool
    demo_shopper: bool

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict."""
        return {
            "number": self.number,
            "email": self.email,
            "customer_name": self.customer_name,
            "status": self.status,
            "tracking_numbers": self.tracking_numbers,
            "carriers": self.carriers,
            "shipment_statuses": self.shipment_statuses,
            "scenario": self.scenario,
            "late": self.late,
            "stuck": self.stuck,
            "demo_shopper": self.demo_shopper,
        }


@dataclass
class SampleBatch:
    """Rows for each table (plain dicts for Core inserts) and, optionally, their summary."""

    rows: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {table.name: [] for table in TABLES}
    )
    orders: list[SampleOrder] = field(default_factory=list)

    def add(self, model: Any, row: dict[str, Any]) -> None:
        """Queue `row` for `model`'s table."""
        self.rows[_NAME[model]].append(row)


@dataclass
class FirstIds:
    """The next free primary key per table, so rows can reference each other before insert."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, model: Any) -> int:
        """The next id of `model`'s table, reserved."""
        name = _NAME[model]
        value = self.next.get(name, 1)
        self.next[name] = value + 1
        return value
