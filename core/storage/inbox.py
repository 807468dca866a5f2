"""Webhook updates kept in the database before the platform hears "received".

A webhook answers 200 as soon as its update is stored here, not after the update is
handled: the platform's request is free in milliseconds, and nothing is lost when the
process dies mid-way, because any replica takes an update whose lease ran out
(`overdue`) and handles it again. A redelivery of a kept update (`keep` returns False)
is not queued twice. Handled updates are forgotten in batches (`forget`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from core.runtime.clock import Clock
from core.storage import hot_sql
from core.storage.columns import UTCDateTime
from core.storage.db import Database
from core.storage.models import InboundUpdate

_TABLE = InboundUpdate.__table__  # type: ignore[attr-defined]


def _keep(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(_TABLE)
        .values(
            channel=bindparam("channel"),
            update_key=bindparam("update_key"),
            body=bindparam("body"),
            received_at=bindparam("received_at", type_=UTCDateTime),
            held_until=bindparam("held_until", type_=UTCDateTime),
        )
        .on_conflict_do_nothing(index_elements=["channel", "update_key"])
    )


# Built once per dialect: every webhook update runs it.
_KEEP = {dialect: _keep(dialect) for dialect in ("sqlite", "postgresql")}
# Several at once on PostgreSQL: one multi-row INSERT that names the rows it added.
_KEEP_MANY = _KEEP["postgresql"].returning(_TABLE.c.update_key)


async def _insert_on_server(connection: AsyncConnection, rows: list[dict[str, Any]]) -> list[bool]:
    """Insert kept updates on PostgreSQL; for each, whether it is new."""
    if len(rows) == 1:
        result = await connection.execute(_KEEP["postgresql"], rows[0])
        return [result.rowcount == 1]
    inserted = {key for (key,) in await connection.execute(_KEEP_MANY, rows)}
    fresh = []
    for row in rows:  # a key twice in one batch is new once
        fresh.append(row["update_key"] in inserted)
        inserted.discard(row["update_key"])
    return fresh


class UpdateInbox:
    """One channel's kept updates; `hold` is how long a replica's lease on one lasts."""

    def __init__(self, database: Database, clock: Clock, channel: str, hold: timedelta) -> None:
        self.database = database
        self.clock = clock
        self.channel = channel
        self.hold = hold
        self._to_keep: list[tuple[dict[str, Any], asyncio.Future[bool]]] = []
        self._gathering = False  # a caller is about to write what waits (see `keep`)
        self._server_turn = asyncio.Lock()  # PostgreSQL: one INSERT at a time on
        self._connection: AsyncConnection | None = None  # ... this connection

    async def keep(self, key: str, body: str, *, hold: bool = True) -> bool:
        """Store an update (committed when this returns); False when it was kept already.

        `hold=False` stores it as overdue at once: any replica with room may take it.
        Updates that arrive while one waits to be written go with it, in one statement on
        PostgreSQL, one transaction on SQLite: under load a webhook waits for one write,
        not for a queue of them.
        """
        now = self.clock.now()
        values = {
            "channel": self.channel,
            "update_key": key,
            "body": body,
            "received_at": now,
            "held_until": now + self.hold if hold else now,
        }
        heard: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._to_keep.append((values, heard))
        if self._gathering:  # a caller is about to write; this one goes with it
            return await heard
        return await self._write_waiting(heard)

    async def _write_waiting(self, own: asyncio.Future[bool]) -> bool:
        """Write the updates waiting to be kept (`own` among them); tell each caller.

        The batch is taken once the write can start (the write turn on SQLite, a
        connection on PostgreSQL): what arrives until then goes with it, what arrives
        after starts the next write at once.
        """
        self._gathering = True
        batch: list[tuple[dict[str, Any], asyncio.Future[bool]]] = []
        try:
            async with self._writer() as write:
                batch, self._to_keep, self._gathering = self._to_keep, [], False
                fresh = await write([values for values, _ in batch])
        except BaseException as error:
            if not batch:  # it failed before the batch was taken: it fails them all
                batch, self._to_keep, self._gathering = self._to_keep, [], False
            if not isinstance(error, Exception):  # cancelled: whether rows landed is unknown
                error = ConnectionError("keeping the update was interrupted")
            for _, heard in batch:
                if heard is not own and not heard.done():
                    heard.set_exception(error)  # their webhooks ask to be sent it again
            raise
        mine = False
        for (_, heard), new in zip(batch, fresh, strict=True):
            if heard is own:
                mine = new
            elif not heard.done():
                heard.set_result(new)
        return mine

    @asynccontextmanager
    async def _writer(
        self,
    ) -> AsyncIterator[Callable[[list[dict[str, Any]]], Awaitable[list[bool]]]]:
        """A write of rows, ready to run: for each row, whether it is new (False: its key
        was kept already, or came twice in the batch)."""
        if self.database.is_sqlite:
            # Urgent: the platform waits for its 200 on this, shoppers' answers do not.
            async with self.database.transaction(urgent=True) as session:

                async def write_here(rows: list[dict[str, Any]]) -> list[bool]:
                    return [await hot_sql.write(session, _KEEP["sqlite"], row) == 1 for row in rows]

                yield write_here
            return
        # A connection of its own, in autocommit: no pool check-out (with its liveness
        # ping), no BEGIN and COMMIT, each a round trip and a wait for the busy event loop
        # before Telegram hears its 200 — one INSERT, and one at a time on it.
        async with self._server_turn:
            connection = await self._own_connection()
            try:
                yield partial(_insert_on_server, connection)
            except BaseException:
                await self._drop_connection()  # it may be broken: the next write opens one
                raise

    async def _own_connection(self) -> AsyncConnection:
        if self._connection is None:
            opened = await self.database.engine.connect()
            self._connection = await opened.execution_options(isolation_level="AUTOCOMMIT")
        return self._connection

    async def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.invalidate()
            with contextlib.suppress(Exception):
                await connection.close()

    async def close(self) -> None:
        """Give back the connection kept for writing updates (PostgreSQL), if any."""
        async with self._server_turn:
            connection, self._connection = self._connection, None
            if connection is not None:
                await connection.close()

    async def forget(self, keys: list[str]) -> None:
        """Delete handled updates."""
        if not keys:
            return
        async with self.database.transaction() as session:
            await session.exec(
                delete(InboundUpdate).where(
                    col(InboundUpdate.channel) == self.channel,
                    col(InboundUpdate.update_key).in_(keys),
                )
            )

    async def overdue(self, limit: int) -> list[tuple[str, str]]:
        """Take up to `limit` updates whose lease ran out (a new lease each): (key, body).

        Several replicas may ask at once: on PostgreSQL each row goes to one of them
        (FOR UPDATE SKIP LOCKED); SQLite runs one writer at a time anyway.
        """
        now = self.clock.now()
        due = (
            select(_TABLE.c.id)
            .where(_TABLE.c.channel == self.channel, _TABLE.c.held_until <= now)
            .order_by(_TABLE.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        statement = (
            update(_TABLE)
            .where(_TABLE.c.id.in_(due))
            .values(held_until=now + self.hold)
            .returning(_TABLE.c.update_key, _TABLE.c.body, _TABLE.c.id)
        )
        async with self.database.transaction() as session:
            rows = (await session.execute(statement)).all()
        return [(key, body) for key, body, _id in sorted(rows, key=lambda row: row[2])]
