"""Hypothesis sends signed carrier and shop webhooks with odd values over real HTTP, on a
database with the shipments they name: never a 5xx, whatever is stored or refused."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import mutated
from tests.integration.ingest.conftest import Served
from tests.integration.ingest.test_odd_input import _signed
from tests.integration.ingest.test_webhooks import load, shipment_for

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# (webhook, recorded payload, Shopify topic)
WEBHOOKS = st.sampled_from(
    [
        ("aftership", "aftership_tracking_update.json", ""),
        ("aftership", "aftership_edd_revise.json", ""),
        ("easypost", "easypost_tracker_updated.json", ""),
        ("shopify", "shopify_orders_create.json", "orders/create"),
        ("shopify", "shopify_fulfillments_update.json", "fulfillments/update"),
    ]
)
PAYLOADS = WEBHOOKS.flatmap(
    lambda hook: st.tuples(st.just(hook[0]), mutated(load(hook[1]), changes=4), st.just(hook[2]))
)


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest) -> Served:
    """The app on SQLite, then on PostgreSQL (which refuses more: NUL, out-of-range ints)."""
    served: Served = request.getfixturevalue("served" if request.param == "sqlite" else "pg_served")
    return served


@FUZZ
@given(delivery=PAYLOADS, event_id=st.uuids())
async def test_odd_signed_webhooks_are_stored_or_refused_never_a_5xx(
    api: Served, delivery: tuple[str, dict[str, Any], str], event_id: object
) -> None:
    served = api
    if not getattr(served, "_shipments", False):
        await shipment_for(served, "1Z999AA10123456784", "ups")
        served._shipments = True  # type: ignore[attr-defined]
    name, payload, topic = delivery
    body = json.dumps(payload).encode()
    headers = _signed(name, body)
    if name == "shopify":
        headers["X-Shopify-Topic"] = topic
        headers["X-Shopify-Event-Id"] = str(event_id)  # each example a new delivery
    response = await served.client.post(f"/webhooks/{name}", content=body, headers=headers)
    assert response.status_code < 500, response.text
