"""Rich tables for `wismo insights` (the terminal view of an InsightsReport)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from core.insights import InsightsReport


def percent(value: float | None) -> str:
    """0.512 → '51%'; None → '–'."""
    return "–" if value is None else f"{value * 100:.0f}%"


def hours(value: float | None) -> str:
    """Hours as '5.5 h' below two days, else '2.3 d'; None → '–'."""
    if value is None:
        return "–"
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} d"


def print_report(console: Console, report: InsightsReport) -> None:
    """Print the whole report: headline, stages, carriers, weeks, predictions."""
    scope = report.carrier or "all carriers"
    console.print(
        f"[bold]Insights[/bold] {report.since:%Y-%m-%d %H:%M} → {report.until:%Y-%m-%d %H:%M}"
        f" UTC, {scope}"
    )
    console.print(_headline(report))
    console.print(_stages(report))
    if report.carriers:
        console.print(_carriers(report))
    console.print(_weeks(report))
    if report.prediction is not None:
        console.print(_prediction(report))


def _headline(report: InsightsReport) -> Table:
    table = Table(title="Headline", show_header=False, title_justify="left")
    table.add_column("measure", style="bold")
    table.add_column("value")
    on_time = report.on_time
    table.add_row(
        "On time",
        f"{percent(on_time.rate)} ({on_time.on_time} of {on_time.with_promise} with a promise; "
        f"{on_time.late} late; {on_time.delivered} delivered)",
    )
    table.add_row("Slowest stage", report.bottleneck_label or "–")
    table.add_row("Stuck now", str(report.stuck_now))
    table.add_row("Open flags", str(report.flags_open))
    exceptions = ", ".join(f"{k} {n}" for k, n in report.exceptions.items())
    table.add_row("Exceptions raised", exceptions or "none")
    returns = report.returns
    reasons = ", ".join(f"{r} {n}" for r, n in returns.reasons.items())
    table.add_row(
        "Returns",
        f"{percent(returns.rate)} of {returns.delivered_orders} delivered orders"
        + (f"; reasons: {reasons}" if reasons else ""),
    )
    questions = report.questions
    table.add_row(
        "Questions (shop-wide)",
        f"{questions.asked} asked, {questions.wismo} where-is-my-order; "
        f"self-service {percent(questions.self_service_rate)}",
    )
    pushes = report.pushes
    table.add_row(
        "Pushes",
        f"{pushes.sent} sent, {pushes.failed} failed ({percent(pushes.failure_rate)}), "
        f"{pushes.waiting} waiting, {pushes.cancelled} cancelled; staff alerts "
        f"{pushes.staff_alerts_sent} sent, {pushes.staff_alerts_failed} failed",
    )
    return table


def _stages(report: InsightsReport) -> Table:
    table = Table(title="Time in each stage", title_justify="left")
    for name in ("Stage", "Count", "p50", "p90"):
        table.add_column(name, justify="left" if name == "Stage" else "right")
    for stage in report.stages:
        slowest = stage.stage == report.bottleneck
        table.add_row(
            stage.label + ("  ← slowest" if slowest else ""),
            str(stage.count),
            hours(stage.p50_hours),
            hours(stage.p90_hours),
            style="bold red" if slowest else None,
        )
    return table


def _carriers(report: InsightsReport) -> Table:
    table = Table(title="By carrier", title_justify="left")
    table.caption = "1st scan: shipped → first scan p50; transit: first scan → delivered"
    columns = ("Carrier", "Deliv.", "On time", "1st scan", "Transit", "p90", "Exc.", "Stuck")
    for name in columns:
        table.add_column(name, justify="left" if name == "Carrier" else "right")
    for row in report.carriers:
        table.add_row(
            row.carrier,
            str(row.on_time.delivered),
            percent(row.on_time.rate),
            hours(row.first_scan_p50_hours),
            hours(row.transit_p50_hours),
            hours(row.transit_p90_hours),
            str(row.exceptions),
            str(row.stuck_now),
        )
    return table


def _weeks(report: InsightsReport) -> Table:
    table = Table(title="Per week (stage medians)", title_justify="left")
    table.add_column("Week of")
    for name in ("Deliv.", "On time", "Plc→Proc", "Proc→Ship", "Ship→Scan", "Scan→Dlv"):
        table.add_column(name, justify="right")
    for week in report.weeks:
        table.add_row(
            f"{week.week_start:%d %b}",
            str(week.delivered),
            percent(week.on_time_rate),
            *(hours(value) for value in week.stage_p50_hours.values()),
        )
    return table


def _prediction(report: InsightsReport) -> Table:
    accuracy = report.prediction
    assert accuracy is not None
    table = Table(
        title="Predicted delivery windows (backtest)",
        title_justify="left",
    )
    for name in ("Carrier", "Predicted", "Inside window", "Share"):
        table.add_column(name, justify="left" if name == "Carrier" else "right")
    for name, row in accuracy.by_carrier.items():
        table.add_row(name, str(row.evaluated), str(row.inside), percent(row.share))
    table.add_row(
        "all",
        str(accuracy.evaluated),
        str(accuracy.inside),
        percent(accuracy.share),
        style="bold",
    )
    table.caption = (
        "each delivery predicted from what was known when it shipped; "
        f"target {percent(accuracy.target_share)}; {accuracy.early} early, {accuracy.late} late, "
        f"{accuracy.unpredicted} without enough history; mean window "
        + (f"{accuracy.mean_width_days:.1f} days" if accuracy.mean_width_days else "–")
    )
    return table
