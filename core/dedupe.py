"""Platform redeliveries (a Telegram update_id, a Slack event_id) are processed once."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
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
