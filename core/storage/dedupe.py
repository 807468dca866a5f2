"""Platform redeliveries (a Telegram update_id, a Slack event_id) are processed once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.runtime.clock import Clock
from core.storage import hot_sql
from core.storage.columns import UTCDateTime
from core.storage.models import ProcessedUpdate


def _insert_once(dialect: str) -> Any:
    table = ProcessedUpdate.__table__  # type: ignore[attr-defined]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(table)
        .values(
            channel=bindparam("channel"),
            update_key=bindparam("update_key"),
            at=bindparam("at", type_=UTCDateTime),
        )
        .on_conflict_do_nothing(index_elements=["channel", "update_key"])
    )


# Built once per dialect: the duplicate check runs for every chat message.
_INSERT_ONCE = {dialect: _insert_once(dialect) for dialect in ("sqlite", "postgresql")}


async def first_delivery(session: AsyncSession, clock: Clock, channel: str, key: str) -> bool:
    """Record `key` as processed on `channel`; False when it already was.

    One `INSERT ... ON CONFLICT DO NOTHING`: a duplicate changes nothing and does not
    spoil the caller's transaction (no savepoint needed). A concurrent first delivery
    of the same key waits for the other transaction and then counts as a duplicate.
    """
    statement = _INSERT_ONCE[session.sync_session.get_bind().dialect.name]
    values = {"channel": channel, "update_key": key, "at": clock.now()}
    return await hot_sql.write(session, statement, values) == 1


async def forget_delivery(session: AsyncSession, channel: str, key: str) -> None:
    """Undo `first_delivery` for `key`, so the platform's redelivery is processed after all."""
    await session.exec(
        delete(ProcessedUpdate).where(
            col(ProcessedUpdate.channel) == channel, col(ProcessedUpdate.update_key) == key
        )
    )


async def prune_deliveries(session: AsyncSession, before: datetime) -> int:
    """Delete the marks of updates processed before `before`; how many went.

    Platforms redeliver for minutes (Slack) to a day (Telegram, webhooks), so marks older
    than that only grow the table.
    """
    result = await session.exec(delete(ProcessedUpdate).where(col(ProcessedUpdate.at) < before))
    return int(result.rowcount or 0)
