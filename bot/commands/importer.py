"""`wismo import FILE.csv`: orders, shipments or tracking events from a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.commands.common import settings_or_exit

if TYPE_CHECKING:
    from core.ingest import importer

EXIT_ROWS_REJECTED = 1  # some rows were bad; the good ones were imported
EXIT_BAD_FILE = 4  # nothing imported: unreadable file, unknown kind, required column absent


def command(
    file: Path = typer.Argument(..., help="orders.csv, shipments.csv or events.csv"),
    kind: str | None = typer.Option(
        None, "--kind", help="orders, shipments or events (default: told by the header)"
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row; write nothing."),
) -> None:
    """Import orders, shipments or tracking events; bad rows are reported with their line.

    Exit codes: 0 every row imported, 1 some rows rejected (the rest imported),
    2 bad setting, 3 database schema unknown, 4 file unusable (nothing imported).
    Columns are documented in the README; samples live in examples/.
    """
    settings = settings_or_exit()
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from bot.commands.database import prepared_database, run_checked
    from bot.services import core_config
    from core.ingest import importer
    from core.runtime import SystemClock
    from core.storage import refresh_planner_statistics

    err = Console(stderr=True, soft_wrap=True)  # a long error stays one line in a log
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            parsed, early = importer.read_csv(handle, kind.lower() if kind else None)
    except OSError as exc:
        err.print(f"[red]error:[/] cannot read {file}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_BAD_FILE) from None
    except UnicodeDecodeError:
        err.print(f"[red]error:[/] {file} is not UTF-8 text")
        raise typer.Exit(EXIT_BAD_FILE) from None
    except importer.ImportFileError as exc:
        err.print(f"[red]error:[/] {file}: {exc}")
        raise typer.Exit(EXIT_BAD_FILE) from None

    async def go() -> importer.ImportReport:
        database = await prepared_database(settings.database_url)
        try:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task(
                    f"{'checking' if dry_run else 'importing'} {parsed.kind}",
                    total=len(parsed.rows),
                )
                report = await importer.import_rows(
                    database,
                    SystemClock(),
                    core_config(settings),
                    parsed,
                    dry_run=dry_run,
                    actor=f"csv:{file.name}"[:128],
                    progress=lambda n: bar.advance(task, n),
                )
            if not dry_run:
                await refresh_planner_statistics(database.engine)
            return report
        finally:
            await database.dispose()

    report = run_checked(go())
    report.add_early_problems(early)
    for problem in report.problems:
        err.print(f"{file.name}:{problem.line}: {problem.reason}", markup=False, highlight=False)
    typer.echo(summary(file.name, report))
    if report.problems:
        raise typer.Exit(EXIT_ROWS_REJECTED)


def summary(name: str, report: importer.ImportReport) -> str:
    """One line whose counts add up: rows = written + unchanged + rejected, and the same for
    the orders, shipments or events those rows make."""
    verb = "checked (dry run, nothing written)" if report.dry_run else "imported"
    records = (
        f"{report.created} new, {report.duplicates} already known"
        if report.kind == "events"
        else f"{report.created} new, {report.updated} updated, {report.unchanged} unchanged"
    )
    return (
        f"{name}: {report.kind} {verb}: {report.rows} rows ({report.rows_written} written, "
        f"{report.rows_unchanged} unchanged, {report.rows_rejected} rejected); "
        f"{report.records} {report.kind} ({records}, {report.rejected} rejected)"
    )
