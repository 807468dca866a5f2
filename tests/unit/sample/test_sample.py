"""The sample shop: every status, the demo shopper's story, repeatable, refuses clashes."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import func
from sqlmodel import select

from core.sample import demo_shop as sample
from core.sample.people import DOMAINS
from core.storage.db import Database
from core.storage.models import (
    ChannelIdentity,
    Customer,
    Order,
    OrderItem,
    ReturnRequest,
    Shipment,
    Subscription,
    TrackingEvent,
)
from core.tracking.statuses import OrderStatus, ShipmentStatus, order_status_from_shipments

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def demo_batches(seed: int = sample.DEMO_SEED, count: int = sample.DEMO_ORDER_COUNT):
    generator = sample.SampleGenerator(seed=seed, now=NOW)
    return list(generator.batches(count))


def demo_orders(**kwargs: int) -> list[sample.SampleOrder]:
    return [order for batch in demo_batches(**kwargs) for order in batch.orders]


def rows(batches: list[sample.SampleBatch], table: str) -> list[dict]:
    return [row for batch in batches for row in batch.rows[table]]


def test_the_demo_sample_has_every_order_and_shipment_status() -> None:
    orders = demo_orders()
    assert len(orders) == sample.DEMO_ORDER_COUNT >= 200
    assert {o.status for o in orders} == {s.value for s in OrderStatus}
    assert {s for o in orders for s in o.shipment_statuses} == {s.value for s in ShipmentStatus}


def test_every_status_appears_even_in_a_small_sample_and_with_another_seed() -> None:
    orders = demo_orders(seed=99, count=30)
    assert len(orders) == 30
    assert {o.status for o in orders} == {s.value for s in OrderStatus}


def test_the_demo_has_several_carriers_split_orders_and_late_stuck_failed_ones() -> None:
    orders = demo_orders()
    assert len({c for o in orders for c in o.carriers}) >= 5
    assert sum(1 for o in orders if len(o.tracking_numbers) > 1) >= 5
    assert 3 <= sum(o.late for o in orders) <= 40
    assert 3 <= sum(o.stuck for o in orders) <= 20
    failed = Counter(s for o in orders for s in o.shipment_statuses)
    assert failed["failed_attempt"] >= 2 and failed["exception"] >= 2


def test_the_demo_shopper_owns_orders_1001_to_1006_telling_a_story() -> None:
    mine = [o for o in demo_orders() if o.demo_shopper]
    assert [o.number for o in mine] == ["1001", "1002", "1003", "1004", "1005", "1006"]
    assert {o.email for o in mine} == {sample.DEMO_SHOPPER_EMAIL}
    by_number = {o.number: o for o in mine}
    assert by_number["1002"].shipment_statuses == ["out_for_delivery"]
    assert by_number["1003"].status == "delivered"
    assert by_number["1004"].shipment_statuses == ["delivered", "in_transit"]
    assert by_number["1005"].status == "processing" and by_number["1005"].tracking_numbers == []


def test_order_status_agrees_with_its_shipments() -> None:
    for order in demo_orders():
        if not order.shipment_statuses or order.status in (
            "cancelled", "return_requested", "returned", "partially_shipped",
        ):  # fmt: skip
            continue
        implied = order_status_from_shipments([ShipmentStatus(s) for s in order.shipment_statuses])
        assert implied == order.status, order


def test_people_have_unique_emails_on_example_domains_only() -> None:
    batches = demo_batches()
    emails = [row["email"] for row in rows(batches, "customer")]
    assert len(emails) == len(set(emails))
    assert all(email.rsplit("@", 1)[1] in DOMAINS for email in emails)


def test_some_items_are_final_sale() -> None:
    items = rows(demo_batches(), "orderitem")
    assert any(not item["returnable"] for item in items)
    assert sum(item["returnable"] for item in items) > len(items) / 2


def test_every_scan_is_in_the_past_and_in_order() -> None:
    batches = demo_batches()
    events = rows(batches, "trackingevent")
    assert events and all(event["occurred_at"] <= NOW for event in events)
    by_shipment: dict[int, list[datetime]] = {}
    for event in events:
        by_shipment.setdefault(event["shipment_id"], []).append(event["occurred_at"])
    assert all(times == sorted(times) for times in by_shipment.values())
    for shipment in rows(batches, "shipment"):
        if shipment["status"] not in ("delivered", "expired"):
            assert shipment["next_poll_at"] is not None
        assert shipment["tracking_url"].startswith("https://")


def test_the_same_seed_gives_the_same_sample_and_another_seed_does_not() -> None:
    assert demo_orders() == demo_orders()
    assert demo_orders() != demo_orders(seed=sample.DEMO_SEED + 1)


async def count(database: Database, model: type) -> int:
    async with database.engine.connect() as connection:
        return (await connection.execute(select(func.count()).select_from(model))).scalar_one()


async def test_seed_writes_every_table_and_the_orders_read_back(db: Database) -> None:
    async with db.engine.begin() as connection:
        written = await sample.seed(connection, now=NOW)
    assert len(written) == await count(db, Order) == sample.DEMO_ORDER_COUNT
    assert await count(db, Customer) < sample.DEMO_ORDER_COUNT
    assert await count(db, Shipment) > 200
    assert await count(db, TrackingEvent) > 500
    assert await count(db, OrderItem) >= sample.DEMO_ORDER_COUNT
    assert await count(db, ReturnRequest) >= 2
    async with db.session() as session:
        order = (await session.exec(select(Order).where(Order.number == "1002"))).one()
        shipment = (await session.exec(select(Shipment).where(Shipment.order_id == order.id))).one()
    assert order.placed_at.tzinfo is not None and order.placed_at < NOW
    assert shipment.status == "out_for_delivery" and shipment.last_event_at < NOW


async def test_seed_refuses_taken_numbers_and_writes_nothing(db: Database) -> None:
    async with db.engine.begin() as connection:
        await sample.seed(connection, now=NOW, count=20)
    before = await count(db, Customer)
    with pytest.raises(sample.NumbersTaken, match="already has 20 of the sample's order numbers"):
        async with db.engine.begin() as connection:
            await sample.seed(connection, now=NOW, count=50)
    assert await count(db, Customer) == before
    assert await count(db, Order) == 20


async def test_seed_after_existing_orders_continues_ids(db: Database) -> None:
    async with db.engine.begin() as connection:
        await sample.seed(connection, now=NOW, count=20)
        await sample.seed(connection, now=NOW, count=20, first_number=5001, seed_value=3)
    assert await count(db, Order) == 40


async def test_bulk_mode_writes_mostly_delivered_orders_in_batches(db: Database) -> None:
    progress: list[int] = []
    async with db.engine.begin() as connection:
        written = await sample.seed(
            connection, now=NOW, count=3000, bulk=True, batch_size=1000,
            keep_summaries=False, on_batch=progress.append,
        )  # fmt: skip
    assert written == []
    assert progress[-1] == 3000 and len(progress) >= 3
    async with db.session() as session:
        statuses = Counter((await session.exec(select(Order.status))).all())
    assert statuses["delivered"] > 1500
    assert await count(db, Order) == 3000


async def test_a_verified_identity_follows_the_orders_it_is_given(db: Database) -> None:
    async with db.engine.begin() as connection:
        await sample.seed(connection, now=NOW, count=20)
        identity_id = await sample.add_verified_identity(
            connection, now=NOW, channel="console", external_id="demo", follow=["1002"]
        )
    async with db.session() as session:
        identity = await session.get(ChannelIdentity, identity_id)
        follows = (await session.exec(select(Subscription))).all()
    assert identity is not None and identity.verified_at == NOW
    assert identity.customer_id is not None
    assert len(follows) == 1 and follows[0].identity_id == identity_id


@pytest.fixture(params=["sqlite", "postgres"])
def either_db(request: pytest.FixtureRequest) -> Database:
    return request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")


async def test_ordinary_inserts_work_after_the_sample_on_either_database(
    either_db: Database,
) -> None:
    async with either_db.engine.begin() as connection:
        await sample.seed(connection, now=NOW, count=20)
    async with either_db.transaction() as session:
        customer = Customer(email="new.shopper@example.net", created_at=NOW)
        session.add(customer)
        await session.flush()
        session.add(
            Order(
                number="9001",
                customer_id=customer.id,
                placed_at=NOW,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    assert await count(either_db, Customer) > 1
    assert await count(either_db, Order) == 21


def test_sample_returns_use_the_chat_reasons_and_only_decided_ones_have_an_rma() -> None:
    from core.returns.policy import REASONS

    returns = rows(demo_batches(), "returnrequest")
    assert returns and {r["reason"] for r in returns} <= set(REASONS)
    for row in returns:
        assert (row["rma_code"] is None) == (row["state"] == "requested")
