"""Realistic sample data: shoppers, orders, shipments and their scans, repeatable by seed.

Two uses: the demo (a few hundred orders across every status, with one demo shopper whose
orders tell a story) and benchmarks (a million orders, generated and written in batches
with SQLAlchemy Core `executemany`, so memory stays flat and no ORM object is built).
Every time is counted back from `now`, so a fresh demo always looks current.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.models import (
    ChannelIdentity,
    Customer,
    Order,
    OrderItem,
    ReturnItem,
    ReturnRequest,
    Shipment,
    Subscription,
    TrackingEvent,
)
from core.sample_journeys import PLACES, STREETS, WAREHOUSE, Carrier, Scan, journey
from core.sample_people import PRODUCT_BY_SKU, PRODUCTS, People, Product
from core.sample_scenarios import DEMO_STORY, SCENARIOS, Scenario
from core.statuses import OrderStatus, ShipmentStatus
from core.types import UTCDateTime

DEMO_SEED = 2026
DEMO_ORDER_COUNT = 240
FIRST_ORDER_NUMBER = 1001
DEMO_SHOPPER_NAME = "Alex Morgan"
DEMO_SHOPPER_EMAIL = "alex.morgan@example.com"
SAMPLE_SOURCE = "sample"  # TrackingEvent.source of the scans the generator writes


def table_of(model: Any) -> Table:
    """The Core table behind a SQLModel class."""
    return cast(Table, model.__table__)


# Insert order respects foreign keys.
MODELS = (Customer, Order, OrderItem, Shipment, TrackingEvent, ReturnRequest, ReturnItem)
TABLES: tuple[Table, ...] = tuple(table_of(model) for model in MODELS)
_NAME: dict[Any, str] = {model: table_of(model).name for model in MODELS}
_EVENTS = _NAME[TrackingEvent]


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


async def first_ids(connection: AsyncConnection) -> FirstIds:
    """The next free id of every table the generator writes."""
    ids = FirstIds()
    for table in TABLES:
        highest = (await connection.execute(select(func.max(table.c.id)))).scalar()
        ids.next[table.name] = (highest or 0) + 1
    return ids


class SampleGenerator:
    """Makes orders batch by batch; the same seed and `now` give the same data."""

    def __init__(
        self,
        *,
        seed: int,
        now: datetime,
        ids: FirstIds | None = None,
        first_number: int = FIRST_ORDER_NUMBER,
        demo_shopper: bool = True,
        bulk: bool = False,
        keep_summaries: bool = True,
    ) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.ids = ids or FirstIds()
        self.next_number = first_number
        self.people = People(self.rng)
        self.demo_shopper = demo_shopper
        self.keep_summaries = keep_summaries
        self._scenarios = list(SCENARIOS)
        weights = [s.bulk_weight if bulk else s.demo_weight for s in SCENARIOS]
        self._cum_weights = list(itertools.accumulate(weights))
        self._serial = 0

    def batches(self, count: int, batch_size: int = 5_000) -> Iterator[SampleBatch]:
        """`count` orders in batches of about `batch_size` (a customer's orders stay together)."""
        made = 0
        batch = SampleBatch()
        batch_orders = 0
        if self.demo_shopper and count > 0:
            made += self._demo_shopper(batch)
            batch_orders = made
        # One order of every kind first, so even a small sample shows every status.
        guaranteed = list(self._scenarios)
        while made < count:
            orders_for_customer = min(self.rng.choices((1, 2, 3), (60, 25, 15))[0], count - made)
            name, email = self.people.person()
            customer_id = self._customer(batch, name, email)
            for _ in range(orders_for_customer):
                if guaranteed:
                    scenario = guaranteed.pop(0)
                else:
                    scenario = self.rng.choices(self._scenarios, cum_weights=self._cum_weights)[0]
                self._order(batch, customer_id, name, email, scenario, demo_shopper=False)
            made += orders_for_customer
            batch_orders += orders_for_customer
            if batch_orders >= batch_size:
                yield batch
                batch, batch_orders = SampleBatch(), 0
        if batch_orders:
            yield batch

    def _demo_shopper(self, batch: SampleBatch) -> int:
        customer_id = self._customer(batch, DEMO_SHOPPER_NAME, DEMO_SHOPPER_EMAIL)
        for scenario in DEMO_STORY:
            self._order(
                batch, customer_id, DEMO_SHOPPER_NAME, DEMO_SHOPPER_EMAIL, scenario,
                demo_shopper=True,
            )  # fmt: skip
        return len(DEMO_STORY)

    def _customer(self, batch: SampleBatch, name: str, email: str) -> int:
        customer_id = self.ids.take(Customer)
        batch.add(
            Customer,
            {
                "id": customer_id,
                "external_id": f"cus_{customer_id}",
                "email": email,
                "name": name,
                "phone": self.people.phone() if self.rng.random() < 0.4 else None,
                "timezone": None,
                "locale": "en",
                "created_at": self.now - timedelta(days=self.rng.randint(40, 900)),
            },
        )
        return customer_id

    def _order(
        self,
        batch: SampleBatch,
        customer_id: int,
        name: str,
        email: str,
        scenario: Scenario,
        *,
        demo_shopper: bool,
    ) -> None:
        rng = self.rng
        order_id = self.ids.take(Order)
        number = str(self.next_number)
        self.next_number += 1
        place = scenario.place or rng.choice(PLACES)
        carriers = [scenario.carrier_for(i, rng) for i in range(len(scenario.shipments))]
        journeys = [
            journey(status, carrier, place, rng)
            for status, carrier in zip(scenario.shipments, carriers, strict=True)
        ]
        slowest = max((c.transit_days[1] for c in carriers), default=3)
        last_scans = [scans[-1].after if scans else timedelta(0) for scans in journeys]
        timing = scenario.timing(self.now, rng, last_scans, slowest)
        products = self._products(scenario)
        self._items(batch, order_id, products)
        shipment_rows = [
            self._shipment(batch, order_id, carrier, status, scans, timing.shipped_at + lag)
            for carrier, status, scans, lag in zip(
                carriers, scenario.shipments, journeys, timing.lags, strict=True
            )
        ]
        finished = scenario.order_status in (
            OrderStatus.DELIVERED, OrderStatus.CANCELLED, OrderStatus.RETURN_REQUESTED,
            OrderStatus.RETURNED,
        )  # fmt: skip
        late = not finished and timing.promised_by < self.now
        delivered = [s["delivered_at"] for s in shipment_rows if s["delivered_at"] is not None]
        order_delivered_at = (
            max(delivered) if delivered and len(delivered) == len(shipment_rows) else None
        )
        last_event = max((s["updated_at"] for s in shipment_rows), default=timing.placed_at)
        batch.add(
            Order,
            {
                "id": order_id,
                "external_id": f"ord_{order_id}",
                "number": number,
                "customer_id": customer_id,
                "status": scenario.order_status,
                "placed_at": timing.placed_at,
                "promised_by": timing.promised_by,
                "processing_at": timing.processing_at,
                "shipped_at": timing.shipped_at if shipment_rows else None,
                "delivered_at": order_delivered_at,
                "cancelled_at": timing.cancelled_at,
                "total_minor": sum(p.price_minor for p in products),
                "currency": "EUR",
                "ship_name": name,
                "ship_street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                "ship_city": place.city,
                "ship_postcode": place.postcode,
                "ship_country": place.country,
                "ship_timezone": place.timezone,
                "note": "",
                "updated_at": max(last_event, timing.cancelled_at or timing.placed_at),
            },
        )
        if scenario.return_state:
            self._return(batch, order_id, scenario.return_state, order_delivered_at)
        if self.keep_summaries:
            batch.orders.append(
                SampleOrder(
                    number=number,
                    email=email,
                    customer_name=name,
                    status=scenario.order_status.value,
                    tracking_numbers=[s["tracking_number"] for s in shipment_rows],
                    carriers=[c.code for c in carriers],
                    shipment_statuses=[str(s) for s in scenario.shipments],
                    scenario=scenario.name,
                    late=late,
                    stuck=scenario.stuck,
                    demo_shopper=demo_shopper,
                )
            )

    def _products(self, scenario: Scenario) -> list[Product]:
        if scenario.skus:
            return [PRODUCT_BY_SKU[sku] for sku in scenario.skus]
        count = self.rng.choices((1, 2, 3, 4), (45, 30, 17, 8))[0]
        count = max(count, len(scenario.shipments))
        return self.rng.sample(PRODUCTS, count)

    def _items(self, batch: SampleBatch, order_id: int, products: list[Product]) -> None:
        for product in products:
            batch.add(
                OrderItem,
                {
                    "id": self.ids.take(OrderItem),
                    "order_id": order_id,
                    "sku": product.sku,
                    "name": product.name,
                    "qty": 1,
                    "price_minor": product.price_minor,
                    "returnable": not product.final_sale,
                },
            )

    def _shipment(
        self,
        batch: SampleBatch,
        order_id: int,
        carrier: Carrier,
        status: ShipmentStatus,
        scans: list[Scan],
        label_at: datetime,
    ) -> dict[str, Any]:
        shipment_id = self.ids.take(Shipment)
        number = carrier.tracking_number(self.rng)
        # The hottest loop at a million orders: ids and the row list are taken once.
        events = batch.rows[_EVENTS]
        next_id = self.ids.next.get(_EVENTS, 1)
        for seq, scan in enumerate(scans):
            at = label_at + scan.after
            events.append(
                {
                    "id": next_id + seq,
                    "shipment_id": shipment_id,
                    "status": scan.code,
                    "substatus": scan.substatus,
                    "raw_status": scan.code,
                    "location": scan.location,
                    "text": scan.text,
                    "occurred_at": at,
                    "source": SAMPLE_SOURCE,
                    "source_event_id": f"{number}:{seq}",
                    "created_at": at,
                }
            )
        self.ids.next[_EVENTS] = next_id + len(scans)
        last = scans[-1] if scans else None
        last_at = label_at + last.after if last else None
        active = status not in (ShipmentStatus.DELIVERED, ShipmentStatus.EXPIRED)
        eta = None
        if active and self.rng.random() < 0.85:
            eta = max(
                label_at + timedelta(days=carrier.transit_days[1]), self.now + timedelta(hours=20)
            )
        row = {
            "id": shipment_id,
            "external_id": f"shp_{shipment_id}",
            "order_id": order_id,
            "carrier": carrier.code,
            "tracking_number": number,
            "tracking_url": carrier.tracking_url(number),
            "status": status.value,
            "substatus": last.substatus if last else None,
            "last_location": last.location if last else WAREHOUSE,
            "eta": eta,
            "last_event_at": last_at,
            "next_poll_at": self.now + timedelta(minutes=self._spread()) if active else None,
            "poll_failures": 0,
            "shipped_at": label_at if scans else None,
            "delivered_at": last_at if status is ShipmentStatus.DELIVERED else None,
            "created_at": label_at,
            "updated_at": last_at or label_at,
        }
        batch.add(Shipment, row)
        return row

    def _spread(self) -> int:
        # Spread first polls over two hours so a poll tick never finds every shipment due.
        self._serial += 1
        return (self._serial * 37) % 120

    def _return(
        self, batch: SampleBatch, order_id: int, state: str, delivered_at: datetime | None
    ) -> None:
        asked = (delivered_at or self.now - timedelta(days=3)) + timedelta(days=2)
        asked = min(asked, self.now - timedelta(hours=6))
        return_id = self.ids.take(ReturnRequest)
        done = state != "requested"
        batch.add(
            ReturnRequest,
            {
                "id": return_id,
                "order_id": order_id,
                "identity_id": None,
                "state": state,
                "reason": self.rng.choice(
                    ("SIZE_TOO_SMALL", "SIZE_TOO_LARGE", "STYLE", "DEFECTIVE", "UNWANTED")
                ),
                "comment": "",
                "rma_code": f"RMA-{order_id:07d}",
                "decided_by": "slack:U0DEMOSTAFF" if done else None,
                "decided_at": asked + timedelta(hours=3) if done else None,
                "decline_reason": None,
                "decline_note": "",
                "received_at": asked + timedelta(days=3) if done else None,
                "refunded_at": asked + timedelta(days=4) if done else None,
                "cancelled_at": None,
                "slack_channel": None,
                "slack_ts": None,
                "created_at": asked,
                "updated_at": asked + timedelta(days=4) if done else asked,
            },
        )
        for item in batch.rows[table_of(OrderItem).name][::-1]:
            if item["order_id"] != order_id:
                break
            if item["returnable"]:
                batch.add(
                    ReturnItem,
                    {
                        "id": self.ids.take(ReturnItem),
                        "return_id": return_id,
                        "order_item_id": item["id"],
                        "qty": item["qty"],
                    },
                )
                break


async def write_batch(connection: AsyncConnection, batch: SampleBatch) -> None:
    """Insert one batch with Core `executemany`, parents before children.

    On SQLite the rows go to the driver's `executemany` as tuples, with times already in
    the text form SQLAlchemy stores: per-value type processing would otherwise cost more
    than the inserts themselves at a million orders.
    """
    sqlite = connection.dialect.name == "sqlite"
    for table in TABLES:
        rows = batch.rows[table.name]
        if not rows:
            continue
        if sqlite:
            sql, params = _driver_rows(table, rows)
            await connection.exec_driver_sql(sql, params)
        else:
            await connection.execute(insert(table), rows)


def _driver_rows(table: Table, rows: list[dict[str, Any]]) -> tuple[str, list[tuple[Any, ...]]]:
    columns = list(rows[0])
    times = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, UTCDateTime)]
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    params: list[tuple[Any, ...]] = []
    texts: dict[datetime, str] = {}  # rows repeat times (an event's occurred/created)
    for row in rows:
        values = list(row.values())
        for i in times:
            value = values[i]
            if value is not None:
                text = texts.get(value)
                if text is None:
                    # Same text as UTCDateTime + SQLite's DATETIME write: naive UTC, µs.
                    text = texts[value] = value.astimezone(UTC).isoformat(" ", "microseconds")[:26]
                values[i] = text
        params.append(tuple(values))
    return sql, params


async def existing_numbers(connection: AsyncConnection, numbers: list[str]) -> list[str]:
    """Which of `numbers` the database already has as order numbers."""
    found: list[str] = []
    orders = table_of(Order)
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        result = await connection.execute(select(orders.c.number).where(orders.c.number.in_(chunk)))
        found.extend(result.scalars())
    return sorted(found)


class NumbersTaken(Exception):
    """The database already has orders with the numbers the sample would use."""

    def __init__(self, numbers: list[str]) -> None:
        shown = ", ".join(numbers[:5]) + (" …" if len(numbers) > 5 else "")
        super().__init__(
            f"the database already has {len(numbers)} of the sample's order numbers ({shown}); "
            "seed an empty database"
        )
        self.numbers = numbers


async def seed(
    connection: AsyncConnection,
    *,
    now: datetime,
    count: int = DEMO_ORDER_COUNT,
    seed_value: int = DEMO_SEED,
    bulk: bool = False,
    first_number: int = FIRST_ORDER_NUMBER,
    batch_size: int = 5_000,
    keep_summaries: bool = True,
    on_batch: Any = None,
) -> list[SampleOrder]:
    """Write `count` sample orders in the caller's transaction and return their summaries.

    Refuses (NumbersTaken, before writing anything) when any order number is in use.
    `on_batch(orders_written)` is called after each batch, for progress bars.
    """
    numbers = [str(n) for n in range(first_number, first_number + count)]
    taken = await existing_numbers(connection, numbers) if count <= 50_000 else []
    if count > 50_000:
        # A range check is enough here and stays fast at a million numbers.
        taken = await existing_numbers(connection, [numbers[0], numbers[-1]])
    if taken:
        raise NumbersTaken(taken)
    generator = SampleGenerator(
        seed=seed_value,
        now=now,
        ids=await first_ids(connection),
        first_number=first_number,
        bulk=bulk,
        keep_summaries=keep_summaries,
    )
    summaries: list[SampleOrder] = []
    written = 0
    for batch in generator.batches(count, batch_size):
        await write_batch(connection, batch)
        summaries.extend(batch.orders)
        written += len(batch.rows[table_of(Order).name])
        if on_batch is not None:
            on_batch(written)
    return summaries


async def add_verified_identity(
    connection: AsyncConnection,
    *,
    now: datetime,
    channel: str,
    external_id: str,
    email: str = DEMO_SHOPPER_EMAIL,
    display_name: str = DEMO_SHOPPER_NAME,
    follow: list[str] | None = None,
) -> int:
    """A chat identity already verified as the customer with `email`; returns its id.

    `follow` lists order numbers it subscribes to, so the demo shows pushes straight away.
    """
    customer_id = (
        await connection.execute(
            select(table_of(Customer).c.id).where(table_of(Customer).c.email == email)
        )
    ).scalar_one()
    result = await connection.execute(
        insert(table_of(ChannelIdentity)),
        {
            "channel": channel,
            "external_id": external_id,
            "customer_id": customer_id,
            "display_name": display_name,
            "locale": "en",
            "timezone": None,
            "verified_at": now,
            "pushes_enabled": True,
            "created_at": now,
            "last_seen_at": None,
        },
    )
    identity_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    for number in follow or []:
        order_id = (
            await connection.execute(
                select(table_of(Order).c.id).where(table_of(Order).c.number == number)
            )
        ).scalar_one()
        await connection.execute(
            insert(table_of(Subscription)),
            {
                "identity_id": identity_id,
                "order_id": order_id,
                "active": True,
                "created_at": now,
                "updated_at": now,
            },
        )
    return identity_id
