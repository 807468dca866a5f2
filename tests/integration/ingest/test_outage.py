"""The database goes away while the ingest API is in use (PostgreSQL through a relay).

An event posted meanwhile is answered 503 with Retry-After — the request was fine, nothing
was written — not a 500; the sender's retry once the database is back is applied once.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from core.runtime.clock import ManualClock
from core.storage.db import Database
from core.storage.models import TrackingEvent
from tests.integration.ingest.conftest import serving
from tests.integration.ingest.test_api import event, with_shipment
from tests.integration.telegram.test_outage import DatabaseLine, line  # noqa: F401

pytestmark = pytest.mark.postgres


async def test_an_event_during_an_outage_is_503_and_its_retry_applies_once(
    clock: ManualClock,
    line: tuple[DatabaseLine, str],  # noqa: F811
) -> None:
    relay, url = line
    database = Database(url)
    try:
        async with serving(database, clock) as served:
            await with_shipment(served)
            await relay.cut()  # the database goes away
            during = await served.client.post(
                "/api/v1/events", json=event("e-outage", "in_transit"), headers=served.auth
            )
            assert during.status_code == 503
            assert during.headers["Retry-After"] == "5"
            assert during.json()["error"] == "unavailable"
            await relay.restore()  # back: the sender retries
            retry = await served.client.post(
                "/api/v1/events", json=event("e-outage", "in_transit"), headers=served.auth
            )
            assert retry.status_code == 200 and retry.json()["outcome"] == "applied"
            async with database.session() as session:
                assert len((await session.exec(select(TrackingEvent))).all()) == 1
    finally:
        await database.dispose()
