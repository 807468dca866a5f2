"""Assigning a flag to a staff member ("Assign to me" on the Home tab queue)."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.pushes.home_refresh import queue_changed
from core.runtime.clock import Clock
from core.staff.flags import FlagAlreadyResolved, FlagNotFound
from core.storage import audit
from core.storage.models import Flag


async def assign_flag(session: AsyncSession, clock: Clock, flag_id: int, *, actor: str) -> Flag:
    """Give an open flag to `actor` ("Assign to me"); taking one from a colleague is allowed.

    Raises FlagNotFound, or FlagAlreadyResolved (who and when) once the flag is resolved.
    Assigning it to the person who already has it changes nothing and is not audited.
    """
    flag = await session.get(Flag, flag_id)
    if flag is None:
        raise FlagNotFound(flag_id)
    before = flag.assigned_to
    result = await session.exec(
        update(Flag)
        .where(col(Flag.id) == flag_id, col(Flag.state) == "open")
        .values(assigned_to=actor)
    )
    await session.refresh(flag)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise FlagAlreadyResolved(flag)
    if before == actor:
        return flag
    await audit.record(
        session,
        clock,
        actor=actor,
        action="flag.assign",
        subject_type="flag",
        subject_id=flag_id,
        before={"assigned_to": before},
        after={"assigned_to": actor},
    )
    await queue_changed(session, clock)
    return flag
