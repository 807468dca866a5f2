"""Order and shipment upserts: idempotent by external id, specific errors, nothing half-written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from core.ingest import intake
from core.ingest.intake_types import CustomerData, ItemData, OrderData, ShipmentData
from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.models import AuditEntry, Customer, Order, OrderItem, Shipment
from core.tracking.statuses import OrderStatus

PLACED = datetime(2026, 10, 30, 9, 0, tzinfo=UTC)


def order(**overrides: object) -> OrderData:
    values: dict[str, object] = {
        "external_id": "shop-1001",
        "number": "1001",
        "customer": CustomerData(email="Ana@Example.com", external_id="c-1", name="Ana Lima"),
        "placed_at": PLACED,
        "items": (ItemData(sku="MUG", name="Blue mug", qty=2, price_minor=1200),),
        "total_minor": 2400,
        "currency": "eur",
    }
    values.update(overrides)
    return OrderData(**values)  # type: ignore[arg-type]


async def test_the_same_order_twice_is_one_order(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        first = await intake.upsert_order(session, clock, order(), actor="api:shop")
    async with db.transaction() as session:
        again = await intake.upsert_order(session, clock, order(), actor="api:shop")
    assert first.created and first.changed
    assert again == intake.Upserted(id=first.id, created=False, changed=False)
    async with db.session() as session:
        orders = (await session.exec(select(Order))).all()
        items = (await session.exec(select(OrderItem))).all()
        customers = (await session.exec(select(Customer))).all()
        audits = (await session.exec(select(AuditEntry))).all()
    assert [(o.number, o.currency, o.total_minor) for o in orders] == [("1001", "EUR", 2400)]
    assert [(i.sku, i.qty) for i in items] == [("MUG", 2)]
    assert [c.email for c in customers] == ["ana@example.com"]
    assert [(a.actor, a.action) for a in audits] == [("api:shop", "order.created")]


async def test_an_update_replaces_items_and_cancels(db: Database, clock: ManualClock) -> None:
    async with db.transaction() as session:
        await intake.upsert_order(session, clock, order(), actor="api:shop")
    clock.advance(hours=1)
    changed = order(
        items=(ItemData(sku="MUG", name="Blue mug", qty=1), ItemData(sku="TEA", name="Tea")),
        status=OrderStatus.CANCELLED,
    )
    async with db.transaction() as session:
        result = await intake.upsert_order(session, clock, changed, actor="api:shop")
    assert result.changed and not result.created
    async with db.session() as session:
        stored = (await session.exec(select(Order))).one()
        items = (await session.exec(select(OrderItem).order_by(OrderItem.sku))).all()
    assert stored.status == "cancelled" and stored.cancelled_at == clock.now()
    assert [(i.sku, i.qty) for i in items] == [("MUG", 1), ("TEA", 1)]


async def test_a_number_owned_by_another_order_is_a_conflict(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        await intake.upsert_order(session, clock, order(), actor="api:shop")
    with pytest.raises(intake.IntakeConflict) as caught:
        async with db.transaction() as session:
            await intake.upsert_order(
                session, clock, order(external_id="shop-other"), actor="api:shop"
            )
    assert caught.value.field == "number"


async def test_shipment_statuses_cannot_be_set_on_an_order(
    db: Database, clock: ManualClock
) -> None:
    with pytest.raises(intake.IntakeError) as caught:
        async with db.transaction() as session:
            await intake.upsert_order(
                session, clock, order(status=OrderStatus.DELIVERED), actor="api:shop"
            )
    assert caught.value.field == "status"
    async with db.session() as session:
        assert (await session.exec(select(Customer))).all() == []


async def test_a_shipment_is_upserted_on_its_order_and_due_for_polling(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        await intake.upsert_order(session, clock, order(), actor="api:shop")
    shipment = ShipmentData(
        external_id="f-1", carrier="dhl", tracking_number="JD0001", order_external_id="shop-1001"
    )
    async with db.transaction() as session:
        first = await intake.upsert_shipment(session, clock, shipment, actor="api:shop")
    async with db.transaction() as session:
        again = await intake.upsert_shipment(session, clock, shipment, actor="api:shop")
    assert first.created and not again.created and again.id == first.id
    async with db.session() as session:
        stored = (await session.exec(select(Shipment))).one()
        parent = (await session.exec(select(Order))).one()
    assert (stored.status, stored.next_poll_at) == ("pending", clock.now())
    assert parent.status == "processing"


async def test_a_shipment_for_an_unknown_order_names_the_field(
    db: Database, clock: ManualClock
) -> None:
    shipment = ShipmentData(
        external_id="f-1", carrier="dhl", tracking_number="JD0001", order_number="9999"
    )
    with pytest.raises(intake.IntakeError) as caught:
        async with db.transaction() as session:
            await intake.upsert_shipment(session, clock, shipment, actor="api:shop")
    assert (caught.value.field, caught.value.message) == ("order_number", "no order '9999'")


async def test_an_order_without_external_id_is_adopted_by_number(
    db: Database, clock: ManualClock
) -> None:
    async with db.transaction() as session:
        legacy = await intake.upsert_order(session, clock, order(), actor="csv")
        stored = (await session.exec(select(Order))).one()
        stored.external_id = None  # as the demo data or an old import would leave it
        session.add(stored)
    async with db.transaction() as session:
        adopted = await intake.upsert_order(session, clock, order(), actor="api:shop")
    assert adopted.id == legacy.id and not adopted.created
    async with db.transaction() as session:
        await intake.upsert_order(
            session, clock, order(external_id="shop-2", number="2002"), actor="api:shop"
        )
    with pytest.raises(intake.IntakeConflict):
        async with db.transaction() as session:
            # shop-2 exists, and 1001 is another order: renumbering onto it is a conflict.
            await intake.upsert_order(
                session, clock, order(external_id="shop-2", number="1001"), actor="api:shop"
            )
