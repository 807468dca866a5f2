"""Webhook updates kept in the database before the platform hears "received".

A webhook answers 200 as soon as its update is stored here, not after the update is
handled: the platform's request is free in milliseconds, and nothing is lost when the
process dies mid-way, because any replica takes an update whose lease ran out
(`overdue`) and handles it again. A redelivery of a kept update (`keep` returns False)
is not queued twice. Handled updates are forgotten in batches (`forget`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
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


class UpdateInbox:
    """One channel's kept updates; `hold` is how long a replica's lease on one lasts."""

    def __init__(self, database: Database, clock: Clock, channel: str, hold: timedelta) -> None:
        self.database = database
        self.clock = clock
        self.channel = channel
        self.hold = hold

    async def keep(self, key: str, body: str, *, hold: bool = True) -> bool:
        """Store an update (committed when this returns); False when it was kept already.

        `hold=False` stores it as overdue at once: any replica with room may take it.
        """
        now = self.clock.now()
        values = {
            "channel": self.channel,
            "update_key": key,
            "body": body,
            "received_at": now,
            "held_until": now + self.hold if hold else now,
        }
        if not self.database.is_sqlite:
            return await self._keep_on_server(values)
        # Urgent: the platform waits for its 200 on this, shoppers' answers do not.
        async with self.database.transaction(urgent=True) as session:
            return await hot_sql.write(session, _KEEP["sqlite"], values) == 1

    async def _keep_on_server(self, values: dict[str, Any]) -> bool:
        # One statement in autocommit: BEGIN and COMMIT would be two more round trips,
        # each a wait for the busy event loop, before Telegram hears its 200.
        async with self.database.engine.connect() as connection:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            result = await connection.execute(_KEEP["postgresql"], values)
            return bool(result.rowcount == 1)

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
