"""Named leases in the `joblock` table: once-a-day work and channel pauses shared by replicas.

A lock is a row (name, holder, until). Taking it is one atomic statement, so of several
replicas racing for the same name exactly one wins until the lease runs out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel.ext.asyncio.session import AsyncSession

from core.runtime.clock import Clock
from core.storage.models import JobLock

_TABLE = JobLock.__table__  # type: ignore[attr-defined]


def _insert(session: AsyncSession) -> Any:
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        return postgresql.insert(_TABLE)
    return sqlite.insert(_TABLE)


async def try_lock(
    session: AsyncSession, clock: Clock, name: str, holder: str, ttl: timedelta
) -> bool:
    """Take the lease `name` for `ttl` if nobody holds it (or its lease ran out).

    Returns True for the one caller that got it. Commit promptly: the row stays locked
    until the caller's transaction ends.
    """
    now = clock.now()
    statement = _insert(session).values(name=name, holder=holder, until=now + ttl)
    statement = statement.on_conflict_do_update(
        index_elements=[_TABLE.c.name],
        set_={"holder": holder, "until": now + ttl},
        where=_TABLE.c.until <= now,
    ).returning(_TABLE.c.holder)
    taken = (await session.execute(statement)).scalar_one_or_none()
    return taken == holder


async def extend_until(session: AsyncSession, name: str, holder: str, until: datetime) -> None:
    """Make the lease `name` last at least until `until` (never shortens a longer one)."""
    statement = _insert(session).values(name=name, holder=holder, until=until)
    statement = statement.on_conflict_do_update(
        index_elements=[_TABLE.c.name],
        set_={
            "holder": holder,
            # greatest()/max() of the two: a shorter pause never cuts a longer one short.
            "until": func.max(_TABLE.c.until, statement.excluded.until)
            if session.bind is not None and session.bind.dialect.name == "sqlite"
            else func.greatest(_TABLE.c.until, statement.excluded.until),
        },
    )
    await session.execute(statement)


async def active_until(
    session: AsyncSession, clock: Clock, names: list[str]
) -> dict[str, datetime]:
    """The leases among `names` that still run, with when each ends."""
    if not names:
        return {}
    rows = await session.execute(
        select(_TABLE.c.name, _TABLE.c.until).where(
            _TABLE.c.name.in_(names), _TABLE.c.until > clock.now()
        )
    )
    return {name: until for name, until in rows}


async def release(session: AsyncSession, name: str, holder: str) -> None:
    """Give a lease back early (only the holder can)."""
    await session.execute(delete(_TABLE).where(_TABLE.c.name == name, _TABLE.c.holder == holder))


async def prune(session: AsyncSession, clock: Clock, prefix: str, older_than: timedelta) -> int:
    """Delete leases named `prefix…` that ended more than `older_than` ago."""
    result = await session.execute(
        delete(_TABLE).where(
            _TABLE.c.name.startswith(prefix), _TABLE.c.until < clock.now() - older_than
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
