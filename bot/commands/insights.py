"""`wismo insights`: where fulfilment is slow and how much the bot takes off support."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import typer
from rich.console import Console

from bot.commands import insights_render
from bot.commands.common import EXIT_SCHEMA, run, settings_or_exit
from core.insights import InsightsReport, build_report, chart_png
from core.insights import counts as insights_counts
from core.runtime import SystemClock
from core.storage import Database, schema

EXIT_BAD_INPUT = 1

_DURATION = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, now: datetime) -> datetime:
    """'30d', '12h', '4w' before `now`, or an ISO date/time (UTC unless it says otherwise)."""
    match = _DURATION.match(value)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        if amount <= 0:
            raise typer.BadParameter(f"{value!r} must be longer than zero")
        return now - timedelta(**{_UNITS[unit]: amount})
    return parse_moment(value)


def parse_moment(value: str) -> datetime:
    """An ISO date or date-time; a date means its midnight, UTC unless an offset is given."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is neither a duration like 30d, 12h, 4w nor a date like 2026-10-01"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def _prepared(url: str) -> Database:
    database = Database(url)
    try:
        if database.is_sqlite:
            await schema.upgrade(database.engine)
        await schema.ensure_current(database.engine)
    except BaseException:
        await database.dispose()
        raise
    return database


class UnknownCarrier(Exception):
    pass


async def _report(
    url: str,
    *,
    now: datetime,
    since: datetime,
    until: datetime,
    carrier: str | None,
    stuck_after: timedelta,
    accuracy: bool,
) -> InsightsReport:
    database = await _prepared(url)
    try:
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
    now = SystemClock().now()
    start = parse_since(since, now)
    end = parse_moment(until) if until else now
    if start >= end:
        raise typer.BadParameter("the period must start before it ends", param_hint="--since")
    if chart is not None and chart.suffix.lower() != ".png":
        raise typer.BadParameter(f"{chart} must end in .png", param_hint="--chart")
    if chart is not None and not chart.parent.is_dir():
        raise typer.BadParameter(f"no such directory: {chart.parent}", param_hint="--chart")
    # A big shop takes seconds to measure: show that something is happening (on stderr,
    # so --json output stays clean; rich draws nothing when stderr is not a terminal).
    status = Console(stderr=True).status("Measuring fulfilment, questions and pushes …")
    try:
        with status:
            report = run(
                _report(
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
