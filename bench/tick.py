"""The poll-and-detect tick costs what is due, not what is stored.

    python -m bench.tick            # 10,000 and 1,000,000 shipments, 1,000 due in each
    python -m bench.tick --quick    # 10,000 and 100,000 shipments
    python -m bench.tick --database-url postgresql+asyncpg://.../empty_db   # PostgreSQL

Generates two shops with bulk Core inserts — mostly delivered history plus parcels in
transit that are not due — with the same 1,000 shipments due for a poll and their 1,000
orders due for exception detection. A tick is what the scheduler runs: the poll job
(claim due shipments by `next_poll_at`, ask a stand-in carrier source, apply one scan
each through core.ingest.updates, reschedule) and the detect job (claim due orders by
`next_check_at`, examine, reschedule). Each tick is timed five times (the due set is
made due again in between) and the median kept. Prints both times and their ratio
(target <= 1.5).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text, update
from sqlalchemy.engine import make_url

from bench.report import emit, figure
from core.ingest.polling import Poller, PollResult, PollTarget
from core.ingest.tracking_update import TrackingUpdate
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.staff.detection import Detector
from core.storage import schema
from core.storage.db import Database
from core.storage.models import Customer, Order, Shipment
from core.tracking.statuses import ShipmentStatus

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
DUE = 1_000
ROUNDS = 5
CHUNK = 20_000
C, O, S = (m.__table__ for m in (Customer, Order, Shipment))  # type: ignore[attr-defined]  # noqa: E741


class StandInSource:
    """A carrier that answers every parcel with one fresh in-transit scan."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.round = 0

    async def poll(self, targets: Sequence[PollTarget]) -> PollResult:
        self.round += 1
        return PollResult([
            TrackingUpdate("bench", f"{t.tracking_number}:{self.round}", t.tracking_number,
                           ShipmentStatus.IN_TRANSIT, self.clock.now(), location="Hub")
            for t in targets
        ])  # fmt: skip


def due_ids(total: int) -> list[int]:
    """The same number of due parcels in every shop, spread over the id range."""
    step = total // DUE
    return [1 + i * step for i in range(DUE)]


async def generate(database: Database, total: int) -> None:
    """`total` orders with one shipment each; 85% delivered history, the rest in transit."""
    due = set(due_ids(total))
    later = NOW + timedelta(hours=1)
    async with database.transaction() as session:
        customers = [{"id": i, "email": f"c{i}@example.com", "name": "Bench", "created_at": NOW}
                     for i in range(1, total // 10 + 2)]  # fmt: skip
        for start in range(0, len(customers), CHUNK):
            await session.execute(insert(C), customers[start : start + CHUNK])
    for start in range(1, total + 1, CHUNK):
        orders, shipments = [], []
        for i in range(start, min(start + CHUNK, total + 1)):
            moving = i in due or i % 100 >= 85
            placed = NOW - timedelta(days=3 if moving else 40 + i % 300)
            orders.append({
                "id": i, "number": str(100_000 + i), "customer_id": 1 + i // 10,
                "status": "shipped" if moving else "delivered", "placed_at": placed,
                "promised_by": placed + timedelta(days=6), "updated_at": placed,
                "total_minor": 1999, "currency": "EUR", "ship_name": "", "ship_street": "",
                "ship_city": "", "ship_postcode": "", "ship_country": "DE", "note": "",
                "next_check_at": (NOW if i in due else later + timedelta(hours=i % 48))
                if moving else None,
            })  # fmt: skip
            shipments.append({
                "id": i, "order_id": i, "carrier": "DHL", "tracking_number": f"T{i:09d}",
                "status": "in_transit" if moving else "delivered", "created_at": placed,
                "updated_at": placed, "last_event_at": NOW - timedelta(hours=5),
                "shipped_at": placed + timedelta(days=1),
                "delivered_at": None if moving else placed + timedelta(days=4),
                "next_poll_at": (NOW if i in due else later + timedelta(minutes=i % 120))
                if moving else None, "poll_failures": 0,
            })  # fmt: skip
        async with database.transaction() as session:
            await session.execute(insert(O), orders)
            await session.execute(insert(S), shipments)
        print(f"  {min(start + CHUNK - 1, total):,} / {total:,}", file=sys.stderr, end="\r")
    async with database.engine.begin() as connection:
        await connection.execute(text("ANALYZE"))
    if database.is_sqlite:
        # Write the bulk load back from the WAL now, so no tick pays for the generator.
        async with database.engine.connect() as connection:
            await connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    print(file=sys.stderr)


async def make_due_again(database: Database, total: int) -> None:
    ids = due_ids(total)
    async with database.transaction() as session:
        await session.execute(update(S).where(S.c.id.in_(ids)).values(next_poll_at=NOW))
        await session.execute(update(O).where(O.c.id.in_(ids)).values(next_check_at=NOW))


async def tick(database: Database, clock: ManualClock, source: StandInSource) -> float:
    """One poll-and-detect tick, as the scheduler runs it; seconds."""
    config = CoreConfig()
    poller = Poller(database, clock, config, {"*": source}, batch_size=500)
    detector = Detector(database, clock, config, batch_size=500)
    started = time.perf_counter()
    while (await poller.run_once()).claimed:
        pass
    await detector.run()
    return time.perf_counter() - started


async def measure(url: str, total: int) -> float:
    database = Database(url)
    await schema.upgrade(database.engine)
    print(f"generating {total:,} shipments ...", file=sys.stderr)
    await generate(database, total)
    clock = ManualClock(NOW)
    source = StandInSource(clock)
    times = []
    for _ in range(ROUNDS):
        clock.advance(minutes=1)
        await make_due_again(database, total)
        clock.advance(minutes=1)
        times.append(await tick(database, clock, source))
    await database.dispose()
    print(f"  tick at {total:,}: {[round(t, 3) for t in times]} s", file=sys.stderr)
    return statistics.median(times)


async def run(args: argparse.Namespace) -> None:
    sizes = (10_000, 100_000 if args.quick else 1_000_000)
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            if args.database_url:
                name = f"wismo_bench_tick_{size}"
                results.append(await measure(await fresh_postgres(args.database_url, name), size))
                await drop_postgres(args.database_url, name)
            else:
                url = f"sqlite+aiosqlite:///{Path(scratch) / f'tick_{size}.db'}"
                results.append(await measure(url, size))
    small, big = results
    emit(
        "tick",
        [
            figure(f"tick at {sizes[0]:,} shipments", small * 1000, "ms"),
            figure(f"tick at {sizes[1]:,} shipments", big * 1000, "ms"),
            figure("ratio big / small", big / small, "x", target=1.5, better="lower"),
        ],
        due=DUE,
        sizes=list(sizes),
        database="postgresql" if args.database_url else "sqlite",
    )


async def fresh_postgres(url: str, name: str) -> str:
    """Create (or recreate) database `name` on the server of `url`; its URL."""
    import asyncpg  # type: ignore[import-untyped]

    admin = await asyncpg.connect(str(make_url(url).set(drivername="postgresql")))
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def drop_postgres(url: str, name: str) -> None:
    """Drop the scratch database `name` again."""
    import asyncpg

    admin = await asyncpg.connect(str(make_url(url).set(drivername="postgresql")))
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 instead of 1,000,000")
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server to use")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
