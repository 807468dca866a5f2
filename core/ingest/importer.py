"""`wismo import`: orders, shipments and tracking events from CSV files.

Good rows are imported and bad rows reported with their line number and reason; one bad
row never stops the file. An orders file has one row per item, grouped by `order_id`; an
order with a bad row is skipped whole, so no order is stored with items missing.
A dry run does every check, database look-ups included, then rolls each write back.
"""

from __future__ import annotations

import csv
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel.ext.asyncio.session import AsyncSession

from core.ingest import csv_rows, intake
from core.ingest.csv_rows import FORMATS, RowError
from core.ingest.event_import import import_events
from core.ingest.import_report import ImportReport, RowProblem, first_line, unit
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage.db import Database

RECORD_BATCH = 100  # orders or shipments per transaction
Progress = Callable[[int], None]
Write = Callable[[AsyncSession], Awaitable[intake.Upserted]]
# One record to write: its lines in the file (the first names it) and how to write it.
Work = tuple[list[int], Write]


class ImportFileError(Exception):
    """The file as a whole cannot be imported (empty, unknown kind, required column absent)."""


@dataclass
class ParsedFile:
    kind: str
    rows: list[tuple[int, dict[str, str]]]


def read_csv(lines: Iterable[str], kind: str | None = None) -> tuple[ParsedFile, list[RowProblem]]:
    """Read the header and rows; rows of the wrong width become problems right away."""
    reader = csv.reader(lines)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFileError("the file is empty") from None
    except csv.Error as exc:
        raise ImportFileError(f"not a CSV file: {exc}") from None
    kind = kind or csv_rows.detect_kind(header)
    if kind is None:
        raise ImportFileError(
            "cannot tell the file kind from its header; use --kind orders|shipments|events"
        )
    if kind not in FORMATS:
        raise ImportFileError(f"unknown kind {kind!r}; use orders, shipments or events")
    missing = csv_rows.missing_columns(FORMATS[kind], header)
    if missing:
        raise ImportFileError(f"{kind} file lacks required column(s): {', '.join(missing)}")
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[RowProblem] = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(RowProblem(reader.line_num, f"unreadable row: {exc}"))
            line = reader.line_num
            continue
        line = reader.line_num
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(
                RowProblem(
                    start, f"has {len(values)} fields but the header has {len(header)} columns"
                )
            )
            continue
        rows.append((start, dict(zip(header, values, strict=True))))
    return ParsedFile(kind, rows), problems


def _count(report: ImportReport, result: intake.Upserted) -> None:
    if result.created:
        report.created += 1
    elif result.changed:
        report.updated += 1
    else:
        report.unchanged += 1


async def import_rows(
    database: Database,
    clock: Clock,
    config: CoreConfig,
    parsed: ParsedFile,
    *,
    dry_run: bool = False,
    actor: str = "csv",
    progress: Progress | None = None,
) -> ImportReport:
    """Import the rows of a read file; `progress(n)` is called as n more rows are done."""
    report = ImportReport(kind=parsed.kind, dry_run=dry_run, rows=len(parsed.rows))
    tick = progress or (lambda n: None)
    if parsed.kind == "orders":
        await _orders(database, clock, parsed.rows, report, dry_run, actor, tick)
    elif parsed.kind == "shipments":
        await _shipments(database, clock, parsed.rows, report, dry_run, actor, tick)
    else:
        await import_events(database, clock, config, parsed.rows, report, dry_run, tick)
    report.problems.sort(key=lambda p: p.line)
    return report


async def _orders(
    database: Database,
    clock: Clock,
    rows: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    dry_run: bool,
    actor: str,
    tick: Progress,
) -> None:
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        groups.setdefault((row.get("order_id") or "").strip() or f"#line{line}", []).append(
            (line, row)
        )
    work: list[Work] = []
    for external_id, group in groups.items():
        parsed = []
        bad: list[RowProblem] = []
        for line, row in group:
            try:
                parsed.append(csv_rows.order_row(row))
            except RowError as exc:
                bad.append(RowProblem(line, str(exc)))
        if bad:
            report.problems += bad
            skipped = {line for line, _ in group} - {p.line for p in bad}
            report.problems += [
                RowProblem(line, f"order {external_id!r} skipped: line {bad[0].line} is bad")
                for line in sorted(skipped)
            ]
            tick(len(group))
            continue
        order = parsed[0][0]
        item_list = tuple(item for _, item in parsed if item is not None)
        data = replace(order, items=item_list or None)
        work.append(([line for line, _ in group], _order_writer(clock, data, actor)))
    await _write_in_batches(database, dry_run, work, report, tick)


async def _shipments(
    database: Database,
    clock: Clock,
    rows: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    dry_run: bool,
    actor: str,
    tick: Progress,
) -> None:
    work: list[Work] = []
    for line, row in rows:
        try:
            data = csv_rows.shipment_row(row)
        except RowError as exc:
            report.problems.append(RowProblem(line, str(exc)))
            tick(1)
            continue
        work.append(([line], _shipment_writer(clock, data, actor)))
    await _write_in_batches(database, dry_run, work, report, tick)


def _order_writer(clock: Clock, data: intake.OrderData, actor: str) -> Write:
    async def write(session: AsyncSession) -> intake.Upserted:
        return await intake.upsert_order(session, clock, data, actor=actor)

    return write


def _shipment_writer(clock: Clock, data: intake.ShipmentData, actor: str) -> Write:
    async def write(session: AsyncSession) -> intake.Upserted:
        return await intake.upsert_shipment(session, clock, data, actor=actor)

    return write


async def _write_in_batches(
    database: Database,
    dry_run: bool,
    work: list[Work],
    report: ImportReport,
    tick: Progress,
) -> None:
    """Upsert RECORD_BATCH records per transaction, each in a savepoint of its own.

    A record that cannot be stored rolls back to its savepoint and is reported at its
    first line (its other lines as skipped); the others in the batch are kept.
    """
    for start in range(0, len(work), RECORD_BATCH):
        async with unit(database, dry_run) as session:
            for lines, write in work[start : start + RECORD_BATCH]:
                reason = None
                try:
                    async with session.begin_nested():
                        result = await write(session)
                except intake.IntakeError as exc:
                    reason = f"{exc.field}: {exc.message}"
                except IntegrityError as exc:
                    # Another writer stored a clashing row meanwhile; this record is skipped.
                    reason = f"conflicts with a stored record: {first_line(exc)}"
                except DBAPIError as exc:
                    if isinstance(exc, OperationalError):
                        raise  # the database is busy or gone: stop, nothing half-reported
                    reason = f"the database refused it: {first_line(exc)}"
                if reason is None:
                    report.records += 1
                    _count(report, result)
                else:
                    _reject(report, lines, reason)
                tick(len(lines))


def _reject(report: ImportReport, lines: list[int], reason: str) -> None:
    """One record not stored: its first line says why, each other line that it was skipped."""
    first, *others = lines
    report.problems.append(RowProblem(first, reason))
    report.problems += [RowProblem(line, f"skipped: line {first} is bad") for line in others]
