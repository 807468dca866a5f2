"""The database side of `wismo insights`: the report for a period, with a carrier checked
against the known ones (imported by the command's body only)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.commands.database import prepared_database
from core.insights import InsightsReport, build_report, rollups
from core.insights import counts as insights_counts
from core.pushes import worker_name
from core.runtime import SystemClock


class UnknownCarrier(Exception):
    """No shipment carries the carrier asked for; the message lists the known ones."""


async def report_for(
    url: str,
    *,
    now: datetime,
    since: datetime,
    until: datetime,
    carrier: str | None,
    stuck_after: timedelta,
    accuracy: bool,
) -> InsightsReport:
    """The insights report of `url`'s shop for [since, until), for one carrier or all."""
    database = await prepared_database(url)
    try:
        # What changed since the scheduler's last refresh (the whole shop the first time).
        await rollups.refresh(database, SystemClock(), holder=worker_name())
        async with database.session() as session:
            if carrier is not None:
                known = list(await insights_counts.carriers(session))
                matches = [c for c in known if c.casefold() == carrier.casefold()]
                if not matches:
                    raise UnknownCarrier(
                        f"no shipments with carrier {carrier!r}; known carriers: "
                        + (", ".join(known) or "none yet")
                    )
                carrier = matches[0]
            return await build_report(
                session,
                now=now,
                since=since,
                until=until,
                carrier=carrier,
                stuck_after=stuck_after,
                with_prediction=accuracy,
            )
    finally:
        await database.dispose()
