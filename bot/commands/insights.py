"""`wismo insights`: where fulfilment is slow and how much the bot takes off support."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import typer

from bot.commands.common import EXIT_SCHEMA, run, settings_or_exit

EXIT_BAD_INPUT = 1

_DURATION = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, now: datetime) -> datetime:
    """'30d', '12h', '4w' before `now`, or an ISO date/time (UTC unless it says otherwise)."""
    match = _DURATION.match(value)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        if amount <= 0:
            raise typer.BadParameter(f"{value!r} must be longer than zero", param_hint="--since")
        return now - timedelta(**{_UNITS[unit]: amount})
    return parse_moment(value, "--since")


def parse_moment(value: str, option: str = "--until") -> datetime:
    """An ISO date or date-time; a date means its midnight, UTC unless an offset is given."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is neither a duration like 30d, 12h, 4w nor a date like 2026-10-01",
            param_hint=option,
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def command(
    since: str = typer.Option(
        "30d", "--since", help="Start of the period: 30d, 12h, 4w ago, or a date (2026-10-01)."
    ),
    until: str | None = typer.Option(
        None, "--until", help="End of the period (a date or date-time, UTC); default now."
    ),
    carrier: str | None = typer.Option(None, "--carrier", help="Only this carrier (e.g. DHL)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON for scripts."),
    chart: Path | None = typer.Option(
        None, "--chart", help="Also write a PNG chart of stage durations and on-time rate."
    ),
    accuracy: bool = typer.Option(
        True, "--accuracy/--no-accuracy", help="Backtest predicted delivery windows."
    ),
) -> None:
    """On-time rate, time in each stage, bottleneck, exceptions, returns, questions, pushes."""
    settings = settings_or_exit()
    from rich.console import Console

    from bot.commands import insights_render
    from bot.commands.insights_report import UnknownCarrier, report_for
    from core.insights import chart_png
    from core.runtime import SystemClock
    from core.storage import schema

    now = SystemClock().now()
    start = parse_since(since, now)
    end = parse_moment(until) if until else now
    if start >= end:
        raise typer.BadParameter("the period must start before it ends", param_hint="--since")
    if chart is not None and chart.suffix.lower() != ".png":
        raise typer.BadParameter(f"{chart} must end in .png", param_hint="--chart")
    if chart is not None and not chart.parent.is_dir():
        # README: a chart that cannot be written is exit 1, not a bad option (2).
        typer.secho(f"error: cannot write {chart}: no such directory {chart.parent}", err=True,
                    fg=typer.colors.RED)  # fmt: skip
        raise typer.Exit(EXIT_BAD_INPUT)
    # A big shop takes seconds to measure: show that something is happening (on stderr,
    # so --json output stays clean; rich draws nothing when stderr is not a terminal).
    status = Console(stderr=True).status("Measuring fulfilment, questions and pushes …")
    try:
        with status:
            report = run(
                report_for(
                    settings.database_url,
                    now=now,
                    since=start,
                    until=end,
                    carrier=carrier,
                    stuck_after=timedelta(hours=settings.stuck_after_hours),
                    accuracy=accuracy,
                )
            )
    except schema.UnknownSchemaError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_SCHEMA) from None
    except UnknownCarrier as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if chart is not None:
        try:
            chart.write_bytes(chart_png(report))
        except OSError as exc:
            typer.secho(f"error: cannot write {chart}: {exc.strerror}", err=True, fg="red")
            raise typer.Exit(EXIT_BAD_INPUT) from None
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        insights_render.print_report(Console(), report)
    if chart is not None and not as_json:
        typer.echo(f"chart written to {chart}")
