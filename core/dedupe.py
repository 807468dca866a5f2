"""Platform redeliveries (a Telegram update_id, a Slack event_id) are processed once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import Clock
from core.models import ProcessedUpdate


async def first_delivery(session: AsyncSession, clock: Clock, channel: str, key: str) -> bool:
    """Record `key` as processed on `channel`; False when it already was.

    Runs in a savepoint, so a duplicate does not spoil the caller's transaction.
    """
    try:
        async with session.begin_nested():
            session.add(ProcessedUpdate(channel=channel, update_key=key, at=clock.now()))
    except IntegrityError:
        return False
    return True


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
