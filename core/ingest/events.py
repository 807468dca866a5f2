"""Tracking events stored once per (source, source_event_id), in bulk (see core.ingest.updates)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from core.ingest.tracking_update import TrackingUpdate
from core.storage.models import TrackingEvent
from core.tracking.statuses import ShipmentStatus

EVENTS = TrackingEvent.__table__  # type: ignore[attr-defined]
EventKey = tuple[str, str]
CHUNK = 500  # rows per statement: far below every driver's bound-parameter limit


def event_key(update: TrackingUpdate) -> EventKey:
    """What makes an event the same event: its source and the source's id for it."""
    return (update.source, update.source_event_id)


def event_row(
    now: datetime, shipment_id: int, update: TrackingUpdate, status: ShipmentStatus
) -> dict[str, Any]:
    """The `trackingevent` row for `update` on the shipment, stored under `status`."""
    return {
        "shipment_id": shipment_id,
        "status": status.value,
        "substatus": update.substatus,
        "raw_status": update.raw_status,
        "location": update.location,
        "text": update.text,
        "occurred_at": update.occurred_at,
        "source": update.source,
        "source_event_id": update.source_event_id,
        "created_at": now,
    }


async def known_events(session: AsyncSession, keys: Iterable[EventKey]) -> set[EventKey]:
    """Which of `keys` are stored already (one query per source and chunk)."""
    by_source: dict[str, list[str]] = {}
    for source, source_event_id in set(keys):
        by_source.setdefault(source, []).append(source_event_id)
    found: set[EventKey] = set()
    for source, ids in by_source.items():
        for start in range(0, len(ids), CHUNK):
            rows = await session.execute(
                select(EVENTS.c.source_event_id).where(
                    EVENTS.c.source == source,
                    EVENTS.c.source_event_id.in_(ids[start : start + CHUNK]),
                )
            )
            found.update((source, event_id) for event_id in rows.scalars())
    return found


async def insert_events(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> dict[EventKey, int]:
    """Insert the rows, skipping any a concurrent transaction stored first; their new ids.

    INSERT … ON CONFLICT DO NOTHING is atomic on both databases: a twin delivered at the
    same moment loses quietly instead of aborting the caller's transaction.
    """
    if not rows:
        return {}
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # One statement, executed with many parameter sets: compiled once and cached, where a
    # multi-VALUES literal would be recompiled for every batch. SQLAlchemy batches it into
    # "insertmanyvalues" with RETURNING, so skipped twins simply return no row.
    statement = (
        insert(EVENTS)
        .on_conflict_do_nothing(index_elements=["source", "source_event_id"])
        .returning(EVENTS.c.id, EVENTS.c.source, EVENTS.c.source_event_id)
    )
    stored: dict[EventKey, int] = {}
    result = await session.execute(statement, list(rows))
    for event_id, source, source_event_id in result.all():
        stored[(source, source_event_id)] = event_id
    return stored
