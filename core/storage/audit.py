"""The audit log: who did what to which record, when, and what changed."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.runtime.clock import Clock
from core.storage.models import AuditEntry


async def record(
    session: AsyncSession,
    clock: Clock,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: int | str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry to the caller's transaction (the caller commits)."""
    entry = AuditEntry(
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        before=before,
        after=after,
        at=clock.now(),
    )
    session.add(entry)
    return entry
