"""What `wismo import` did, and the transaction each part of it runs in.

Kept apart from the readers and writers (`core.ingest.importer`, `core.ingest.event_import`)
so both can share them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.exc import DBAPIError
from sqlmodel.ext.asyncio.session import AsyncSession

from core.ingest import intake
from core.storage.db import Database


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    kind: str
    dry_run: bool = False
    rows: int = 0
    records: int = 0  # orders, shipments or events stored (or known already) after grouping
    # Adds up: every row is either part of a stored record or one of `problems`, once.
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no row was rejected."""
        return not self.problems


@asynccontextmanager
async def unit(database: Database, dry_run: bool) -> AsyncIterator[AsyncSession]:
    """One transaction; rolled back instead of committed in a dry run."""
    async with database.session() as session:
        await session.begin()
        try:
            await intake.begin_writes(session)
            yield session
        except BaseException:
            await session.rollback()
            raise
        if dry_run:
            await session.rollback()
        else:
            await session.commit()


def first_line(exc: DBAPIError) -> str:
    """The database's own first line about `exc`, for a rejected row's reason."""
    return str(exc.orig).splitlines()[0][:200]
