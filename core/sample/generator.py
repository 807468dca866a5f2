"""The sample-data generator: rows for every table, batch by batch, repeatable by seed.

`core.sample.demo_shop` is the public face (seed a database, the demo's constants); this module
only makes rows. Rows are plain dicts keyed by column, ready for Core `executemany`.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from core.sample.journeys import PLACES, STREETS, WAREHOUSE, Carrier, Scan, journey
from core.sample.people import (
    DEMO_SHOPPER_EMAIL,
    DEMO_SHOPPER_NAME,
    PRODUCT_BY_SKU,
    PRODUCTS,
    People,
    Product,
)
from core.sample.rows import EVENTS_TABLE, FirstIds, SampleBatch, SampleOrder, table_of
from core.sample.scenarios import DEMO_STORY, SCENARIOS, Scenario
from core.storage.models import Customer, Order, OrderItem, ReturnItem, ReturnRequest, Shipment
from core.tracking.statuses import OrderStatus, ShipmentStatus

FIRST_ORDER_NUMBER = 1001
SAMPLE_SOURCE = "sample"  # TrackingEvent.source of the scans the generator writes
# Keys of core.returns.policy.REASONS; five of them, so a seed draws the data it always did.
_RETURN_REASONS = ("too_small", "too_large", "not_as_described", "defective", "changed_mind")


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
                "external_id": f"cus_{customer_id:09d}",
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
                "external_id": f"ord_{order_id:09d}",
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
        events = batch.rows[EVENTS_TABLE]
        next_id = self.ids.next.get(EVENTS_TABLE, 1)
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
                    # Zero-padded and rising, so the unique (source, id) index is appended
                    # to rather than split at random while a million orders load.
                    "source_event_id": f"evt_{next_id + seq:010d}",
                    "created_at": at,
                }
            )
        self.ids.next[EVENTS_TABLE] = next_id + len(scans)
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
            "external_id": f"shp_{shipment_id:09d}",
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
                # The reasons a shopper picks in the chat; an RMA code comes with approval.
                "reason": self.rng.choice(_RETURN_REASONS),
                "comment": "",
                "rma_code": f"RMA-{order_id:09d}" if done else None,
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
