"""CSV import: good files, broken rows reported by line, dry runs that write nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import select

from core.ingest import importer
from core.runtime.clock import ManualClock
from core.runtime.config import CoreConfig
from core.storage.db import Database
from core.storage.models import Order, OrderItem, Shipment, TrackingEvent

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


async def run_import(
    db: Database, clock: ManualClock, text: str, *, kind: str | None = None, dry_run: bool = False
) -> importer.ImportReport:
    parsed, early = importer.read_csv(io.StringIO(text), kind)
    report = await importer.import_rows(db, clock, CoreConfig(), parsed, dry_run=dry_run)
    report.add_early_problems(early)
    return report


async def test_the_sample_files_import_cleanly_and_twice_changes_nothing(
    db: Database, clock: ManualClock
) -> None:
    for name in ("orders.csv", "shipments.csv", "events.csv"):
        report = await run_import(db, clock, (EXAMPLES / name).read_text())
        assert report.ok, report.problems
    again = await run_import(db, clock, (EXAMPLES / "orders.csv").read_text())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    events = await run_import(db, clock, (EXAMPLES / "events.csv").read_text())
    assert (events.created, events.duplicates) == (0, 4)
    async with db.session() as session:
        orders = {o.number: o for o in (await session.exec(select(Order))).all()}
        items = (await session.exec(select(OrderItem))).all()
        shipments = {s.tracking_number: s for s in (await session.exec(select(Shipment))).all()}
    assert set(orders) == {"2001", "2002", "2003"}
    assert len(items) == 4
    assert shipments["1Z999AA10123456784"].status == "out_for_delivery"
    assert orders["2002"].status == "shipped"


async def test_bad_rows_are_reported_by_line_and_good_rows_imported(
    db: Database, clock: ManualClock
) -> None:
    text = (
        "order_id,number,placed_at,email,sku,qty\n"
        "o-1,1001,2026-10-01T10:00:00Z,a@example.com,MUG,1\n"
        "o-2,1002,not-a-date,b@example.com,MUG,1\n"
        "o-3,1003,2026-10-01T10:00:00Z,c@example.com\n"
        "o-4,1004,2026-10-01T10:00:00Z,,MUG,1\n"
        "o-5,1005,2026-10-01T10:00:00Z,e@example.com,MUG,1\n"
        "o-5,1005,2026-10-01T10:00:00Z,e@example.com,TEA,zero\n"
        "o-6,1006,2026-10-01T10:00:00Z,f@example.com,MUG,2\n"
    )
    report = await run_import(db, clock, text)
    assert [(p.line, p.reason) for p in report.problems] == [
        (3, "bad date in column 'placed_at': 'not-a-date' (use ISO 8601)"),
        (4, "has 4 fields but the header has 6 columns"),
        (5, "missing value in column 'email'"),
        (6, "order 'o-5' skipped: line 7 is bad"),
        (7, "bad number in column 'qty': 'zero' (a whole number >= 1)"),
    ]
    async with db.session() as session:
        numbers = sorted(o.number for o in (await session.exec(select(Order))).all())
    assert numbers == ["1001", "1006"]


async def test_unknown_status_and_unknown_tracking_number_are_row_problems(
    db: Database, clock: ManualClock
) -> None:
    for name in ("orders.csv", "shipments.csv"):
        await run_import(db, clock, (EXAMPLES / name).read_text())
    text = (
        "event_id,tracking_number,status,occurred_at\n"
        "e-1,JD014600003328591234,in_transit,2026-10-30T06:40:00Z\n"
        "e-2,JD014600003328591234,teleported,2026-10-30T07:40:00Z\n"
        "e-3,NOPE,delivered,2026-10-30T08:40:00Z\n"
    )
    report = await run_import(db, clock, text)
    assert [(p.line, p.reason) for p in report.problems] == [
        (3, "unknown status 'teleported'"),
        (4, "no shipment with tracking number 'NOPE'"),
    ]
    assert report.created == 1


async def test_a_shipment_for_an_unknown_order_is_a_row_problem(
    db: Database, clock: ManualClock
) -> None:
    text = "shipment_id,order_number,carrier,tracking_number\ns-1,9999,dhl,JD1\n"
    report = await run_import(db, clock, text)
    assert [(p.line, p.reason) for p in report.problems] == [(2, "order_number: no order '9999'")]


async def test_a_dry_run_checks_everything_and_writes_nothing(
    db: Database, clock: ManualClock
) -> None:
    for name in ("orders.csv", "shipments.csv"):
        await run_import(db, clock, (EXAMPLES / name).read_text())
    report = await run_import(db, clock, (EXAMPLES / "events.csv").read_text(), dry_run=True)
    assert report.ok and report.created == 4 and report.dry_run
    bad = await run_import(
        db,
        clock,
        "shipment_id,order_number,carrier,tracking_number\ns-9,9999,dhl,X\n",
        dry_run=True,
    )
    assert [p.line for p in bad.problems] == [2]
    async with db.session() as session:
        assert (await session.exec(select(TrackingEvent))).all() == []
        assert len((await session.exec(select(Shipment))).all()) == 2


def test_the_kind_comes_from_the_header_or_the_file_is_refused() -> None:
    parsed, _ = importer.read_csv(io.StringIO("shipment_id,order_id,carrier,tracking_number\n"))
    assert parsed.kind == "shipments"
    with pytest.raises(importer.ImportFileError, match="cannot tell the file kind"):
        importer.read_csv(io.StringIO("a,b,c\n1,2,3\n"))
    with pytest.raises(importer.ImportFileError, match="lacks required column"):
        importer.read_csv(io.StringIO("event_id,status\n"), "events")
    with pytest.raises(importer.ImportFileError, match="empty"):
        importer.read_csv(io.StringIO(""))


def adds_up(report: importer.ImportReport) -> bool:
    """rows = written + unchanged + rejected, and the same for the records they make."""
    rows = report.rows_written + report.rows_unchanged + report.rows_rejected
    records = (
        report.created + report.updated + report.unchanged + report.duplicates + report.rejected
    )
    return rows == report.rows and records == report.records


@pytest.mark.parametrize(
    ("price", "reason"),
    [
        ("INF", "bad amount in column 'price': 'INF'"),  # found by the CSV fuzzer
        ("NaN", "bad amount in column 'price': 'NaN'"),
        ("1e999999", "amount too large in column 'price': '1e999999'"),
        ("21474836.48", "amount too large in column 'price': '21474836.48'"),  # > the column
    ],
)
async def test_an_amount_that_is_no_number_or_too_large_is_refused_and_nothing_written(
    db: Database, clock: ManualClock, price: str, reason: str
) -> None:
    text = "order_id,number,placed_at,email,sku,price\n"
    text += f"o-1,1001,2026-10-01,a@example.com,MUG,{price}\n"
    report = await run_import(db, clock, text)
    assert [p.reason for p in report.problems] == [reason]
    async with db.session() as session:
        assert (await session.exec(select(Order))).all() == []


async def test_a_row_reports_all_its_errors_at_once(db: Database, clock: ManualClock) -> None:
    text = (
        "order_id,number,placed_at,email,total,sku,returnable\n"
        "o-1,1001,2026-10-01T10:00:00Z,a@example.com,ten,MUG,maybe\n"
    )
    report = await run_import(db, clock, text)
    (problem,) = report.problems
    assert problem.reason == (
        "bad amount in column 'total': 'ten'; bad yes/no in column 'returnable': 'maybe'"
    )
    shipments = await run_import(
        db, clock, "shipment_id,carrier,tracking_number,shipped_at\n,DHL,,soon\n"
    )
    assert shipments.problems[0].reason == (
        "missing value in column 'order_id' (or 'order_number'); missing value in column "
        "'shipment_id'; missing value in column 'tracking_number'; bad date in column "
        "'shipped_at': 'soon' (use ISO 8601)"
    )
    events = await run_import(
        db, clock, "event_id,tracking_number,status,occurred_at\ne-1,T1,teleported,yesterday\n"
    )
    assert events.problems[0].reason == (
        "unknown status 'teleported'; bad date in column 'occurred_at': 'yesterday' (use ISO 8601)"
    )


async def test_the_import_summary_adds_up_for_every_kind(db: Database, clock: ManualClock) -> None:
    orders = (
        "order_id,number,placed_at,email,sku,qty\n"
        "o-1,1001,2026-10-01T10:00:00Z,a@example.com,MUG,1\n"
        "o-1,1001,2026-10-01T10:00:00Z,a@example.com,TEA,2\n"
        "o-2,1002,2026-10-01T10:00:00Z,b@example.com,MUG,1\n"
        "o-2,1002,2026-10-01T10:00:00Z,b@example.com,TEA,zero\n"
        "o-3,1003,2026-10-01T10:00:00Z,c@example.com,MUG,1\n"
        "o-4,1001,2026-10-01T10:00:00Z,d@example.com,MUG,1\n"  # 1001 belongs to o-1
    )
    first = await run_import(db, clock, orders)
    assert adds_up(first), first
    assert (first.rows, first.rows_written, first.rows_unchanged, first.rows_rejected) == (
        6, 3, 0, 3
    )  # fmt: skip
    assert (first.records, first.created, first.rejected) == (4, 2, 2)
    again = await run_import(db, clock, orders)
    assert adds_up(again)
    assert (again.rows_written, again.rows_unchanged, again.rows_rejected) == (0, 3, 3)
    shipments = (
        "shipment_id,carrier,tracking_number,order_id\n"
        "s-1,DHL,T1,o-1\n"
        "s-2,DHL,T2,o-404\n"
        "s-3,DHL,,o-3\n"
    )
    parcels = await run_import(db, clock, shipments)
    assert adds_up(parcels)
    assert (parcels.rows_written, parcels.rows_rejected, parcels.rejected) == (1, 2, 2)
    events = (
        "event_id,tracking_number,status,occurred_at\n"
        "e-1,T1,in_transit,2026-10-02T10:00:00Z\n"
        "e-1,T1,in_transit,2026-10-02T10:00:00Z\n"
        "e-2,T404,in_transit,2026-10-02T10:00:00Z\n"
        "e-3,T1,bogus,2026-10-02T10:00:00Z\n"
    )
    scans = await run_import(db, clock, events)
    assert adds_up(scans), scans
    assert (scans.rows_written, scans.rows_unchanged, scans.rows_rejected) == (1, 1, 2)
