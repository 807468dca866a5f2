"""`wismo import`: orders, shipments and tracking events from CSV files.

Good rows are imported and bad rows reported with their line number and every reason at
once; one bad row never stops the file. The counts add up: every row is written, unchanged
or rejected, and every order, shipment or event new, updated, unchanged or rejected.
An orders file has one row per item, grouped by `order_id`; an order with a bad row is
skipped whole, so no order is stored with items missing.
A dry run does every check, database look-ups included, then rolls each write back.
"""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from core.ingest import csv_rows, intake
from core.ingest.csv_rows import FORMATS, RowError
from core.ingest.tracking_update import TrackingUpdate
from core.ingest.updates import ApplyOutcome, apply_tracking_updates
from core.runtime.clock import Clock
from core.runtime.config import CoreConfig
from core.storage.db import Database

EVENT_CHUNK = 500
RECORD_BATCH = 100  # orders or shipments per transaction
Progress = Callable[[int], None]
Write = Callable[[AsyncSession], Awaitable[intake.Upserted]]
Work = tuple[list[int], Write]  # the record's lines in the file, and how to store it


class ImportFileError(Exception):
    """The file as a whole cannot be imported (empty, unknown kind, required column absent)."""


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
    records: int = 0  # orders, shipments or events after grouping rows
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # events already known: unchanged
    rejected: int = 0  # records not stored (an order is rejected whole)
    rows_written: int = 0  # rows whose record was created or updated
    rows_unchanged: int = 0  # rows whose record was already stored as it is
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no row was rejected."""
        return not self.problems

    @property
    def rows_rejected(self) -> int:
        """Rows with at least one problem (each line counts once)."""
        return len({p.line for p in self.problems})

    def add_early_problems(self, problems: list[RowProblem]) -> None:
        """Rows refused before parsing (unreadable, wrong width): rejected rows and records."""
        self.problems = sorted(problems + self.problems, key=lambda p: p.line)
        self.rows += len(problems)
        self.records += len(problems)
        self.rejected += len(problems)


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


@asynccontextmanager
async def _unit(database: Database, dry_run: bool) -> AsyncIterator[AsyncSession]:
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


def _count(report: ImportReport, result: intake.Upserted, rows: int) -> None:
    if result.created:
        report.created += 1
    elif result.changed:
        report.updated += 1
    else:
        report.unchanged += 1
        report.rows_unchanged += rows
        return
    report.rows_written += rows


def _reject(report: ImportReport, lines: list[int], reason: str, what: str) -> None:
    """The record on `lines` is not stored: the first line says why, the others point there."""
    report.rejected += 1
    report.problems.append(RowProblem(lines[0], reason))
    report.problems += [
        RowProblem(line, f"{what} not stored: see line {lines[0]}") for line in lines[1:]
    ]


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
        await _events(database, clock, config, parsed.rows, report, dry_run, tick)
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
            report.records += 1
            report.rejected += 1
            tick(len(group))
            continue
        order = parsed[0][0]
        item_list = tuple(item for _, item in parsed if item is not None)
        data = replace(order, items=item_list or None)
        report.records += 1
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
        report.records += 1
        try:
            data = csv_rows.shipment_row(row)
        except RowError as exc:
            _reject(report, [line], str(exc), "shipment")
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
    first line; the others in the batch are kept.
    """
    for start in range(0, len(work), RECORD_BATCH):
        async with _unit(database, dry_run) as session:
            for lines, write in work[start : start + RECORD_BATCH]:
                what = report.kind.rstrip("s")
                try:
                    async with session.begin_nested():
                        result = await write(session)
                    _count(report, result, len(lines))
                except intake.IntakeError as exc:
                    _reject(report, lines, f"{exc.field}: {exc.message}", what)
                except IntegrityError as exc:
                    # Another writer stored a clashing row meanwhile; this record is skipped.
                    reason = str(exc.orig).splitlines()[0][:200]
                    _reject(report, lines, f"conflicts with a stored record: {reason}", what)
                tick(len(lines))


async def _events(
    database: Database,
    clock: Clock,
    config: CoreConfig,
    rows: list[tuple[int, dict[str, str]]],
    report: ImportReport,
    dry_run: bool,
    tick: Progress,
) -> None:
    for start in range(0, len(rows), EVENT_CHUNK):
        chunk = rows[start : start + EVENT_CHUNK]
        good: list[tuple[int, TrackingUpdate]] = []
        for line, row in chunk:
            try:
                good.append((line, csv_rows.event_row(row)))
            except RowError as exc:
                _reject(report, [line], str(exc), "event")
        report.records += len(chunk)
        if good:
            async with _unit(database, dry_run) as session:
                results = await apply_tracking_updates(
                    session, clock, config, [update for _, update in good]
                )
            for (line, update), result in zip(good, results, strict=True):
                if result.outcome == ApplyOutcome.UNKNOWN_TRACKING:
                    reason = f"no shipment with tracking number {update.tracking_number!r}"
                    _reject(report, [line], reason, "event")
                elif result.outcome == ApplyOutcome.DUPLICATE:
                    report.duplicates += 1
                    report.rows_unchanged += 1
                else:
                    report.created += 1
                    report.rows_written += 1
        tick(len(chunk))
