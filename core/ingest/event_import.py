"""`wismo import` of an events file: tracking updates in chunks, each row reported."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import DBAPIError, OperationalError

from core.ingest import csv_rows
from core.ingest.csv_rows import RowError
from core.ingest.import_report import ImportReport, RowProblem, first_line, unit
from core.ingest.updates import (
    ApplyOutcome,
    ApplyResult,
    TrackingUpdate,
    apply_tracking_updates,
)
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage.db import Database

EVENT_CHUNK = 500
Progress = Callable[[int], None]


async def import_events(
    database: Database,
    clock: Clock,
    config: CoreConfig,
    rows: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    dry_run: bool,
    tick: Progress,
) -> None:
    """Import events rows EVENT_CHUNK at a time; `tick(n)` as n more rows are done."""
    for start in range(0, len(rows), EVENT_CHUNK):
        chunk = rows[start : start + EVENT_CHUNK]
        good: list[tuple[int, TrackingUpdate]] = []
        for line, row in chunk:
            try:
                good.append((line, csv_rows.event_row(row)))
            except RowError as exc:
                report.problems.append(RowProblem(line, str(exc)))
        if good:
            results = await _apply_events(database, clock, config, dry_run, good, report)
            for (line, update), result in zip(good, results, strict=True):
                if result is None:
                    continue  # reported by _apply_events
                if result.outcome == ApplyOutcome.UNKNOWN_TRACKING:
                    report.problems.append(
                        RowProblem(
                            line, f"no shipment with tracking number {update.tracking_number!r}"
                        )
                    )
                elif result.outcome == ApplyOutcome.DUPLICATE:
                    report.records += 1
                    report.duplicates += 1
                else:
                    report.records += 1
                    report.created += 1
        tick(len(chunk))


async def _apply_events(
    database: Database,
    clock: Clock,
    config: CoreConfig,
    dry_run: bool,
    good: list[tuple[int, TrackingUpdate]],
    report: ImportReport,
) -> list[ApplyResult | None]:
    """Apply a chunk in one transaction; should the database refuse it, one event at a time.

    An event the database refuses is reported at its line and comes back as None.
    """
    try:
        async with unit(database, dry_run) as session:
            return list(await apply_tracking_updates(session, clock, config, [u for _, u in good]))
    except DBAPIError as exc:
        if isinstance(exc, OperationalError):
            raise
    results: list[ApplyResult | None] = []
    for line, update in good:
        try:
            async with unit(database, dry_run) as session:
                results.append((await apply_tracking_updates(session, clock, config, [update]))[0])
        except DBAPIError as exc:
            if isinstance(exc, OperationalError):
                raise
            report.problems.append(RowProblem(line, f"the database refused it: {first_line(exc)}"))
            results.append(None)
    return results
