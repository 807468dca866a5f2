"""A parcel without a carrier ETA shows the usual delivery days from the shop's history."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.models import Order, Shipment
from core.tracking.prediction import default_cache
from tests.unit.conversation.conftest import Bot
from tests.unit.insights.shop import ShopBuilder

# Past DHL parcels to Berlin (DE-10…) took every whole hour from 48 to 97, twice each.
TRANSIT_HOURS = [48 + i % 50 for i in range(100)]


@pytest.fixture
async def history(db: Database, clock: ManualClock, shop: dict[str, int]) -> AsyncIterator[int]:
    """The delivery history, and Jane's order 1005: DHL has it since now, no carrier ETA."""
    now = clock.now()  # Mon 2 Nov 2026, 12:00 UTC
    async with db.transaction() as session:
        builder = ShopBuilder(session, first_number=9000)
        for i, hours in enumerate(TRANSIT_HOURS):
            handed = now - timedelta(days=40) + timedelta(hours=5 * i)
            delivered = handed + timedelta(hours=hours, minutes=20)
            order_id = await builder.order(handed, country="DE", postcode="10117")
            await builder.shipment(order_id, "dhl", handed, [("delivered", delivered)],
                                   delivered=delivered)  # fmt: skip
        order = Order(number="1005", customer_id=shop["jane"], status="shipped",
                      placed_at=now - timedelta(days=1), updated_at=now, ship_country="DE",
                      ship_postcode="10115", promised_by=now + timedelta(days=6))  # fmt: skip
        session.add(order)
        await session.flush()
        assert order.id is not None
        parcel = Shipment(order_id=order.id, carrier="dhl", tracking_number="JD0005",
                          status="in_transit", shipped_at=now, created_at=now,
                          updated_at=now)  # fmt: skip
        session.add(parcel)
    yield order.id
    default_cache.clear()


async def test_the_usual_window_is_shown_beside_the_shops_promise(jane: Bot, history: int) -> None:
    # The first question of the process finds no model yet; it is built in the background.
    cold = await jane.say("where is order 1005")
    assert "Usually arrives" not in cold.text
    assert "Expected by: Sun 8 Nov" in cold.text
    await default_cache.wait()

    replies = await jane.say("where is order 1005")

    # p10 = 53.4 h, p90 = 92.6 h after Mon 12:00: Wednesday to Friday.
    assert "Usually arrives between Wed and Fri." in replies.text
    assert "Expected by: Sun 8 Nov" in replies.text  # the shop's promise stays


async def test_the_carriers_eta_wins_over_the_usual_window(jane: Bot, history: int) -> None:
    await jane.say("where is order 1001")  # the model of this shop is built meanwhile
    await default_cache.wait()

    replies = await jane.say("where is order 1001")

    assert "Expected: tomorrow" in replies.text
    assert "Usually arrives" not in replies.text
