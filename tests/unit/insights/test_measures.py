"""Every insight measure on the hand-built shop in shop.py; the right answers are worked
out by hand in the comments, on both SQLite and PostgreSQL (the SQL must agree)."""

from __future__ import annotations

from datetime import date

import pytest

from core.insights.report import build_report
from core.insights.types import InsightsReport
from core.storage.db import Database
from tests.unit.insights import shop

APPROX = pytest.approx


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> Database:
    """The same measures on both databases: the SQL must agree."""
    database: Database = request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")
    return database


async def _report(database: Database, carrier: str | None = None) -> InsightsReport:
    async with database.transaction() as session:
        await shop.build(session)
    async with database.session() as session:
        return await build_report(
            session, now=shop.NOW, since=shop.SINCE, until=shop.UNTIL, carrier=carrier
        )


async def test_all_carriers(database: Database) -> None:
    report = await _report(database)

    # Delivered in the period: S1 (on time), S2 (late), S3 (no promise). S5 was before.
    assert (report.on_time.delivered, report.on_time.with_promise) == (3, 2)
    assert (report.on_time.on_time, report.on_time.late, report.on_time.rate) == (1, 1, 0.5)

    stages = {s.stage: s for s in report.stages}
    # placed → processing: 2, 4, 1, 2 h → sorted 1 2 2 4; p50 = 2; p90 at rank 2.7 = 2 + 0.7*2
    assert stages["placed_to_processing"].count == 4
    assert stages["placed_to_processing"].p50_hours == APPROX(2.0)
    assert stages["placed_to_processing"].p90_hours == APPROX(3.4)
    # processing → shipped: 24, 32, 6, 24 h → 6 24 24 32; p50 = 24; p90 = 24 + 0.7*8
    assert stages["processing_to_shipped"].p50_hours == APPROX(24.0)
    assert stages["processing_to_shipped"].p90_hours == APPROX(29.6)
    # shipped → first scan: 6, 12, 24, 2 h → 2 6 12 24; p50 = 9; p90 = 12 + 0.7*12
    assert stages["shipped_to_first_scan"].count == 4
    assert stages["shipped_to_first_scan"].p50_hours == APPROX(9.0)
    assert stages["shipped_to_first_scan"].p90_hours == APPROX(20.4)
    # first scan → delivered: 48, 48, 72 h; p50 = 48; p90 at rank 1.8 = 48 + 0.8*24
    assert stages["first_scan_to_delivered"].count == 3
    assert stages["first_scan_to_delivered"].p50_hours == APPROX(48.0)
    assert stages["first_scan_to_delivered"].p90_hours == APPROX(67.2)
    assert report.bottleneck == "first_scan_to_delivered"
    assert report.bottleneck_label == "First scan → delivered"

    # Flags raised in the period: late (O2), stuck (O4), damaged (O3); O5's was before.
    assert report.exceptions == {"damaged": 1, "late": 1, "stuck": 1}
    assert report.flags_open == 2  # late and stuck; damaged and the old one are resolved
    assert report.stuck_now == 1  # S4, silent since 28 Oct 13:00, more than 72 h before now

    # Delivered orders O1, O2, O3; O1 has a live return, O3's was cancelled → 1/3.
    assert (report.returns.delivered_orders, report.returns.returned_orders) == (3, 1)
    assert report.returns.rate == APPROX(1 / 3)
    # Requests made in the period, cancelled ones left out: O1's and O5's.
    assert report.returns.reasons == {"defective": 1, "size_too_small": 1}

    # Five questions in the period, four answered by the bot, three of them WISMO.
    assert report.questions.asked == 5
    assert report.questions.answered_by_bot == 4
    assert report.questions.self_service_rate == APPROX(0.8)
    assert report.questions.wismo == 3
    assert report.questions.by_intent == {
        "track_order": 2,
        "greeting": 1,
        "human": 1,
        "list_orders": 1,
    }

    pushes = report.pushes
    assert (pushes.sent, pushes.failed, pushes.waiting, pushes.cancelled) == (2, 1, 1, 1)
    assert pushes.failure_rate == APPROX(1 / 3)
    assert (pushes.staff_alerts_sent, pushes.staff_alerts_failed) == (1, 1)


async def test_per_carrier_rows_and_weeks(database: Database) -> None:
    report = await _report(database)

    dhl, ups = report.carriers
    assert dhl.carrier == "DHL"
    assert (dhl.on_time.delivered, dhl.on_time.on_time, dhl.on_time.rate) == (2, 1, 0.5)
    assert dhl.first_scan_p50_hours == APPROX(9.0)  # 6 and 12
    assert dhl.transit_p50_hours == APPROX(48.0)
    assert (dhl.exceptions, dhl.stuck_now) == (1, 0)
    assert ups.carrier == "UPS"
    assert (ups.on_time.delivered, ups.on_time.with_promise, ups.on_time.rate) == (1, 0, None)
    assert ups.first_scan_p50_hours == APPROX(13.0)  # 24 and 2
    assert ups.transit_p50_hours == APPROX(72.0)
    assert (ups.exceptions, ups.stuck_now) == (1, 1)  # the damaged flag has no parcel

    first, second = report.weeks
    assert first.week_start == date(2026, 10, 19)
    assert (first.delivered, first.on_time_rate) == (2, 0.5)
    assert first.stage_p50_hours["placed_to_processing"] == APPROX(3.0)  # 2 and 4
    assert first.stage_p50_hours["first_scan_to_delivered"] == APPROX(48.0)
    assert second.week_start == date(2026, 10, 26)
    assert (second.delivered, second.on_time_rate) == (1, None)
    assert second.stage_p50_hours["placed_to_processing"] == APPROX(1.5)  # 1 and 2
    assert second.stage_p50_hours["first_scan_to_delivered"] == APPROX(72.0)


async def test_one_carrier(database: Database) -> None:
    report = await _report(database, carrier="UPS")

    assert report.carrier == "UPS"
    assert (report.on_time.delivered, report.on_time.with_promise) == (1, 0)
    stages = {s.stage: s for s in report.stages}
    assert stages["placed_to_processing"].p50_hours == APPROX(1.5)  # O3 1h, O4 2h
    assert stages["shipped_to_first_scan"].p50_hours == APPROX(13.0)
    assert stages["first_scan_to_delivered"].count == 1
    # The damaged flag has no parcel but its order went with UPS.
    assert report.exceptions == {"damaged": 1, "stuck": 1}
    assert report.flags_open == 1
    assert report.stuck_now == 1
    assert (report.returns.delivered_orders, report.returns.returned_orders) == (1, 0)
    assert report.returns.reasons == {}
    assert (report.pushes.sent, report.pushes.waiting, report.pushes.cancelled) == (1, 1, 1)
    assert report.questions.asked == 5  # questions are shop-wide
    assert [c.carrier for c in report.carriers] == ["UPS"]


async def test_an_empty_period_has_no_rates(db: Database) -> None:
    async with db.session() as session:
        report = await build_report(session, now=shop.NOW, since=shop.SINCE, until=shop.UNTIL)
    assert report.on_time.rate is None
    assert report.bottleneck is None
    assert report.returns.rate is None
    assert report.questions.self_service_rate is None
    assert report.pushes.failure_rate is None
    assert [w.delivered for w in report.weeks] == [0, 0]
    assert report.to_dict()["on_time"]["rate"] is None


async def test_a_period_must_start_before_it_ends(db: Database) -> None:
    async with db.session() as session:
        with pytest.raises(ValueError, match="start before it ends"):
            await build_report(session, now=shop.NOW, since=shop.UNTIL, until=shop.SINCE)


async def test_the_report_is_json_safe(db: Database) -> None:
    import json

    report = await _report(db)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["since"] == "2026-10-19T00:00:00+00:00"
    assert data["weeks"][0]["week_start"] == "2026-10-19"
    assert data["bottleneck"] == "first_scan_to_delivered"
    assert data["carriers"][0]["on_time"]["rate"] == 0.5
