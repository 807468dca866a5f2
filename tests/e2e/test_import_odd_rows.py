"""`wismo import` as a process, on SQLite and PostgreSQL: a NUL byte or a date with no UTC
time rejects its row (with the line), the good rows are imported, and the summary adds up."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlmodel import select

from core.storage.db import Database
from core.storage.models import Order, TrackingEvent
from tests.e2e.conftest import Wismo

pytestmark = pytest.mark.slow

ORDERS = (
    "order_id,number,placed_at,email,customer_name,sku,qty\n"
    "o-1,5001,2026-10-01T10:00:00Z,a@example.com,Ana,MUG,1\n"
    "o-1,5001,2026-10-01T10:00:00Z,a@example.com,Ana,CUP,2\n"
    "o-2,5002,2026-10-01T10:00:00Z,b@example.com,Bo\x00b,MUG,1\n"
    "o-3,5003,0001-01-01T00:00:00+14:00,c@example.com,Cy,MUG,1\n"
    "o-3,5003,2026-10-01T10:00:00Z,c@example.com,Cy,CUP,1\n"
    "o-4,5004,2026-10-02T10:00:00Z,d@example.com,Di,MUG,1\n"
)
SHIPMENTS = "shipment_id,order_id,carrier,tracking_number\ns-1,o-1,dhl,JD1\n"
EVENTS = (
    "event_id,tracking_number,status,occurred_at,text\n"
    "e-1,JD1,in_transit,2026-10-02T10:00:00Z,Left the hub\n"
    "e-2,JD1,in_transit,2026-10-02T11:00:00Z,Sorted\x00\n"
    "e-3,JD1,in_transit,9999-12-31T23:59:59-14:00,Far future\n"
    "e-4,JD1,out_for_delivery,2026-10-03T08:00:00Z,With the driver\n"
)


def _play(wismo: Wismo, url: str) -> None:
    (wismo.cwd / "orders.csv").write_text(ORDERS)
    (wismo.cwd / "shipments.csv").write_text(SHIPMENTS)
    (wismo.cwd / "events.csv").write_text(EVENTS)
    env = {"WISMO_DATABASE_URL": url}
    assert wismo("db", "upgrade", **env).returncode == 0

    orders = wismo("import", "orders.csv", **env)
    assert orders.returncode == 1, orders.stderr
    assert "Traceback" not in orders.stderr
    assert "orders.csv:4: bad value in column 'customer_name': must not contain a NUL" in (
        orders.stderr
    )
    assert "orders.csv:5: bad date in column 'placed_at'" in orders.stderr
    assert "orders.csv:6: order 'o-3' skipped: line 5 is bad" in orders.stderr
    # 6 rows: 3 written (the two orders stored), 3 rejected.
    assert (
        "6 rows (3 written, 0 unchanged, 3 rejected); "
        "4 orders (2 new, 0 updated, 0 unchanged, 2 rejected)" in (orders.stdout)
    )

    assert wismo("import", "shipments.csv", **env).returncode == 0
    events = wismo("import", "events.csv", **env)
    assert events.returncode == 1, events.stderr
    assert "Traceback" not in events.stderr
    assert "events.csv:3: text must not contain a NUL" in events.stderr
    assert "events.csv:4: bad date in column 'occurred_at'" in events.stderr
    assert (
        "4 rows (2 written, 0 unchanged, 2 rejected); "
        "4 events (2 new, 0 already known, 2 rejected)" in (events.stdout)
    )


async def _stored(url: str) -> tuple[set[str], set[str]]:
    database = Database(url)
    try:
        async with database.session() as session:
            numbers = set((await session.exec(select(Order.number))).all())
            events = set((await session.exec(select(TrackingEvent.source_event_id))).all())
    finally:
        await database.dispose()
    return numbers, events


def test_odd_rows_on_sqlite(wismo: Wismo, tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'wismo.db'}"
    _play(wismo, url)
    assert asyncio.run(_stored(url)) == ({"5001", "5004"}, {"e-1", "e-4"})


async def test_odd_rows_on_postgres(wismo: Wismo, pg_url: str) -> None:
    await asyncio.to_thread(_play, wismo, pg_url)
    assert await _stored(pg_url) == ({"5001", "5004"}, {"e-1", "e-4"})
