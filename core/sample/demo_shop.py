"""Realistic sample data: shoppers, orders, shipments and their scans, repeatable by seed.

Two uses: the demo (a few hundred orders across every status, with one demo shopper whose
orders tell a story) and benchmarks (a million orders, generated and written in batches
with SQLAlchemy Core `executemany`, so memory stays flat and no ORM object is built).
Every time is counted back from `now`, so a fresh demo always looks current.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from core.sample.generator import FIRST_ORDER_NUMBER, SAMPLE_SOURCE, SampleGenerator
from core.sample.people import (
    DEMO_ORDER_COUNT,
    DEMO_SEED,
    DEMO_SHOPPER_EMAIL,
    DEMO_SHOPPER_NAME,
)
from core.sample.rows import TABLES, FirstIds, SampleBatch, SampleOrder, table_of
from core.storage.columns import UTCDateTime
from core.storage.models import ChannelIdentity, Customer, Order, Subscription

__all__ = [
    "DEMO_ORDER_COUNT",
    "DEMO_SEED",
    "DEMO_SHOPPER_EMAIL",
    "DEMO_SHOPPER_NAME",
    "FIRST_ORDER_NUMBER",
    "SAMPLE_SOURCE",
    "FirstIds",
    "NumbersTaken",
    "SampleBatch",
    "SampleGenerator",
    "SampleOrder",
    "add_verified_identity",
    "advance_sequences",
    "existing_numbers",
    "first_ids",
    "seed",
    "sqlite_rows",
    "write_batch",
]


async def first_ids(connection: AsyncConnection) -> FirstIds:
    """The next free id of every table the generator writes."""
    ids = FirstIds()
    for table in TABLES:
        highest = (await connection.execute(select(func.max(table.c.id)))).scalar()
        ids.next[table.name] = (highest or 0) + 1
    return ids


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
            sql, params = sqlite_rows(table, rows)
            await connection.exec_driver_sql(sql, params)
        else:
            await connection.execute(insert(table), rows)


def sqlite_rows(table: Table, rows: list[dict[str, Any]]) -> tuple[str, list[tuple[Any, ...]]]:
    """An INSERT for `table` and its rows as SQLite driver tuples (times as stored text)."""
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
    await advance_sequences(connection)
    return summaries


async def advance_sequences(connection: AsyncConnection) -> None:
    """Move PostgreSQL's id sequences past the ids the sample wrote explicitly.

    Without this the next ordinary INSERT (a Shopify order, an API call) draws id 1 from
    the untouched sequence and fails on the primary key. SQLite takes max(id) + 1 itself.
    """
    if connection.dialect.name != "postgresql":
        return
    for table in TABLES:
        await connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT max(id) FROM {table.name}))"
            )
        )


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
